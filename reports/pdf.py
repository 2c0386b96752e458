"""Report files as PDF, laid out as a Vietnamese administrative document (Decree 30/2020/NĐ-CP, Annex I; see
README "Report PDFs"): issuing body and national motto, number, place and date, kind and subject, the body with
its tables (header rows repeated on every page, wide tables on landscape pages), recipients and the signature
block. WeasyPrint with the one font configuration and cache of the process (ocop_portal.documents); the fonts
(Noto Serif, DejaVu as fallback) carry every Vietnamese glyph and are embedded, subset, in the file.

Charts: `section_chart` puts the dashboards' SVG bar chart (reports.charts) of a section's total row above its
table, styled by the same static/css/charts.css."""
import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .formatters import as_of_label, html_rows
from .registry import INT, TEXT, Table

# A section's chart has at most this many bars (one per count column of the total row).
CHART_MAX_BARS = 12
# A table with more columns than this is set on a landscape page (Decree 30 allows it for wide tables).
PORTRAIT_MAX_COLUMNS = 9



ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass
class Letterhead:
    """The parts of the document around its body, as they read on the document's date."""

    parent_body: str
    issuing_body: str
    symbol: str
    place: str
    day: datetime.date
    recipients: list = field(default_factory=list)
    signer_title: str = ""

    @property
    def date_line(self) -> str:
        """"Vĩnh Long, ngày 02 tháng 12 năm 2026": days 1–9 and months 1–2 take a leading zero."""
        month = f"{self.day.month:02d}" if self.day.month <= 2 else str(self.day.month)
        return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
            "place": self.place, "day": f"{self.day.day:02d}", "month": month, "year": self.day.year}


def _upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


