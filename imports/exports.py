"""Exports of a province's register (or every province's, for the administrator) in the layout the import reads:
producers, OCOP products with their certificates, trainings, showrooms — with today's administrative codes
(QĐ 19/2025/QĐ-TTg) beside the unit each record was made in, so that export → import changes nothing."""
import csv
import io
import json

from django.utils.translation import gettext as _

from plans.models import Showroom, Training
from products.models import Certificate
from registrations.models import Producer
from reports.formatters import csv_safe
from units.enums import Level
from units.models import AdministrativeUnit, UnitLineage

from .enums import Sheet
from .layout import SHEET_ORDER, SHEETS


class _Units:
    """The area's units and the current communes each old one became: two queries, whatever the rows."""

    def __init__(self, province):
        qs = AdministrativeUnit.objects.all() if province is None else AdministrativeUnit.objects.filter(
            current_province=province)
        self.units = {u.pk: u for u in qs.only("pk", "code", "name", "level", "parent_id", "province_id",
                                               "current_province_id", "valid_to")}
        self.successors: dict = {}
        lineage = UnitLineage.objects.filter(old__in=list(self.units)) if province is not None else UnitLineage.objects.all()
        for old_id, code in lineage.values_list("old_id", "new__code").order_by("new__code"):
            self.successors.setdefault(old_id, []).append(code)

    def cells(self, unit_id) -> dict:
        unit = self.units.get(unit_id)
        if unit is None:
            return {}
        parent = self.units.get(unit.parent_id)
        own = self.units.get(unit.province_id)
        current = self.units.get(unit.current_province_id)
        return {
            "commune": unit.name, "commune_code": unit.code,
            "district": parent.name if parent is not None and parent.level == Level.DISTRICT else "",
            "province_name": own.name if own is not None else "",
            "current_commune_code": unit.code if unit.valid_to is None else ", ".join(self.successors.get(unit.pk, [])),
            "current_province_code": current.code if current is not None else "",
        }

    def name_with_province(self, unit_id) -> str:
        unit = self.units.get(unit_id)
        if unit is None:
            return ""
        own = self.units.get(unit.province_id)
        return unit.name if own is None or own.pk == unit.pk else f"{unit.name}, {own.name}"


def _area(queryset, province, field="commune"):
    return queryset if province is None else queryset.filter(**{f"{field}__current_province": province})


