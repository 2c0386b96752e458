"""PDF and big XLSX reports at national scale (issue 12): ~18,000 OCOP certificates in six provinces (national
figure, December 2025: 18,243 products), seeded by bench/_seed.py `seed_national`.

- The provincial quarterly PDF: the periodic progress report (summary, five report sections, the plan in force)
  of one province for the current quarter, made as the Celery task makes it (`reports.services.report_run_execute`:
  rows, layout, WeasyPrint, stored file), province-wide (the report's default) and by current commune (60
  communes, wide landscape tables). Budget: 3 s.
- The national XLSX of every certificate: the certificate list of each province, one sheet of ~18,000 rows written
  by the same formatter as every export (openpyxl write-only). Budget: 15 s and 500 MB peak memory.

Times are CPU seconds of this process (time.process_time: what the work costs, whatever else loads the shared
machine) with the wall time beside them. The baselines, measured in the same run, alternating: the CSV of the same
report (the same rows read, a trivial writer), so `pdf_vs_csv` / `xlsx_vs_csv` are the cost of the format on any
machine. Peak memory is the process's maximum resident set (ru_maxrss), seeding included.

Run: .venv/bin/python bench/bench_report_pdf.py  (SQLite by default; set DATABASE_URL for PostgreSQL)
"""
import json
import os
import secrets
import statistics
import sys
import time
from dataclasses import replace

from _setup import bench_settings, django_setup, peak_rss_mb, private_media

private_media()
django_setup()
bench_settings()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from _seed import seed_national  # noqa: E402
from accounts.enums import Role  # noqa: E402
from products.models import Certificate  # noqa: E402
from reports import services  # noqa: E402
from reports.enums import Grouping, PeriodKind  # noqa: E402
from reports.formatters import to_csv, to_xlsx  # noqa: E402
from reports.models import ReportRun  # noqa: E402
from reports.periods import Params  # noqa: E402
from reports.registry import Table, get_report  # noqa: E402
from tests.factories import user_with_role  # noqa: E402

YEAR = 2026


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


t0 = time.perf_counter()
provinces = seed_national(provinces=int(os.environ.get("BENCH_PROVINCES", 6)),
                          certificates_per_province=int(os.environ.get("BENCH_CERTS", 3000)), year=YEAR)
if connection.vendor == "postgresql":
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
results = {"seed_s": round(time.perf_counter() - t0, 1), "provinces": len(provinces),
           "certificates_total": Certificate.objects.count()}
print(f"seeded in {results['seed_s']} s", file=sys.stderr)
province = provinces[0]
viewer = user_with_role(Role.REPORT_VIEWER, province, username="bench.so.pdf")
today = timezone.localdate()
quarter = Params(province=province, year=YEAR, period=PeriodKind.QUARTER,
                 part=(today.month - 1) // 3 + 1 if today.year == YEAR else 4, grouping=Grouping.CURRENT_COMMUNE)


def execute(code, fmt, params):
    run = ReportRun.objects.create(code=code, parameters=params.to_json(), fingerprint=secrets.token_hex(32),
                                   province=params.province, format=fmt, requested_by=viewer,
                                   expires_at=timezone.now() + services.KEEP_FILES)
    cpu, wall = time.process_time(), time.perf_counter()
    run = services.report_run_execute(run_id=run.pk)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert run.status == "done", run.error
    return cpu, wall, run


def pdf_against_csv(params, n=3):
    execute("periodic_progress", "pdf", params)  # warm: fonts, templates, imports
    pdf, csv, walls, run = [], [], [], None
    for _ in range(n):  # alternate the baseline and the measured file, so load swings hit both
        csv.append(execute("periodic_progress", "csv", params)[0])
        cpu, wall, run = execute("periodic_progress", "pdf", params)
        pdf.append(cpu)
        walls.append(wall)
    pdf_s, csv_s = statistics.median(pdf), statistics.median(csv)
    return {"cpu_s": round(pdf_s, 2), "wall_s": round(statistics.median(walls), 2), "budget_s": 3,
            "csv_baseline_cpu_s": round(csv_s, 3), "pdf_vs_csv": round(pdf_s / csv_s, 1) if csv_s else None,
            "rows": run.rows_total, "kb": round(run.file_size / 1024, 1)}


results["provincial_quarterly_pdf"] = pdf_against_csv(replace(quarter, grouping=Grouping.NONE))
results["provincial_quarterly_pdf_by_commune"] = pdf_against_csv(quarter)

# The national XLSX: every province's certificate list in one sheet; its CSV is the baseline.
report = get_report("certificate_list")
before = rss_mb()
cpu = time.process_time()
tables = [report.rows(Params(province=p, year=YEAR, grouping=Grouping.NONE)) for p in provinces]
national = Table(title=str(report.title), columns=tables[0].columns, rows=[r for t in tables for r in t.rows],
                 subtitle="Toàn quốc (các tỉnh trong mẫu)")
del tables
read_s = time.process_time() - cpu
xlsx, csv, walls = [], [], []
for _ in range(2):
    start = time.process_time()
    to_csv(national)
    csv.append(time.process_time() - start)
    start, wall = time.process_time(), time.perf_counter()
    content = to_xlsx(national)
    xlsx.append(time.process_time() - start)
    walls.append(time.perf_counter() - wall)
results["national_certificate_xlsx"] = {
    "cpu_s": round(read_s + min(xlsx), 2), "read_rows_cpu_s": round(read_s, 2), "write_cpu_s": round(min(xlsx), 2),
    "write_wall_s": round(min(walls), 2), "budget_s": 15, "csv_write_cpu_s": round(min(csv), 2),
    "xlsx_vs_csv": round(min(xlsx) / min(csv), 1), "rows": len(national.rows), "mb": round(len(content) / 1024 / 1024, 2),
    "rss_before_mb": round(before, 1), "peak_rss_mb": round(peak_rss_mb(), 1), "budget_mb": 500}
print(json.dumps({"bench": "report_pdf", "vendor": connection.vendor, **results}, ensure_ascii=False))
