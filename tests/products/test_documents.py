"""The recognition decision for signing, with its annexed list of products (issue 14, item 8)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from ocop_portal.documents import date_line, place_name
from products import services
from products.enums import DecisionStatus
from tests.factories import ProvinceFactory, user_with_role
from tests.pdf import needs_poppler, pdf_fonts, pdf_lines, pdf_text, response_bytes

from .factories import closed_round

pytestmark = [pytest.mark.django_db, needs_poppler]


def _pdf(client, user, decision):
    client.force_login(user)
    response = client.get(reverse("products:decision_pdf", args=[decision.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response_bytes(response)


def test_the_draft_decision_lists_the_products_for_signing(client, setup):
    decision = services.decision_create_from_round(round_=setup.round, by=setup.staff)
    items = list(decision.items.select_related("dossier__producer", "dossier__commune").order_by("position"))
    pdf = _pdf(client, setup.staff, decision)
    text = pdf_text(pdf)

    assert text.count("DỰ THẢO") >= 2, "the heading of the decision and of its annex"
    assert "ỦY BAN NHÂN DÂN" in text and setup.province.name.upper() in text
    assert "Số: ……/QĐ-UBND" in text and "ngày …… tháng …… năm" in text
    assert "QUYẾT ĐỊNH" in text and "Về việc công nhận kết quả đánh giá, phân hạng sản phẩm OCOP" in text
    assert "Công nhận 2 sản phẩm đạt chuẩn OCOP" in text
    assert "DANH SÁCH SẢN PHẨM ĐẠT CHUẨN OCOP" in text
    words = set(text.split())
    for item in items:
        for value in (item.product_name, item.dossier.producer.name, item.dossier.commune.name):
            # A long name wraps inside its annex cell, and pdftotext reads the next cell before the rest of it.
            assert value in text or set(value.split()) <= words, value
    assert "★★★★ (4 sao)" in text and "★★★ (3 sao)" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "Nơi nhận:" in text and "- Lưu: VT." in text
    fonts = pdf_fonts(pdf)
    assert all(fonts.values()) and any(name.startswith("DejaVu-Sans") for name in fonts), fonts


def test_a_recorded_decision_names_its_number_date_and_signer_without_the_draft_mark(client, setup):
    decision = services.decision_create_from_round(round_=setup.round, by=setup.staff)
    services.decision_transition(decision=decision, to=DecisionStatus.RECORDED, by=setup.staff, number="125/QĐ-UBND",
                                 decided_on=timezone.localdate(), signer_name="Nguyễn Văn Hưng",
                                 signer_title="KT. CHỦ TỊCH — PHÓ CHỦ TỊCH")
    text = pdf_text(_pdf(client, setup.staff, decision))
    assert "DỰ THẢO" not in text
    today = timezone.localdate()
    assert "Số: 125/QĐ-UBND" in text and date_line(place_name(setup.province), today) in text
    assert f"Kèm theo Quyết định số 125/QĐ-UBND ngày {today:%d/%m/%Y}" in text
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text and "Nguyễn Văn Hưng" in text


def test_the_decision_pdf_is_province_staff_only(client, setup):
    decision = services.decision_create_from_round(round_=setup.round, by=setup.staff)
    url = reverse("products:decision_pdf", args=[decision.pk])
    for user in (setup.officer, user_with_role(Role.PROVINCE_STAFF, ProvinceFactory())):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_decision_pdf_reads_a_fixed_number_of_queries(client, setup, django_assert_max_num_queries):
    few = services.decision_create_from_round(round_=setup.round, by=setup.staff)
    many = services.decision_create_from_round(round_=closed_round(setup.province, [4, 3, 3, 4, 3, 3, 4, 3]),
                                               by=setup.staff)
    client.force_login(setup.staff)
    client.get(reverse("products:decision_pdf", args=[few.pk]))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("products:decision_pdf", args=[few.pk]))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("products:decision_pdf", args=[many.pk]))
    assert "Công nhận 8 sản phẩm" in pdf_text(response_bytes(response))


def test_the_decision_page_links_the_pdf(client, setup):
    decision = services.decision_create_from_round(round_=setup.round, by=setup.staff)
    client.force_login(setup.staff)
    html = client.get(reverse("products:decision_detail", args=[decision.pk])).content.decode()
    assert f'href="{reverse("products:decision_pdf", args=[decision.pk])}"' in html
    assert "Tải dự thảo quyết định để trình ký (PDF)" in html


def test_the_certificate_keeps_the_motto_on_one_line_and_names_place_date_and_signer(setup,
                                                                                     django_capture_on_commit_callbacks):
    from products.models import Certificate

    from .factories import published_decision

    setup.province.name = "Tỉnh Vĩnh Long"
    setup.province.save()
    with django_capture_on_commit_callbacks(execute=True):
        decision = published_decision(setup.round, setup.staff, number="1887/QĐ-UBND")
    certificate = Certificate.objects.filter(decision=decision).order_by("pk").first()
    with certificate.pdf.open("rb") as fh:
        pdf = fh.read()
    lines = pdf_lines(pdf)
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in lines), "the motto on one line"
    text = pdf_text(pdf)
    assert date_line("Vĩnh Long", decision.decided_on) in text
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text and "Nguyễn Văn Hưng" in text
    assert all(pdf_fonts(pdf).values())