def register_rows(province) -> dict:
    """{sheet: [ {field: value} ]} for the province (None: every province). A constant number of queries."""
    units = _Units(province)
    out = {}
    out[Sheet.PRODUCERS] = [{
        "tax_code": p.tax_code, "name": p.name, "kind": p.get_kind_display(), **units.cells(p.commune_id),
        "address": p.address, "representative_name": p.representative_name,
        "representative_gender": p.get_representative_gender_display(), "registered_on": p.registered_on,
        "phone": p.phone, "craft_village": p.craft_village, "in_value_chain": _("Có") if p.in_value_chain else _("Không"),
    } for p in _area(Producer.objects.order_by("tax_code"), province)]
    certs = (_area(Certificate.objects.select_related("product__producer", "product__product_set", "decision"),
                   province, "product__commune").order_by("product__code", "issued_on", "number"))
    out[Sheet.PRODUCTS] = [{
        "product_code": c.product.code, "product_name": c.product.name,
        "producer_tax_code": c.product.producer.tax_code, "product_set": c.product.product_set.code,
        **units.cells(c.product.commune_id), "certificate_number": c.number, "star": c.star,
        "decision_number": c.decision.number, "decided_on": c.issued_on, "level": c.decision.get_level_display(),
        "issuing_unit": units.name_with_province(c.decision.issuing_unit_id), "valid_until": c.valid_until,
        "status": c.get_status_display(), "signer_name": c.decision.signer_name,
    } for c in certs]
    out[Sheet.TRAININGS] = [{
        "title": t.title, **units.cells(t.commune_id), "held_on": t.held_on, "participants": t.participants,
        "managers": t.managers, "organiser": t.organiser,
    } for t in _area(Training.objects.order_by("held_on", "title", "pk"), province)]
    out[Sheet.SHOWROOMS] = [{
        "name": s.name, **units.cells(s.commune_id), "owner_name": s.owner_name,
        "owner_tax_code": s.owner.tax_code if s.owner_id else "", "address": s.address, "opened_on": s.opened_on,
        "closed_on": s.closed_on,
    } for s in _area(Showroom.objects.select_related("owner").order_by("opened_on", "name", "pk"), province)]
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def to_xlsx(rows: dict, *, template: bool = False) -> bytes:
    """One sheet per kind (header frozen and filtered, dates typed dd/mm/yyyy, text as text never a formula),
    then the instructions sheet."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in SHEET_ORDER:
        title, columns = SHEETS[sheet]
        ws = book.create_sheet(title)
        ws.freeze_panes = "A2"
        header = []
        for c in columns:
            cell = WriteOnlyCell(ws, value=c.header + (" *" if c.required else ""))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for i, c in enumerate(columns):
            ws.column_dimensions[chr(65 + i) if i < 26 else "A" + chr(65 + i - 26)].width = max(12, len(c.header) + 4)
        for row in rows.get(sheet, []):
            cells = []
            for c in columns:
                value = row.get(c.field)
                cell = WriteOnlyCell(ws, value=value if value is not None else None)
                if hasattr(value, "strftime"):
                    cell.number_format = "DD/MM/YYYY"
                elif isinstance(value, str):
                    cell.data_type = "s"  # never a formula, and tax codes keep their leading zero
                cells.append(cell)
            ws.append(cells)
        ws.auto_filter.ref = f"A1:{_last_letter(len(columns))}{max(1, len(rows.get(sheet, [])) + 1)}"
    guide = book.create_sheet(_("Hướng dẫn"))
    for line in instructions():
        guide.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _last_letter(n: int) -> str:
    from .layout import column_letter

    return column_letter(n - 1)


def instructions() -> list[str]:
    lines = [
        _("Mẫu nhập dữ liệu OCOP của tỉnh. Mỗi trang một loại bản ghi; dòng đầu là tiêu đề cột, cột có dấu * là bắt buộc."),
        _("Thứ tự cột tuỳ ý; tiêu đề viết hoa, thường, có hay không dấu đều được. Ngày ghi dd/mm/yyyy hoặc dùng ô ngày của Excel."),
        _("Nhập lại cùng một tệp không thay đổi gì: chủ thể nhận theo mã số thuế, giấy chứng nhận theo số giấy, sản phẩm theo mã sản phẩm."),
        _("Đơn vị hành chính ghi như thường viết (“Xã Sơn Định”, “Sơn Định, Chợ Lách, Bến Tre”) hoặc theo mã; đơn vị trước 01/07/2025 ghi kèm huyện (cũ) và tỉnh cũ."),
        _("Các cột “Mã xã hiện nay”, “Mã tỉnh hiện nay” và “Trạng thái” do cổng xuất ra để tham khảo; khi nhập, cổng không đọc các cột này."),
        "",
    ]
    for sheet in SHEET_ORDER:
        title, columns = SHEETS[sheet]
        lines.append(f"{title}:")
        lines.extend(f"  {c.header}{' *' if c.required else ''}{' — ' + str(c.note) if c.note else ''}"
                     for c in columns)
    return lines


def to_csv(rows: dict, sheet: str) -> bytes:
    """One sheet as CSV (UTF-8 with BOM, safe against formula injection), headers as the template's."""
    _title, columns = SHEETS[sheet]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for row in rows.get(sheet, []):
        writer.writerow([csv_safe(_text(row.get(c.field))) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_json(rows: dict) -> bytes:
    data = {sheet: [{c.header: _text(r.get(c.field)) for c in SHEETS[sheet][1]} for r in rows.get(sheet, [])]
            for sheet in SHEET_ORDER}
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


OPEN_DATA_COLUMNS = (
    ("product_code", "Mã sản phẩm"), ("product_name", "Tên sản phẩm"), ("producer", "Chủ thể"),
    ("product_set", "Bộ sản phẩm"), ("star", "Hạng sao"), ("certificate_number", "Số giấy chứng nhận"),
    ("issued_on", "Ngày quyết định"), ("valid_until", "Hiệu lực đến"), ("commune_code", "Mã xã hiện nay"),
    ("commune", "Xã, phường"), ("province_code", "Mã tỉnh"), ("province", "Tỉnh"), ("verify_url", "Đường dẫn xác minh"),
)


def open_data_rows() -> list[dict]:
    """The public catalogue of every province: certificates in force today (the catalogue's own rule), with the
    product's stable official code and today's administrative codes. Three queries."""
    from django.utils import timezone

    today = timezone.localdate()
    certs = (Certificate.objects.in_force_on(today)
             .select_related("product__producer", "product__product_set", "product__province")
             .order_by("product__code", "pk"))
    units = _Units(None) if certs.exists() else None
    rows = []
    for c in certs:
        cells = units.cells(c.product.commune_id)
        rows.append({"product_code": c.product.code, "product_name": c.product.name, "producer": c.product.producer.name,
                     "product_set": c.product.product_set.name, "star": c.star, "certificate_number": c.number,
                     "issued_on": c.issued_on.isoformat(), "valid_until": c.valid_until.isoformat(),
                     "commune_code": cells.get("current_commune_code", ""), "commune": cells.get("commune", ""),
                     "province_code": c.product.province.code, "province": c.product.province.name,
                     "verify_url": c.public_verify_url})
    return rows


def open_data(fmt: str) -> bytes:
    rows = open_data_rows()
    if fmt == "json":
        return json.dumps([{label: r[key] for key, label in OPEN_DATA_COLUMNS} for r in rows],
                          ensure_ascii=False, indent=1).encode("utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _key, label in OPEN_DATA_COLUMNS])
    for r in rows:
        writer.writerow([csv_safe(str(r[key])) for key, _label in OPEN_DATA_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
