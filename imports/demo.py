"""Demo data for imports: one confirmed import by the province staff (canbo.tinh) — a producer of old Bến Tre
with two certificates entered newest first (the chain still comes out in decision-date order), a training and
a showroom — so the import pages, the result and its undo have something to show. Idempotent."""
import datetime
import io

from registrations.models import ProductSet
from units.models import AdministrativeUnit, UnitLineage

from .models import ImportBatch

DEMO_FILE_NAME = "du-lieu-ocop-ben-tre-cu.xlsx"


def demo_workbook(ctx) -> bytes | None:
    import openpyxl

    from .exports import SHEETS

    old_ids = UnitLineage.objects.filter(new=ctx.communes[1]).values("old_id")
    old = (AdministrativeUnit.objects.filter(pk__in=old_ids, parent__level="district")
           .select_related("parent", "province").order_by("-code").first())
    product_set = ProductSet.objects.filter(slug="che-bien-tu-rau-cu-qua-hat").order_by("-classification").first()
    if old is None or product_set is None:
        return None
    where = [old.name, old.parent.name, old.province.name]
    data = {
        "producers": [{"tax_code": "1301234567", "name": "Hợp tác xã Thạch Dừa Mỏ Cày", "kind": "Hợp tác xã",
                       "commune": where[0], "district": where[1], "province_name": where[2], "address": "Ấp Tân Lợi",
                       "representative_name": "Lê Văn Sáu", "representative_gender": "Nam",
                       "registered_on": "12/05/2017", "in_value_chain": "Có"}],
        "products": [
            {"product_code": f"83-{old.parent.code}-{old.code}-7-2020", "product_name": "Thạch dừa Mỏ Cày",
             "producer_tax_code": "1301234567", "product_set": product_set.name, "commune": where[0],
             "district": where[1], "province_name": where[2], "certificate_number": f"{n}/GCN-OCOP-BT",
             "star": star, "decision_number": number, "decided_on": day, "level": "Tỉnh",
             "signer_name": "Trần Văn Bình"}
            for n, star, number, day in (("41/2024", 4, "1522/QĐ-UBND", datetime.date(2024, 7, 19)),
                                         ("17/2020", 3, "830/QĐ-UBND", datetime.date(2020, 4, 20)))],
        "trainings": [{"title": "Tập huấn xây dựng câu chuyện sản phẩm OCOP", "commune": where[0],
                       "district": where[1], "province_name": where[2], "held_on": datetime.date(2024, 9, 12),
                       "participants": 38, "managers": 9, "organiser": "Sở Nông nghiệp và PTNT tỉnh Bến Tre"}],
        "showrooms": [{"name": "Điểm giới thiệu sản phẩm OCOP Mỏ Cày", "commune": ctx.communes[1].name,
                       "owner_name": "Hợp tác xã Thạch Dừa Mỏ Cày", "owner_tax_code": "1301234567",
                       "address": "Quốc lộ 57", "opened_on": datetime.date(2025, 10, 2)}],
    }
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, rows in data.items():
        title, columns = SHEETS[sheet]
        ws = book.create_sheet(title)
        ws.append([c.header for c in columns if not c.export_only])
        for row in rows:
            ws.append([row.get(c.field) for c in columns if not c.export_only])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def demo_extend(ctx) -> None:
    from . import services

    staff = ctx.users.get("province_staff")
    if staff is None or ImportBatch.objects.filter(file_name=DEMO_FILE_NAME).exists():
        return
    content = demo_workbook(ctx)
    if content is None:
        return
    batch = services.batch_create(province=ctx.province, file_name=DEMO_FILE_NAME, content=content, by=staff,
                                  queue=False)
    services.batch_preview(batch_id=batch.pk)
    services.batch_apply(batch_id=batch.pk, by_id=staff.pk)
