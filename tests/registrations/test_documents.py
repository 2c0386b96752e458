"""Form 01 and Form 03 as official PDFs, filled from the dossier (issue 14, item 8)."""
import datetime

from django.core.files.storage import default_storage
from django.urls import reverse

from registrations.enums import DossierStatus
from tests.pdf import needs_poppler, pdf_fonts, pdf_lines, pdf_text, response_bytes
from tests.registrations.factories import CommuneAssessmentFactory

pytestmark = needs_poppler


def _get_pdf(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response_bytes(response)


def _stored(folder):
    return sorted(default_storage.listdir(f"documents/{folder}")[1]) if default_storage.exists(f"documents/{folder}") else []


def test_form_01_holds_the_dossier_in_the_official_layout(client, world):
    dossier = world.complete_dossier(product_name="Kẹo dừa sáp Chợ Lách", status=DossierStatus.SUBMITTED,
                                     received_on=datetime.date(2026, 2, 3), commune_receipt_number="15/TN-XCL")
    revision = dossier.revisions.get()
    revision.representative_name, revision.representative_position = "Lê Thị Ánh Nguyệt", "Giám đốc"
    revision.contact_address, revision.sample_count = "Ấp Phú Hiệp", 5
    revision.save()

    pdf = _get_pdf(client, world.officer, reverse("registrations:dossier_form_01", args=[dossier.pk]))
    text, lines = pdf_text(pdf), pdf_lines(pdf)

    assert any(line.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for line in lines), "the motto on one line"
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Chợ Lách, ngày 03 tháng 02 năm 2026" in text
    assert "PHIẾU ĐĂNG KÝ SẢN PHẨM" in text and "Mẫu số 01" in text
    assert "Kính gửi: Ủy ban nhân dân xã Chợ Lách" in text
    for value in ("HTX Dừa Xiêm Chợ Lách", "Lê Thị Ánh Nguyệt", "Kẹo dừa sáp Chợ Lách", dossier.product_set.name,
                  "Mẫu sản phẩm: 5 mẫu", "15/TN-XCL", "03/02/2026"):
        assert value in text, value
    assert "☒ Đánh giá lần đầu ☐ Nâng hạng ☐ Đánh giá lại" in text
    assert "ĐẠI DIỆN CHỦ THỂ" in text
    fonts = pdf_fonts(pdf)
    assert fonts and all(fonts.values()), fonts
    assert any(name.startswith("Noto-Serif") for name in fonts), fonts


def test_a_draft_form_01_leaves_the_day_for_the_signer(client, world):
    dossier = world.complete_dossier()
    text = pdf_text(_get_pdf(client, world.producer_user, reverse("registrations:dossier_form_01", args=[dossier.pk])))
    assert "Chợ Lách, ngày …… tháng …… năm 2026" in text


def test_form_01_is_stored_once_per_content_and_never_served_stale(client, world):
    dossier = world.complete_dossier(product_name="Mật ong rừng U Minh")
    url = reverse("registrations:dossier_form_01", args=[dossier.pk])
    first = _get_pdf(client, world.officer, url)
    assert _get_pdf(client, world.officer, url) == first
    assert len(_stored("mau-01")) == 1

    dossier.product_name = "Mật ong rừng U Minh Hạ"
    dossier.save()
    assert "Mật ong rừng U Minh Hạ" in pdf_text(_get_pdf(client, world.officer, url))
    assert len(_stored("mau-01")) == 2


def test_form_pdfs_of_a_dossier_out_of_scope_are_404(client, world):
    dossier = world.complete_dossier()
    CommuneAssessmentFactory(dossier=dossier)
    for name in ("registrations:dossier_form_01", "registrations:commune_assessment_pdf"):
        url = reverse(name, args=[dossier.pk])
        for user in (world.other_officer, world.other_province_staff, world.other_producer_user):
            client.force_login(user)
            assert client.get(url).status_code == 404, (name, user)
    assert _stored("mau-01") == [] and _stored("mau-03") == []


def test_form_03_reports_the_four_items_and_the_conclusion(client, world):
    dossier = world.complete_dossier(product_name="Bánh phồng Sơn Đốc", status=DossierStatus.COMMUNE_REVIEW,
                                     received_on=datetime.date(2026, 3, 2))
    CommuneAssessmentFactory(dossier=dossier, local_labour="not_met", local_labour_note="Chỉ 30% lao động tại xã",
                             conclusion_note="Đề nghị tỉnh xem xét", assessed_by=world.officer,
                             completed_at=datetime.datetime(2026, 3, 9, 9, 0, tzinfo=datetime.UTC))
    url = reverse("registrations:commune_assessment_pdf", args=[dossier.pk])
    text = pdf_text(_get_pdf(client, world.province_staff, url))

    assert "ỦY BAN NHÂN DÂN" in text and "XÃ CHỢ LÁCH" in text and "Số: ……/BC-UBND" in text
    assert "Chợ Lách, ngày 09 tháng 3 năm 2026" in text
    assert "BÁO CÁO" in text and "Mẫu số 03" in text
    for value in ("Bánh phồng Sơn Đốc", "HTX Dừa Xiêm Chợ Lách", "Nguồn gốc sản phẩm, nguyên liệu địa phương",
                  "Sử dụng lao động địa phương", "Không đạt", "Chỉ 30% lao động tại xã",
                  "Đủ điều kiện, đề nghị cấp tỉnh đánh giá, phân hạng", "Đề nghị tỉnh xem xét", "Nguyễn Thị Hồng",
                  "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nơi nhận:", "- Lưu: VT."):
        assert value in text, value


def test_form_03_before_the_assessment_is_404(client, world):
    dossier = world.complete_dossier()
    client.force_login(world.officer)
    assert client.get(reverse("registrations:commune_assessment_pdf", args=[dossier.pk])).status_code == 404


def test_form_01_names_who_received_the_dossier_at_the_commune(client, world):
    from registrations.services import dossier_transition

    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to=DossierStatus.SUBMITTED, by=world.producer_user)
    dossier_transition(dossier=dossier, to=DossierStatus.COMMUNE_REVIEW, by=world.officer)
    dossier.refresh_from_db()
    text = pdf_text(_get_pdf(client, world.producer_user, reverse("registrations:dossier_form_01", args=[dossier.pk])))
    assert "PHẦN TIẾP NHẬN CỦA ỦY BAN NHÂN DÂN CẤP XÃ" in text
    assert f"Người nhận: {world.officer.full_name}" in text
    assert dossier.commune_receipt_number and dossier.commune_receipt_number in text
