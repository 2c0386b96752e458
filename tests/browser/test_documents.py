"""The paper offices still need (issue 14, item 8): a commune officer prints Form 01 from the dossier page, and
province staff download the draft recognition decision for signing; both PDFs carry the filled values."""
from pathlib import Path

import pytest

from accounts.enums import Role
from products import services as product_services
from tests.factories import PASSWORD, CommuneFactory, user_with_role
from tests.pdf import needs_poppler, pdf_text
from tests.products.factories import closed_round, province_with_committee
from tests.registrations.factories import DossierFactory, ProducerFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_poppler]


def _login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def _download(page, link_name, tmp_path) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_bytes()


def test_a_commune_officer_prints_form_01_of_a_dossier(live_server, page, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    province = province_with_committee(name="Tỉnh Vĩnh Long")
    commune = CommuneFactory(parent=province, name="Xã Chợ Lách")
    user_with_role(Role.COMMUNE_OFFICER, commune, username="canbo.xa", full_name="Nguyễn Thị Hồng")
    producer = ProducerFactory(commune=commune, name="HTX Dừa Xiêm Chợ Lách")
    dossier = DossierFactory(producer=producer, product_name="Kẹo dừa sáp Chợ Lách",
                             revision__representative_name="Lê Thị Ánh Nguyệt")
    base = live_server.url

    _login(page, base, "canbo.xa")
    page.goto(f"{base}{dossier.get_absolute_url()}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "documents-1-dossier.png"), full_page=True)
    text = pdf_text(_download(page, "In Mẫu 01 (PDF)", tmp_path))

    assert "PHIẾU ĐĂNG KÝ SẢN PHẨM" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    for value in ("Kẹo dừa sáp Chợ Lách", "HTX Dừa Xiêm Chợ Lách", "Lê Thị Ánh Nguyệt", "Kính gửi: Ủy ban nhân dân xã Chợ Lách"):
        assert value in text, value


def test_province_staff_download_the_draft_decision_for_signing(live_server, page, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    province = province_with_committee(name="Tỉnh Vĩnh Long")
    commune = CommuneFactory(parent=province, name="Xã Chợ Lách")
    staff = user_with_role(Role.PROVINCE_STAFF, province, username="canbo.tinh", full_name="Lê Minh Tâm")
    round_ = closed_round(province, [4, 3], commune=commune,
                          product_names=["Bánh phồng sữa Sơn Đốc", "Bưởi da xanh Chợ Lách"])
    decision = product_services.decision_create_from_round(round_=round_, by=staff)
    base = live_server.url

    _login(page, base, "canbo.tinh")
    page.goto(f"{base}{decision.get_absolute_url()}")
    page.screenshot(path=str(ARTIFACTS / "documents-2-decision.png"), full_page=True)
    text = pdf_text(_download(page, "Tải dự thảo quyết định để trình ký (PDF)", tmp_path))

    assert "DỰ THẢO" in text and "QUYẾT ĐỊNH" in text and "DANH SÁCH SẢN PHẨM ĐẠT CHUẨN OCOP" in text
    assert "ỦY BAN NHÂN DÂN" in text and "TỈNH VĨNH LONG" in text and "Vĩnh Long, ngày …… tháng …… năm" in text
    for value in ("Bánh phồng sữa Sơn Đốc", "Bưởi da xanh Chợ Lách", "Xã Chợ Lách", "★★★★", "★★★"):
        assert value in text, value
