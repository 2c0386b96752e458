"""Formatters for any report Table: display strings for HTML, CSV (UTF-8 with BOM, safe against spreadsheet
formula injection) and XLSX (openpyxl write-only: fast and flat in memory for big tables)."""
import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _

from .registry import DEC, INT, PCT, TEXT, VND, Table

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A cell a spreadsheet will not evaluate: text starting with = + - @ TAB or CR gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _group_thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def display(value, kind: str = TEXT) -> str:
    """Vietnamese display: 1.234.567 for counts, 1.234.567 ₫ for money, 45,5 for percentages and scores."""
    if value is None or value == "":
        return "—" if kind != TEXT else ""
    if kind == VND:
        return f"{_group_thousands(int(value))} ₫"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, int):
        return _group_thousands(value)
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and kind in (INT, DEC):
            return _group_thousands(int(value))
        whole, _dot, frac = f"{value:.2f}".rstrip("0").partition(".")
        text = _group_thousands(int(whole)) if whole.lstrip("-").isdigit() else whole
        return f"{text},{frac}" if frac else text
    return str(value)


def html_rows(table: Table) -> dict:
    """Rows of display strings for the template, with the alignment of each column."""
    kinds = [c.kind for c in table.columns]
    return {
        "headers": [(c.label, c.kind != TEXT) for c in table.columns],
        "rows": [[(display(v, k), k != TEXT) for v, k in zip(row, kinds)] for row in table.rows],
        "total": [(display(v, k), k != TEXT) for v, k in zip(table.total, kinds)] if table.total else None,
    }


def _plain(value):
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral_value() else str(value)
    return "" if value is None else value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([csv_safe(_plain(v)) for v in row])
    if table.total:
        writer.writerow([csv_safe(_plain(v)) for v in table.total])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


NUMBER_FORMATS = {INT: "#,##0", VND: '#,##0 "₫"', PCT: "0.0", DEC: "#,##0.##"}


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=table.title[:31] or "Bao cao")
    bold, title_font = Font(bold=True), Font(bold=True, size=13)
    widths = [max(12, min(48, len(str(c.label)) + 2)) for c in table.columns]
    widths[0] = 36
    for i, width in enumerate(widths):
        ws.column_dimensions[_column_letter(i + 1)].width = width

    def cell(value, *, font=None, kind=TEXT, wrap=False):
        c = WriteOnlyCell(ws, value=float(value) if isinstance(value, Decimal) else value)
        if font:
            c.font = font
        if kind in NUMBER_FORMATS and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            c.number_format = NUMBER_FORMATS[kind]
        if wrap:
            c.alignment = Alignment(wrap_text=True, vertical="top")
        return c

    ws.append([cell(table.title, font=title_font)])
    ws.append([cell(table.subtitle)])
    ws.append([])
    ws.append([cell(h, font=bold, wrap=True) for h in table.headers])
    kinds = [c.kind for c in table.columns]
    styled = [k in NUMBER_FORMATS for k in kinds]
    for row in table.rows:
        # Plain values for text cells (styling every cell costs ~10× the time); formats only on numbers.
        ws.append([cell(v, kind=k) if s and isinstance(v, (int, Decimal)) else v
                   for v, k, s in zip(row, kinds, styled)])
    if table.total:
        ws.append([cell(v, kind=k, font=bold) for v, k in zip(table.total, kinds)])
    if table.notes:
        ws.append([])
        for note in table.notes:
            ws.append([cell(_("Ghi chú: %(note)s") % {"note": note})])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


RENDERERS = {"csv": (to_csv, "text/csv; charset=utf-8"),
             "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
