"""The shared layout of official documents (ocop_portal.documents): the place-and-date line of Decree 30/2020."""
import datetime
from types import SimpleNamespace

from django.utils import translation

from ocop_portal.documents import committee_in_text, date_line, peoples_committee, place_name, unit_in_text
from tests.pdf import needs_poppler, pdf_fonts, pdf_text


def test_days_below_ten_and_months_one_and_two_take_a_leading_zero():
    with translation.override("vi"):
        assert date_line("Vĩnh Long", datetime.date(2026, 2, 3)) == "Vĩnh Long, ngày 03 tháng 02 năm 2026"
        assert date_line("Vĩnh Long", datetime.date(2026, 3, 9)) == "Vĩnh Long, ngày 09 tháng 3 năm 2026"
        assert date_line("Vĩnh Long", datetime.date(2026, 12, 25)) == "Vĩnh Long, ngày 25 tháng 12 năm 2026"


def test_an_unsigned_document_leaves_day_and_month_to_the_signer():
    with translation.override("vi"):
        assert date_line("Chợ Lách", None, year=2026) == "Chợ Lách, ngày …… tháng …… năm 2026"


def test_units_are_named_as_documents_name_them():
    province, commune = SimpleNamespace(name="Tỉnh Vĩnh Long"), SimpleNamespace(name="Xã Chợ Lách")
    with translation.override("vi"):
        assert (place_name(province), place_name(commune)) == ("Vĩnh Long", "Chợ Lách")
        assert place_name(SimpleNamespace(name="Thành phố Cần Thơ")) == "Cần Thơ"
        assert unit_in_text(commune) == "xã Chợ Lách"
        assert committee_in_text(commune) == "Ủy ban nhân dân xã Chợ Lách"
        assert peoples_committee(province) == "ỦY BAN NHÂN DÂN\nTỈNH VĨNH LONG"


@needs_poppler
def test_the_documents_user_agent_stylesheet_keeps_list_markers_and_headings():
    """pdf_from_html lays documents out with WeasyPrint's user-agent rules minus the pseudo-elements no document
    uses (markers stay on list items): bullets, numbered lists and bold headings read as before."""
    from ocop_portal.documents import pdf_from_html

    pdf = pdf_from_html('<html lang="vi"><body><h3>Lý do xếp hạng</h3><ul><li>Điểm trung bình 90,00</li></ul>'
                        '<ol><li>Hồ sơ thứ nhất</li><li>Hồ sơ thứ hai</li></ol></body></html>')
    text = pdf_text(pdf)
    assert "Lý do xếp hạng" in text and "• Điểm trung bình 90,00" in text
    assert "1. Hồ sơ thứ nhất" in text and "2. Hồ sơ thứ hai" in text
    assert all(pdf_fonts(pdf).values())
