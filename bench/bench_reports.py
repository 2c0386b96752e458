"""The reports app at national scale: ~18,000 OCOP certificates in six provinces (national figure, December
2025: 18,243 products), with the pre-reform communes merged into the current ones.

Seeds with bench/_seed.py `seed_national` (6 provinces × 3,000 certificates, 1,500 producers, 1,000 dossiers in
progress, ideas, business plans and a plan each). For one province (3,000 certificates: about Hà Nội's size;
the national average is ~540) it times every registered report: the HTML preview page through the Django
test client as the province's report viewer, for every grouping the report accepts, and the CSV and XLSX
exports through `reports.services.report_run_execute` (the Celery task's body: rows, renderer, stored
file), with row counts, file size and the process's peak RSS after each report. The national view has no
single report: a ministry figure means one run per province, so the `ocop_products` rows are also timed for
all six provinces in turn.

Run: .venv/bin/python bench/bench_reports.py  (SQLite by default; set DATABASE_URL for PostgreSQL)
"""
import json
import os
import secrets
import statistics
import sys
import time
from urllib.parse import urlencode

from _setup import _stats, bench_settings, django_setup, measure_get, peak_rss_mb, private_media

private_media()
django_setup()
bench_settings()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from _seed import seed_national  # noqa: E402
from accounts.enums import Role  # noqa: E402
from products.models import Certificate, Product  # noqa: E402
from reports import services  # noqa: E402
from reports.models import ReportRun  # noqa: E402
from reports.periods import Params  # noqa: E402
from reports.registry import all_reports  # noqa: E402
from tests.factories import user_with_role  # noqa: E402

YEAR = 2026

t0 = time.perf_counter()
provinces = seed_national(provinces=int(os.environ.get("BENCH_PROVINCES", 6)), certificates_per_province=int(os.environ.get("BENCH_CERTS", 3000)), year=YEAR)
if connection.vendor == "postgresql":
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
results = {"seed_s": round(time.perf_counter() - t0, 1), "provinces": len(provinces),
           "certificates_total": Certificate.objects.count(), "products_total": Product.objects.count()}
print(f"seeded in {results['seed_s']} s", file=sys.stderr)
province = provinces[0]
results["certificates_in_timed_province"] = Certificate.objects.filter(product__province=province).count()
viewer = user_with_role(Role.REPORT_VIEWER, province, username="bench.so")
client = Client()
client.force_login(viewer)


def export(report, fmt, grouping, n=3):
    params = Params(province=province, year=YEAR, grouping=grouping)
    times, queries, run = [], None, None
    for _ in range(n):
        run = ReportRun.objects.create(code=report.code, parameters=params.to_json(), fingerprint=secrets.token_hex(32),
                                       province=province, format=fmt, requested_by=viewer,
                                       expires_at=timezone.now() + services.KEEP_FILES)
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            run = services.report_run_execute(run_id=run.pk)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
        assert run.status == "done", (report.code, fmt, run.error)
    return {**_stats(times), "queries": queries, "rows": run.row_count, "kb": round(run.file_size / 1024, 1)}


for report in all_reports():
    out = {}
    for grouping in report.groupings:
        query = urlencode({"province": province.pk, "year": YEAR, "period": "year", "grouping": grouping})
        out[f"html_{grouping}"] = measure_get(client, f"/bao-cao/{report.code}/?{query}", 5)
    params = Params(province=province, year=YEAR, grouping=report.default_grouping)
    out["rows"] = len(report.rows(params).rows)
    out["csv"] = export(report, "csv", report.default_grouping)
    out["xlsx"] = export(report, "xlsx", report.default_grouping)
    out["peak_rss_mb_after"] = round(peak_rss_mb(), 1)
    results[report.code] = out

# The national figure: ocop_products once per province, summed (there is no national report).
from reports.registry import get_report  # noqa: E402

report = get_report("ocop_products")
times = []
for _ in range(3):
    start = time.perf_counter()
    active = 0
    for p in provinces:
        table = report.rows(Params(province=p, year=YEAR, grouping="none"))
        active += table.total[4] or 0
    times.append((time.perf_counter() - start) * 1000)
results["national_ocop_products_all_provinces"] = {"median_ms": round(statistics.median(times), 1),
                                                   "provinces": len(provinces), "active_certificates": active}
results["peak_rss_mb"] = round(peak_rss_mb(), 1)
print(json.dumps({"bench": "reports", "vendor": connection.vendor, **results}, ensure_ascii=False))
