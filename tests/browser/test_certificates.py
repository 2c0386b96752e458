"""Province staff turn a closed round into a recognition decision, record and publish it, and open the
certificate; an anonymous visitor then scans the QR link and sees the certificate is valid, with its stars."""
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from products.models import Certificate
from tests.factories import PASSWORD, CommuneFactory, user_with_role
from tests.products.factories import closed_round, province_with_committee

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PRODUCT = "Bánh phồng sữa Sơn Đốc"


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"certificates-{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_publish_a_decision_and_a_visitor_verifies_the_certificate(live_server, page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OCOP_PUBLIC_BASE_URL = live_server.url
    province = province_with_committee(name="Tỉnh Vĩnh Long")
    commune = CommuneFactory(parent=province, name="Xã Chợ Lách")
    user_with_role(Role.PROVINCE_STAFF, province, username="canbo.tinh", full_name="Lê Minh Tâm")
    round_ = closed_round(province, [4], commune=commune, product_names=[PRODUCT])
    base = live_server.url

    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo.tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/quyet-dinh/")
    page.get_by_role("link", name="Lập quyết định từ kỳ đánh giá").click()
    page.get_by_label("Kỳ đánh giá đã kết thúc").select_option(str(round_.pk))
    page.get_by_role("button", name="Lập dự thảo").click()
    expect(page.locator("#decision-status")).to_have_text("Dự thảo")
    expect(page.get_by_role("cell", name=PRODUCT)).to_be_visible()
    _shot(page, "1-draft")

    page.get_by_label("Số quyết định").fill("1887/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.locator("#id_signer_name").fill("Nguyễn Văn Hưng")
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.locator("#decision-status")).to_have_text("Đã ký, vào sổ")
    page.get_by_role("button", name="Công bố và cấp giấy chứng nhận").click()
    # Publishing issues the certificates: a page says so and asks first.
    expect(page.get_by_test_id("consequences")).to_contain_text("cấp 1 giấy chứng nhận OCOP")
    page.get_by_role("button", name="Xác nhận công bố và cấp giấy chứng nhận").click()
    expect(page.locator("#decision-status")).to_have_text("Đã công bố")
    _shot(page, "2-published")

    cert = Certificate.objects.get()
    page.get_by_role("link", name=cert.number).click()
    expect(page.locator("#product-name")).to_contain_text(PRODUCT)
    expect(page.locator("#certificate-pdf")).to_be_visible()
    _shot(page, "3-certificate")

    page.context.clear_cookies()
    page.goto(cert.public_verify_url)
    expect(page.locator("#verify-state")).to_have_text("Còn hiệu lực")
    expect(page.locator("#verify-stars")).to_have_text("★★★★")
    expect(page.get_by_text(PRODUCT)).to_be_visible()
    _shot(page, "4-verified")

    # On a phone the public catalogue shows one card per product, each value labelled by its column.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/san-pham-ocop/{province.code}/")
    row = page.locator("#catalogue-table tbody tr").first
    expect(row.locator("td").first).to_have_attribute("data-label", "Sản phẩm")
    expect(row.get_by_text(PRODUCT)).to_be_visible()
    header_box = page.locator("#catalogue-table thead").bounding_box()
    assert header_box is None or header_box["height"] <= 1  # the header row is hidden, its words are on each cell
    cells = row.locator("td")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert second["y"] > first["y"]  # cells stack, one line per column
    _shot(page, "5-catalogue-phone")
