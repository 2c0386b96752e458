"""Official documents as PDFs (Decree 30/2020/NĐ-CP layout): one WeasyPrint font configuration and cache for
every document, the place-and-date line, and storage keyed on the content.

Every document template extends `documents/base.html` (the national motto, issuing body, number, place-and-date
line, signature blocks and recipients, styled by `documents/document.css`). A document is rendered to HTML
first (cheap); its PDF is stored once under the SHA-256 of that HTML, so the same content is never rendered
twice and changed data (or a changed layout) can never be served from an old file.
"""
import datetime
import gc
import hashlib
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

_font_config = None
_cache: dict = {}
_html_class = None
_fetchers = threading.local()

# The kind words that lead an administrative unit's name; the place line ("địa danh") names the unit without them.
_UNIT_KINDS = re.compile(r"^(Tỉnh|Thành phố|Huyện|Quận|Thị xã|Thị trấn|Xã|Phường|Đặc khu)\s+", re.IGNORECASE)


def fonts():
    """The one FontConfiguration of the process (without it WeasyPrint's memory grows with every PDF)."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


def _document_html():
    """WeasyPrint's HTML class with a user-agent stylesheet cut to what documents use: the stock one styles the
    pseudo-elements ::marker, ::footnote-call/-marker and ::note-call/-marker/-callback of *every* element, so
    each element of a document had six pseudo-element styles computed (a fifth of a long document's time). Here
    markers are kept for list items only and the footnote/note rules (no document uses CSS footnotes) are
    dropped; every other rule is WeasyPrint's own, read from the installed version. If that text changes shape
    the patterns simply do not match and the stock rules apply (slower, same output)."""
    global _html_class
    if _html_class is None:
        from weasyprint import CSS, HTML
        from weasyprint.css.counters import CounterStyle
        from weasyprint.html import UA

        text = re.sub(r"(?m)^::marker\b", "li::marker", UA)
        text = re.sub(r"(?m)^::(footnote|note)-[a-z]+ \{[^}\n]*\}\n", "", text)
        stylesheet = CSS(string=text, counter_style=CounterStyle(), url_fetcher=_url_fetcher())

        class DocumentHTML(HTML):
            def _ua_stylesheets(self, forms=False):
                return [stylesheet] if not forms else [stylesheet, *super()._ua_stylesheets(forms)[1:]]

        _html_class = DocumentHTML
    return _html_class


def _url_fetcher():
    """One URL fetcher per thread (it keeps the request it is opening): WeasyPrint makes a new one, with a new SSL
    context (~25 ms), for every document otherwise."""
    fetcher = getattr(_fetchers, "fetcher", None)
    if fetcher is None:
        from weasyprint.urls import URLFetcher

        fetcher = _fetchers.fetcher = URLFetcher()
    return fetcher


@contextmanager
def _without_cyclic_gc():
    """WeasyPrint allocates millions of short-lived objects while it lays a document out; each allocation burst
    made Python's cyclic collector run again over every object of the process (the worker's models, templates,
    fonts), a quarter of a long document's time. Its garbage is freed by reference counting; the few cycles
    it leaves are collected after the document, when the collector is back on. Process-wide, so a thread that
    finds it already off (another document being rendered) leaves it to the one that turned it off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pdf_from_html(html: str) -> bytes:
    with _without_cyclic_gc():
        return _document_html()(string=html, url_fetcher=_url_fetcher()).write_pdf(font_config=fonts(),
                                                                                   cache=_cache)


def render_html(template: str, context: dict) -> str:
    """A document's HTML, always in Vietnamese (the language of official paper)."""
    with translation.override("vi"):
        return render_to_string(template, context)


def place_name(unit) -> str:
    """'Tỉnh Vĩnh Long' → 'Vĩnh Long': the place as a document's date line writes it."""
    return _UNIT_KINDS.sub("", getattr(unit, "name", "") or "").strip()


def unit_in_text(unit) -> str:
    """'Xã Chợ Lách' → 'xã Chợ Lách', as a unit is named inside a sentence."""
    name = getattr(unit, "name", "") or ""
    return _UNIT_KINDS.sub(lambda m: m.group(1).lower() + " ", name, count=1)


def committee_in_text(unit) -> str:
    """'Ủy ban nhân dân xã Chợ Lách', as a document addresses a unit's People's Committee."""
    return f"{_('Ủy ban nhân dân')} {unit_in_text(unit)}"


def peoples_committee(unit) -> str:
    """'ỦY BAN NHÂN DÂN\nXÃ CHỢ LÁCH': the People's Committee of a unit as an issuing body (two capital lines)."""
    return f"{_('Ủy ban nhân dân').upper()}\n{unit_in_text(unit).upper()}"


def local_day(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def date_line(place: str, day: datetime.date | None, *, year: int | None = None) -> str:
    """'Vĩnh Long, ngày 02 tháng 12 năm 2026': days 1–9 and months 1–2 take a leading zero (Decree 30/2020).
    Without a day (a draft to be signed) the day and month are left as dots for the signer's hand."""
    if day is None:
        blank = "……"
        return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
            "place": place or blank, "day": blank, "month": blank, "year": year or blank}
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place, "day": f"{day.day:02d}", "month": f"{day.month:02d}" if day.month <= 2 else str(day.month),
        "year": day.year}


@dataclass
class Signer:
    """A signature block: the authority ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), the title, the name."""

    title: str
    name: str = ""
    authority: str = ""
    note: str = ""


@dataclass
class Letterhead:
    """The parts every official document shares, in the order of documents.md."""

    kind: str  # "QUYẾT ĐỊNH", "BÁO CÁO", "PHIẾU ĐĂNG KÝ …"
    subject: str = ""
    issuer: str = ""  # the issuing body, bold capitals (empty on a producer's own form)
    issuer_parent: str = ""  # the body above it, regular capitals
    number: str = ""  # "Số: 15/BC-SNNMT"
    place: str = ""
    day: datetime.date | None = None
    year: int | None = None
    form_code: str = ""  # "Mẫu số 01"
    draft: bool = False
    signers: list[Signer] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)

    @property
    def date_line(self) -> str:
        return date_line(self.place, self.day, year=self.year)


def stored_pdf(*, folder: str, template: str, context: dict) -> str:
    """Render the document and return the storage name of its PDF, rendering the PDF only the first time this
    exact content is asked for."""
    html = render_html(template, context)
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    name = f"documents/{folder}/{digest}.pdf"
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(pdf_from_html(html)))
        if saved != name:  # a concurrent request stored the same content first: keep one copy
            default_storage.delete(saved)
    return name


def pdf_response(name: str, *, filename: str) -> FileResponse:
    response = FileResponse(default_storage.open(name, "rb"), as_attachment=False, content_type="application/pdf",
                            filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


def document_response(*, folder: str, template: str, context: dict, filename: str) -> FileResponse:
    return pdf_response(stored_pdf(folder=folder, template=template, context=context), filename=filename)
