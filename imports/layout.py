"""The file layout the import reads and the exports write: one sheet per kind of record, Vietnamese headers,
tolerant of column order, header spelling and case, dates as dd/mm/yyyy text or Excel dates."""
import csv
import datetime
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ocop_portal.text import fold

from .enums import Sheet


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # Vietnamese, as the template and the exports write it
    required: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""
    export_only: bool = False  # written for people and other systems; the import does not read it

    def names(self) -> set[str]:
        return {_norm(self.header), *(_norm(a) for a in self.aliases)}


def _norm(text) -> str:
    """A header as compared: folded, without '*', brackets or punctuation."""
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", fold(str(text or "")).replace("*", "")).split())


UNIT_COLUMNS = (
    Column("commune", "Xã, phường", True, ("xa", "phuong", "xa phuong", "xa phuong thi tran", "dia ban xa"),
           _("Tên như người ta vẫn viết: “Xã Sơn Định”, “Sơn Định”, “X. Sơn Định”, “Sơn Định, Chợ Lách, Bến Tre”.")),
    Column("commune_code", "Mã xã", False, ("ma xa phuong", "ma don vi"),
           _("Mã đơn vị hành chính của xã như trong văn bản gốc (cũ hoặc hiện nay); có mã thì không cần tên.")),
    Column("district", "Huyện (cũ)", False, ("huyen", "quan huyen", "huyen cu", "quan huyen thi xa"),
           _("Huyện trước ngày 01/07/2025, nếu bản ghi lập trên đơn vị cũ.")),
    Column("province_name", "Tỉnh", False, ("tinh thanh pho", "tinh cu", "tinh tp"),
           _("Tỉnh của đơn vị (tỉnh cũ nếu là đơn vị cũ): phân biệt các huyện cùng tên.")),
    Column("current_commune_code", "Mã xã hiện nay (QĐ 19/2025/QĐ-TTg)", export_only=True),
    Column("current_province_code", "Mã tỉnh hiện nay", export_only=True),
)

SHEETS: dict[str, tuple[str, tuple[Column, ...]]] = {
    Sheet.PRODUCERS: ("Chủ thể", (
        Column("tax_code", "Mã số thuế", True, ("mst", "ma so thue so dang ky", "so dang ky kinh doanh", "ma so dn")),
        Column("name", "Tên chủ thể", True, ("chu the", "ten co so", "ten chu the ocop")),
        Column("kind", "Loại hình", True, ("loai hinh chu the", "hinh thuc")),
        *UNIT_COLUMNS,
        Column("address", "Địa chỉ", True, ("dia chi tru so",)),
        Column("representative_name", "Người đại diện", True, ("nguoi dai dien theo phap luat", "dai dien")),
        Column("representative_gender", "Giới tính người đại diện", True, ("gioi tinh",)),
        Column("registered_on", "Ngày cấp đăng ký", False, ("ngay dang ky", "ngay cap")),
        Column("phone", "Điện thoại", False, ("so dien thoai", "dt")),
        Column("craft_village", "Làng nghề"),
        Column("in_value_chain", "Tham gia chuỗi giá trị", False, ("chuoi gia tri",), _("Có / Không")),
    )),
    Sheet.PRODUCTS: ("Sản phẩm OCOP", (
        Column("product_code", "Mã sản phẩm", True, ("ma sp",)),
        Column("product_name", "Tên sản phẩm", True, ("san pham",)),
        Column("producer_tax_code", "Mã số thuế chủ thể", True, ("mst chu the", "ma so thue")),
        Column("product_set", "Bộ sản phẩm", True, ("ma bo san pham", "bo sp"),
               _("Mã hoặc tên bộ sản phẩm, ví dụ “Bánh, mứt, kẹo”.")),
        *UNIT_COLUMNS,
        Column("certificate_number", "Số giấy chứng nhận", True, ("so gcn", "so giay chung nhan ocop")),
        Column("star", "Hạng sao", True, ("so sao", "hang", "xep hang")),
        Column("decision_number", "Số quyết định", True, ("so qd",)),
        Column("decided_on", "Ngày quyết định", True, ("ngay qd", "ngay cong nhan")),
        Column("level", "Cấp công nhận", True, ("cap",), _("Tỉnh, Huyện hoặc Trung ương (Bộ).")),
        Column("issuing_unit", "Đơn vị ban hành", False, ("co quan ban hanh",),
               _("Huyện hoặc tỉnh ban hành (để trống: huyện, tỉnh của xã).")),
        Column("valid_until", "Hiệu lực đến", False, ("ngay het hieu luc", "het han"),
               _("Để trống: 36 tháng kể từ ngày quyết định.")),
        Column("status", "Trạng thái", export_only=True,
               note=_("Do cổng xuất ra; một giấy “Đã thu hồi” chưa có trong cổng không được nhập qua tệp.")),
        Column("signer_name", "Người ký", False, ("nguoi ky quyet dinh",)),
    )),
    Sheet.TRAININGS: ("Tập huấn", (
        Column("title", "Tên lớp", True, ("lop tap huan", "ten lop tap huan", "noi dung")),
        *UNIT_COLUMNS,
        Column("held_on", "Ngày khai giảng", True, ("ngay to chuc", "ngay")),
        Column("participants", "Số người tham gia", True, ("so hoc vien", "so nguoi")),
        Column("managers", "Trong đó: cán bộ quản lý, chủ thể", False, ("can bo quan ly chu the", "so can bo")),
        Column("organiser", "Đơn vị tổ chức", False, ("don vi to chuc lop",)),
    )),
    Sheet.SHOWROOMS: ("Điểm bán", (
        Column("name", "Tên điểm", True, ("ten diem ban", "diem gioi thieu ban san pham")),
        *UNIT_COLUMNS,
        Column("owner_name", "Đơn vị, người sở hữu", True, ("chu so huu", "don vi so huu")),
        Column("owner_tax_code", "Mã số thuế chủ thể sở hữu", False, ("mst chu so huu",)),
        Column("address", "Địa chỉ", False),
        Column("opened_on", "Ngày khai trương", True, ("ngay mo",)),
        Column("closed_on", "Ngày đóng cửa", False),
    )),
}
SHEET_ORDER = (Sheet.PRODUCERS, Sheet.PRODUCTS, Sheet.TRAININGS, Sheet.SHOWROOMS)
# A CSV holds one sheet: the column only that sheet has tells which.
_SIGNATURE = {Sheet.PRODUCTS: "certificate_number", Sheet.TRAININGS: "participants", Sheet.SHOWROOMS: "opened_on",
              Sheet.PRODUCERS: "representative_name"}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class SheetData:
    sheet: str
    fields: dict  # field → column index
    rows: list  # (line number, [cell values])
    unknown_headers: list


