"""Formatters for any report Table: display strings for HTML, CSV (UTF-8 with BOM, safe against spreadsheet
formula injection) and XLSX (openpyxl write-only: fast and flat in memory for big tables).

"Số liệu tính đến <ngày giờ>" (Table.as_of): the HTML preview and the XLSX state it above the table; the CSV
keeps to one header line and the rows (so any tool reads it as a table) and carries the moment in its download
name instead (services.report_file_name: "...-so-lieu-den-2026-12-02-07h30-12.csv")."""
import csv
import datetime
import io
from decimal import Decimal

from django.utils import timezone
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
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
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


def html_preview(table: Table) -> dict:
    """The on-screen preview: html_rows' headers and total row, and each row already printed as its <tr> (the
    first cell a row header, numbers aligned right), so the template prints a string per row instead of
    rendering every cell."""
    from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper

    from django.utils.safestring import mark_safe

    kinds = [c.kind for c in table.columns]
    opens = ['<th scope="row">' if n == 0 else ('<td class="text-end">' if k != TEXT else "<td>")
             for n, k in enumerate(kinds)]
    closes = ["</th>" if n == 0 else "</td>" for n in range(len(kinds))]
    cells = list(zip(kinds, opens, closes))
    return {
        "headers": [(c.label, c.kind != TEXT) for c in table.columns],
        "rows": [mark_safe("<tr>" + "".join(f"{o}{escape(display(v, k))}{c}" for v, (k, o, c) in zip(row, cells))
                           + "</tr>") for row in table.rows],
        "total": [(display(v, k), k != TEXT) for v, k in zip(table.total, kinds)] if table.total else None,
    }


def _plain(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral_value() else str(value)
    return "" if value is None else value


# Rows written between two progress reports of a long export (ReportRun.rows_done).
PROGRESS_STEP = 500


def to_csv(table: Table, *, progress=None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(h) for h in table.headers])
    for i, row in enumerate(table.rows, 1):
        writer.writerow([csv_safe(_plain(v)) for v in row])
        if progress is not None and i % PROGRESS_STEP == 0:
            progress(i)
    if table.total:
        writer.writerow([csv_safe(_plain(v)) for v in table.total])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


NUMBER_FORMATS = {INT: "#,##0", VND: '#,##0 "₫"', PCT: "0.0", DEC: "#,##0.##"}
DATE_FORMAT, DATETIME_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
# The sheet: title, subtitle and "Số liệu tính đến …" above the table, the column headers on HEADER_ROW (frozen,
# with filters), then the rows, the total row (outside the filter, so sorting never moves it) and the notes.
HEADER_ROW = 4
MIN_WIDTH, MAX_WIDTH, HEADER_WRAP = 8, 60, 24
INVALID_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def as_of_label(as_of) -> str:
    """"Số liệu tính đến 02/12/2026 07:30" (Asia/Ho_Chi_Minh), or "" for a table read at no recorded moment."""
    if as_of is None:
        return ""
    return _("Số liệu tính đến %(moment)s") % {"moment": timezone.localtime(as_of).strftime("%d/%m/%Y %H:%M")}


def _xlsx_value(value):
    """A value openpyxl stores as a number or a date: Decimal → float, an aware datetime → local wall time."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _width_text(value, kind) -> str:
    if isinstance(value, datetime.datetime):
        return "00/00/0000 00:00"
    if isinstance(value, datetime.date):
        return "00/00/0000"
    return display(value, kind)


def column_widths(table: Table) -> list:
    """Widths in characters from the longest value of each column (headers wrap past HEADER_WRAP)."""
    widths = []
    for i, column in enumerate(table.columns):
        longest = max(len(word) for word in str(column.label).split() or [""])
        longest = max(longest, min(len(str(column.label)), HEADER_WRAP))
        for row in (*table.rows, *([table.total] if table.total else [])):
            value = row[i]
            if value is not None and value != "":
                longest = max(longest, len(_width_text(value, column.kind)))
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, longest + 2)))
    return widths


def to_xlsx(table: Table, *, progress=None) -> bytes:
    """A sheet made for work: frozen header row with filters, widths that fit, numbers as numbers, dates as dates
    (dd/mm/yyyy), and text never a formula (a value starting with = + - @ TAB or CR is stored as a text cell)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(table.title).translate(INVALID_SHEET_CHARS)[:31].strip() or "Bao cao")
    bold, title_font = Font(bold=True), Font(bold=True, size=13)
    for i, width in enumerate(column_widths(table)):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"  # before the first row: write-only sheets write their view first
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    def cell(value, *, font=None, kind=TEXT, wrap=False):
        value = _xlsx_value(value)
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever the text starts with
        elif isinstance(value, datetime.datetime):
            c.number_format = DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            c.number_format = DATE_FORMAT
        elif kind in NUMBER_FORMATS and isinstance(value, (int, float)) and not isinstance(value, bool):
            c.number_format = NUMBER_FORMATS[kind]
        if font:
            c.font = font
        if wrap:
            c.alignment = Alignment(wrap_text=True, vertical="top")
        return c

    def plain(value, kind, styled):
        # Plain values for ordinary text (styling every cell costs ~10× the time); a cell object only where a
        # number format, a date format or the text type must be set.
        if isinstance(value, str):
            return cell(value) if value.startswith(FORMULA_PREFIXES) else value
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, datetime.date) or (styled and isinstance(value, (int, Decimal, float))):
            return cell(value, kind=kind)
        return _xlsx_value(value)

    ws.append([cell(table.title, font=title_font)])
    ws.append([cell(table.subtitle)])
    ws.append([cell(as_of_label(table.as_of))])
    ws.append([cell(h, font=bold, wrap=True) for h in table.headers])
    kinds = [c.kind for c in table.columns]
    styled = [k in NUMBER_FORMATS for k in kinds]
    for i, row in enumerate(table.rows, 1):
        ws.append([plain(v, k, s) for v, k, s in zip(row, kinds, styled)])
        if progress is not None and i % PROGRESS_STEP == 0:
            progress(i)
    last_column = get_column_letter(max(1, len(table.columns)))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + len(table.rows)}"
    if table.total:
        ws.append([cell(v, kind=k, font=bold) for v, k in zip(table.total, kinds)])
    if table.notes:
        ws.append([])
        for note in table.notes:
            ws.append([cell(_("Ghi chú: %(note)s") % {"note": note})])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


RENDERERS = {"csv": (to_csv, "text/csv; charset=utf-8"),
             "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
# The PDF is a document of several tables with a letterhead, made by reports.pdf (services.render_report_file).
CONTENT_TYPES = {fmt: content_type for fmt, (_render, content_type) in RENDERERS.items()} | {"pdf": "application/pdf"}
