"""The report viewer's journey: open the dossier progress report, preview it, export XLSX, download the file."""
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_viewer_previews_exports_and_downloads_the_progress_report(live_server, page):
    from tests.reports.factories import ReportWorld

    world = ReportWorld()
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(world.viewer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("link", name="Báo cáo", exact=True).first.click()
    page.get_by_role("link", name="Tiến độ hồ sơ OCOP").click()
    expect(page.locator("h1")).to_have_text("Tiến độ hồ sơ OCOP")
    table = page.locator("#report-table")
    expect(table.locator("tbody th")).to_have_text(["Xã Chợ Lách", "Xã Mỏ Cày"])
    expect(page.locator("#report-total td").nth(14)).to_have_text("9")
    expect(page.locator("#report-as-of")).to_have_text(re.compile(r"^Số liệu tính đến \d\d/\d\d/\d{4} \d\d:\d\d$"))
    page.screenshot(path=str(ARTIFACTS / "reports-preview.png"), full_page=True)

    page.get_by_label("Tổng hợp").select_option("old_province")
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(table.locator("tbody th")).to_have_text(["Tỉnh Bến Tre (cũ)", "Tỉnh Vĩnh Long (cũ)"])

    page.get_by_role("button", name="Xuất Excel (XLSX)").click()
    download_link = page.locator("#run-download")
    expect(download_link).to_be_visible(timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "reports-run.png"), full_page=True)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert re.fullmatch(r"tien-do-ho-so-ocop-2026-so-lieu-den-\d{4}-\d\d-\d\d-\d\dh\d\d-\d+\.xlsx",
                        download.suggested_filename)
    path = ARTIFACTS / "reports-download.xlsx"
    download.save_as(str(path))
    ws = load_workbook(io.BytesIO(path.read_bytes())).active
    assert ws["A1"].value == "Tiến độ hồ sơ OCOP" and ws["A3"].value.startswith("Số liệu tính đến ")
    assert (ws.freeze_panes, ws.auto_filter.ref) == ("A5", "A4:S6")
    assert [[c.value for c in row][:1] + [[c.value for c in row][14]] for row in ws.iter_rows(min_row=5, max_row=7)] == [
        ["Tỉnh Bến Tre (cũ)", 7], ["Tỉnh Vĩnh Long (cũ)", 2], ["Tổng cộng", 9]]
