"""Province staff bring a province's history in: upload a workbook → preview (every row's verdict, with the
errors' cells) → confirm → progress → result → the reports list the imported producers and certificates."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_upload_preview_confirm_and_see_the_records_in_the_reports(live_server, page, tmp_path, celery_worker):
    from tests.imports.factories import GOOD, PRODUCT_HEADERS, import_world, workbook

    world = import_world()
    ARTIFACTS.mkdir(exist_ok=True)
    products = GOOD["Sản phẩm OCOP"][1] + [
        ["P-9", "Rượu dừa", "1300111222", "B01", "Xã Sơn Định", "Chợ Lách", "Bến Tre", "A/9", 6, "9/QĐ",
         "01/03/2024", "Huyện", ""]]
    path = tmp_path / "lich-su-ocop.xlsx"
    path.write_bytes(workbook({**GOOD, "Sản phẩm OCOP": (PRODUCT_HEADERS, products)}))
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(world["staff"].username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/nhap-du-lieu/")
    page.get_by_label("Tệp Excel (.xlsx) hoặc CSV").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.locator("#batch-state")).to_have_text("Chờ xác nhận", timeout=20_000)
    expect(page.locator("#batch-counts")).to_contain_text("Lỗi: 1")
    expect(page.locator("tr.import-row-error")).to_contain_text("I5 Hạng sao phải từ 3 đến 5 (tệp ghi 6).")
    page.screenshot(path=str(ARTIFACTS / "import-preview.png"), full_page=True)
    page.get_by_label("Tôi đã xem kết quả kiểm tra từng dòng").check()
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator("#batch-state")).to_have_text("Đã ghi", timeout=90_000)
    expect(page.locator("#batch-counts")).to_contain_text("Mới: 7")
    page.screenshot(path=str(ARTIFACTS / "import-result.png"), full_page=True)
    page.get_by_role("link", name="Xem báo cáo").click()
    page.goto(f"{base}/bao-cao/producer_list/")
    expect(page.locator("main")).to_contain_text("HTX Dừa Sơn Định")
    page.goto(f"{base}/giay-chung-nhan/")
    expect(page.locator("main")).to_contain_text("31/2024/GCN")
    expect(page.locator("main")).to_contain_text("12/2023/GCN-CT")