def match_headers(sheet: str, headers: list) -> tuple[dict, list]:
    lookup = {}
    for column in SHEETS[sheet][1]:
        for name in column.names():
            lookup.setdefault(name, column.field)
    fields, unknown = {}, []
    for i, header in enumerate(headers):
        field = lookup.get(_norm(header))
        if field and field not in fields:
            fields[field] = i
        elif _norm(header):
            unknown.append(str(header))
    return fields, unknown


def _sheet_of_title(title: str) -> str | None:
    wanted = _norm(title)
    for sheet, (label, _columns) in SHEETS.items():
        if _norm(label) == wanted or _norm(Sheet(sheet).label) == wanted:
            return sheet
    return None


def _sheet_of_headers(headers: list) -> str | None:
    for sheet in SHEET_ORDER:
        fields, _unknown = match_headers(sheet, headers)
        if _SIGNATURE[sheet] in fields:
            return sheet
    return None


def _data_rows(rows, header_line: int):
    for line, row in enumerate(rows, start=header_line + 1):
        row = list(row)
        if any(v not in (None, "") and str(v).strip() for v in row):
            yield line, row


def read_file(name: str, content: bytes) -> list[SheetData]:
    """Every sheet of an XLSX (named like the template, or recognised by its headers) or the one table of a CSV
    (UTF-8 with or without BOM, comma or semicolon). Raises ValueError with a Vietnamese message."""
    from django.utils.translation import gettext as _g

    if name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1258", errors="replace")
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        rows = list(csv.reader(io.StringIO(text), dialect))
        if not rows:
            raise ValueError(_g("Tệp không có dòng nào."))
        sheet = _sheet_of_headers(rows[0])
        if sheet is None:
            raise ValueError(_g("Không nhận ra loại dữ liệu của tệp CSV: hãy dùng tiêu đề cột như tệp mẫu."))
        fields, unknown = match_headers(sheet, rows[0])
        return [SheetData(sheet, fields, list(_data_rows(rows[1:], 1)), unknown)]
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValueError(_g("Không đọc được tệp: chỉ nhận tệp Excel (.xlsx) hoặc CSV.")) from exc
    out = []
    for ws in book.worksheets:
        rows = ws.iter_rows(values_only=True)
        header_line, headers = 0, None
        for header_line, row in enumerate(rows, start=1):  # the header is the first row naming a known column
            if row and _sheet_of_headers(list(row)) is not None:
                headers = list(row)
                break
            if header_line >= 10:
                break
        if headers is None:
            continue
        sheet = _sheet_of_title(ws.title) or _sheet_of_headers(headers)
        fields, unknown = match_headers(sheet, headers)
        out.append(SheetData(sheet, fields, list(_data_rows(rows, header_line)), unknown))
    book.close()
    if not out:
        raise ValueError(_g("Không tìm thấy trang dữ liệu nào có tiêu đề cột như tệp mẫu."))
    return out


# --- cells -------------------------------------------------------------------------------------------
_DATE_RES = (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"), re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"))
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value) -> datetime.date:
    """dd/mm/yyyy (or dd-mm-yyyy, dd.mm.yyyy), ISO yyyy-mm-dd, an Excel date cell or an Excel serial number."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and 1 <= value < 2958466:
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = str(value).strip()
    if text.isdigit() and len(text) <= 5:
        return EXCEL_EPOCH + datetime.timedelta(days=int(text))
    m = _DATE_RES[0].match(text)
    if m:
        return datetime.date(int(m[3]), int(m[2]), int(m[1]))
    m = _DATE_RES[1].match(text.split(" ")[0])
    if m:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(text)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())
