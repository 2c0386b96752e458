"""Import of a 10,000-row workbook (2,500 producers of old Bến Tre, 2,500 certificates — two per product, the
newer first —, 2,500 trainings, 2,500 showrooms): reading the file alone (the baseline), the preview (every row
judged) and the confirmed import (every row written through the services in one transaction), then the same
file again (all unchanged), with peak memory. Ratios are to the baseline measured in the same run.

Run: .venv/bin/python bench/bench_imports.py  (SQLite by default; set DATABASE_URL for PostgreSQL)
"""
import datetime
import io
import json
import os

from _setup import django_setup, peak_rss_mb, private_media, timed

private_media()
django_setup()

import openpyxl  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.enums import OrganisationKind, Role  # noqa: E402
from accounts.models import Organisation, RoleAssignment, User  # noqa: E402
from imports import services  # noqa: E402
from imports.layout import SHEETS, read_file  # noqa: E402
from registrations.models import ProductGroup, ProductSet  # noqa: E402
from units.models import AdministrativeUnit  # noqa: E402
from units.services import units_load  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
units_load()
province = AdministrativeUnit.objects.get(level="province", code="86", valid_to__isnull=True)
ben_tre = AdministrativeUnit.objects.get(level="province", code="83", valid_to__isnull=False)
end = datetime.date(2025, 6, 30)
Organisation.objects.get_or_create(kind=OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, unit=ben_tre,
                                   defaults={"name": "Ủy ban nhân dân tỉnh Bến Tre", "valid_to": end})
group = ProductGroup.objects.create(classification="26/2026/QĐ-TTg", code="1", level="group", name="Thực phẩm")
ProductSet.objects.get_or_create(classification="26/2026/QĐ-TTg", code="B01", defaults={
    "number": 1, "slug": "banh-mut-keo", "name": "Bánh, mứt, kẹo", "group": group})
staff = User.objects.create(username="bench.tinh", full_name="Cán bộ tỉnh")
RoleAssignment.objects.create(user=staff, role=Role.PROVINCE_STAFF, unit=province, valid_from=datetime.date(2025, 7, 1))
communes = list(AdministrativeUnit.objects.filter(level="commune", province=ben_tre).select_related("parent")
                .order_by("code"))

quarter = ROWS // 4
book = openpyxl.Workbook(write_only=True)
columns = {sheet: [c for c in cols if not c.export_only] for sheet, (_t, cols) in SHEETS.items()}


def sheet(kind, rows):
    ws = book.create_sheet(SHEETS[kind][0])
    ws.append([c.header for c in columns[kind]])
    for row in rows:
        ws.append([row.get(c.field) for c in columns[kind]])


def where(i):
    c = communes[i % len(communes)]
    return {"commune": c.name, "district": c.parent.name, "province_name": "Tỉnh Bến Tre"}


sheet("producers", ({"tax_code": f"{1310000000 + i}", "name": f"Hợp tác xã thử {i}", "kind": "Hợp tác xã",
                     **where(i), "address": "Ấp 1", "representative_name": "Nguyễn Văn A",
                     "representative_gender": "Nam", "registered_on": "01/02/2017"} for i in range(quarter)))
sheet("products", ({"product_code": f"83-{i}-2020", "product_name": f"Sản phẩm {i}",
                    "producer_tax_code": f"{1310000000 + i}", "product_set": "B01", **where(i),
                    "certificate_number": f"{i}/{year}/GCN", "star": star, "decision_number": f"{year}/QĐ-UBND",
                    "decided_on": day, "level": "Tỉnh"}
                   for i in range(quarter // 2)
                   for year, star, day in ((2024, 4, datetime.date(2024, 7, 19)), (2020, 3, "20/04/2020"))))
sheet("trainings", ({"title": f"Lớp tập huấn {i}", **where(i), "held_on": datetime.date(2024, 1, 1)
                     + datetime.timedelta(days=i % 300), "participants": 30, "managers": 5} for i in range(quarter)))
sheet("showrooms", ({"name": f"Điểm bán {i}", **where(i), "owner_name": f"Hợp tác xã thử {i}",
                     "opened_on": "02/10/2025"} for i in range(quarter)))
out = io.BytesIO()
book.save(out)
content = out.getvalue()

results = {"rows": ROWS, "file_kb": len(content) // 1024}
with timed("read_file_s", results):
    read_file("bench.xlsx", content)
batch = services.batch_create(province=province, file_name="bench.xlsx", content=content, by=staff, queue=False)
with CaptureQueriesContext(connection) as preview_queries, timed("preview_s", results):
    services.batch_preview(batch_id=batch.pk)
results["preview_queries"] = len(preview_queries.captured_queries)
with timed("import_s", results):
    batch = services.batch_apply(batch_id=batch.pk, by_id=staff.pk)
results["import_state"] = batch.state
results["counts"] = batch.counts
again = services.batch_create(province=province, file_name="bench.xlsx", content=content, by=staff, queue=False)
with timed("reimport_preview_s", results):
    services.batch_preview(batch_id=again.pk)
again.refresh_from_db()
results["reimport_counts"] = again.counts
base = results["read_file_s"] or 0.001
results["preview_per_read"] = round(results["preview_s"] / base, 1)
results["import_per_read"] = round(results["import_s"] / base, 1)
results["import_ms_per_row"] = round(1000 * results["import_s"] / ROWS, 2)
results["peak_rss_mb"] = round(peak_rss_mb(), 1)
print(json.dumps({"bench": "imports", **results}, ensure_ascii=False))
