"""Province staff's journey: export the quarterly progress report as PDF, watch its progress, download it; subscribe
the agriculture department to it every quarter, change the subscription, and cancel it after confirming."""
import re
import subprocess
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
def test_province_staff_export_the_pdf_and_subscribe_the_department(live_server, page):
    from accounts.enums import OrganisationKind
    from reports.models import Subscription
    from tests.factories import OrganisationFactory
    from tests.reports.factories import ReportWorld

    world = ReportWorld()
    OrganisationFactory(kind=OrganisationKind.AGRICULTURE_DEPARTMENT, unit=world.province,
                        name="Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long")
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(120_000)  # the PDF is made in the request when tasks run in-process (tests)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(world.staff.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/bao-cao/")
    page.get_by_role("link", name="Báo cáo định kỳ tình hình thực hiện Chương trình OCOP").click()
    page.get_by_label("Kỳ báo cáo").select_option("quarter")
    page.get_by_label("Số kỳ").fill("4")
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page.locator("#report-table")).to_contain_text("Tiến độ hồ sơ OCOP")
    page.get_by_role("button", name="Xuất PDF (văn bản hành chính)").click()
    download_link = page.locator("#run-download")
    expect(download_link).to_be_visible(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "report-pdf-run.png"), full_page=True)
    with page.expect_download() as info:
        download_link.click()
    assert re.fullmatch(r"bao-cao-dinh-ky-.*-\d+\.pdf", info.value.suggested_filename)
    path = ARTIFACTS / "report-periodic.pdf"
    info.value.save_as(str(path))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Tình hình thực hiện Chương trình OCOP quý IV năm" in " ".join(text.split())

    page.goto(f"{live_server.url}/bao-cao/")
    page.get_by_role("link", name="Đăng ký nhận báo cáo định kỳ").click()
    page.get_by_role("link", name="Thêm đăng ký").click()
    page.get_by_label("Cơ quan nhận báo cáo").select_option(label="Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long")
    page.locator("#id_code").select_option("periodic_progress")
    page.get_by_label("Tần suất gửi").select_option("quarterly")
    page.get_by_label("Định dạng tệp").select_option("pdf")
    page.get_by_role("button", name="Lưu").click()
    rows = page.locator("#subscription-list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Hằng quý")
    page.screenshot(path=str(ARTIFACTS / "report-subscriptions.png"), full_page=True)

    rows.first.get_by_role("link", name=re.compile("^Sửa")).click()
    page.get_by_label("Tần suất gửi").select_option("yearly")
    page.get_by_role("button", name="Lưu").click()
    expect(rows.first).to_contain_text("Hằng năm")

    rows.first.get_by_role("link", name=re.compile("^Hủy")).click()
    expect(page.locator("#subscription-delete-warning")).to_contain_text("không hoàn tác được")
    assert Subscription.objects.count() == 1
    page.get_by_role("button", name="Xác nhận hủy đăng ký").click()
    expect(page.locator("#subscription-list tbody tr")).to_have_text(["Chưa có đăng ký nhận báo cáo nào."])
    assert Subscription.objects.count() == 0