def _place_name(province) -> str:
    """"Tỉnh Vĩnh Long" → "Vĩnh Long"; "Thành phố Cần Thơ" → "Cần Thơ"."""
    name = str(province.name)
    for prefix in ("Thành phố ", "Tỉnh ", "TP. "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _initials(name: str) -> str:
    """"Sở Nông nghiệp và Môi trường" → "SNNMT" (the issuer's part of the document symbol)."""
    folded = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return "".join(w[0].upper() for w in folded.split() if w[0].isalpha() and w.lower() != "va")


def _without_place(name: str) -> str:
    """"Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long" → "Sở Nông nghiệp và Môi trường" (the parent body's line
    already names the province)."""
    for marker in (" tỉnh ", " thành phố ", " Tỉnh ", " Thành phố "):
        if marker in name:
            return name.split(marker, 1)[0]
    return name


def letterhead_for(province, *, day: datetime.date | None = None) -> Letterhead:
    """The province's agriculture department as the issuing body and its people's committee as the parent body,
    named as they were on `day` (the organisations' validity dates); the standard names when none is recorded."""
    from accounts.enums import OrganisationKind
    from accounts.selectors import organisation_on

    day = day or timezone.localdate()
    department = organisation_on(kind=OrganisationKind.AGRICULTURE_DEPARTMENT, unit=province, day=day)
    committee = organisation_on(kind=OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, unit=province, day=day)
    issuing = _without_place(department.name) if department else _("Sở Nông nghiệp và Môi trường")
    parent = (committee.short_name or committee.name) if committee else _("UBND %(province)s") % {
        "province": province.name}
    short = _initials(issuing)
    return Letterhead(
        parent_body=_upper(parent), issuing_body=_upper(issuing), symbol=f"BC-{short}", place=_place_name(province),
        day=day,
        recipients=[_("UBND %(province)s;") % {"province": province.name.replace("Tỉnh", "tỉnh", 1)},
                    _("Bộ Nông nghiệp và Môi trường (Văn phòng Điều phối nông thôn mới Trung ương);"),
                    _("Lưu: VT, %(unit)s.") % {"unit": short}],
        signer_title=_upper(_("Giám đốc")))


@functools.cache
def _chart_css() -> str:
    """The dashboards' chart styles (static/css/charts.css), so a chart in a PDF looks as it does on the page."""
    return (Path(settings.BASE_DIR) / "static" / "css" / "charts.css").read_text(encoding="utf-8")


def section_chart(table: Table, number: int = 0) -> dict | None:
    """The chart above a section's table: its total row as one bar per count column (the dashboards' SVG bar
    chart, reports.charts), with a title the text of the PDF holds. None for a table without a total row or with
    fewer than two or more than CHART_MAX_BARS count columns (the periodic report's summary, one-figure tables,
    the 20 statuses of the dossier progress)."""
    from .charts import Chart, Series

    if not table.total or not table.rows:
        return None
    counted = [(c, v) for c, v in zip(table.columns, table.total) if c.kind == INT and isinstance(v, int)]
    if not 2 <= len(counted) <= CHART_MAX_BARS:  # more bars than a page holds legibly: the table says it better
        return None
    title = _("Biểu đồ: %(title)s — tổng cộng theo cột") % {"title": table.title}
    chart = Chart(id=f"chart-section-{number}", kind="bar", title=title,
                  description=_("Mỗi thanh là tổng cộng của một cột trong bảng dưới đây."),
                  categories=[str(c.label) for c, _v in counted], series=[Series("total", _("Tổng cộng"))],
                  values=[[v] for _c, v in counted])
    # WeasyPrint styles an inline SVG only from a <style> inside it: the page's chart styles go there.
    # WeasyPrint also needs the drawing's size: 11 cm wide, as tall as its viewBox says.
    svg = str(chart.svg).replace("</desc>", f"</desc><style>{_chart_css()}</style>", 1)
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    if box:
        height = 11 * float(box.group(2)) / float(box.group(1))
        svg = svg.replace("<svg ", f'<svg width="11cm" height="{height:.2f}cm" ', 1)
    return {"title": title, "svg": mark_safe(svg)}


def _section(number: int, table: Table, progress) -> dict:
    rows = html_rows(table)
    transposed = len(table.rows) == 1 and len(table.columns) > 3
    if transposed:
        # One row (the whole province): its columns become lines "indicator | figure", readable on a portrait page.
        label, *values = rows["rows"][0]
        rows = {"headers": [(_("Chỉ tiêu"), False), (label[0], True)],
                "rows": [[(str(c.label), False), v] for c, v in zip(table.columns[1:], values)], "total": None}
    if progress is not None:
        progress(len(table.rows))
    return {"number": ROMAN[number] if number < len(ROMAN) else str(number + 1), "table": table, "rows": rows,
            "landscape": not transposed and len(table.columns) > PORTRAIT_MAX_COLUMNS,
            "text_columns": [c.kind == TEXT for c in table.columns], "chart": section_chart(table, number)}


def to_pdf(tables: list[Table], *, subject: str, letterhead: Letterhead, intro: str = "", progress=None) -> bytes:
    """One document: a numbered section per table (title, subtitle, "Số liệu tính đến", unit line, the table with
    its total row, its notes). `progress(rows)` is told the rows laid out so far."""
    from ocop_portal.documents import pdf_from_html

    done = 0

    def advance(n):
        nonlocal done
        done += n
        progress(done)

    sections = [_section(i, t, advance if progress else None) for i, t in enumerate(tables)]
    as_of = next((t.as_of for t in tables if t.as_of), None)
    html = render_to_string("reports/pdf/report.html", {
        "letterhead": letterhead, "subject": subject, "sections": sections, "intro": intro,
        "as_of": as_of_label(as_of), "as_of_long": as_of_long(as_of)
    })
    # The one font configuration and cache shared by every PDF of the process (flat memory).
    return pdf_from_html(html)


def as_of_long(as_of) -> str:
    """"Số liệu tính đến 17 giờ 00 ngày 02/12/2026" (documents.md)."""
    if as_of is None:
        return ""
    local = timezone.localtime(as_of)
    return _("Số liệu tính đến %(h)s giờ %(m)s ngày %(day)s") % {
        "h": f"{local.hour:02d}", "m": f"{local.minute:02d}", "day": local.strftime("%d/%m/%Y")}
