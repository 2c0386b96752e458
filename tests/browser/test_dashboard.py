"""The department viewer's dashboard: the charts on the home page, a chart's data table, and its drill-down
link to the report, whose numbers are the chart's; then the same page on a 390 px phone."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_department_viewer_reads_the_charts_and_drills_down_to_the_report(live_server, page):
    from tests.reports.factories import ReportWorld, every_state

    world = ReportWorld()
    every_state(world)
    ARTIFACTS.mkdir(exist_ok=True)
    _login(page, live_server, world.viewer.username)

    charts = page.get_by_role("img")
    expect(page.locator("figure.chart-card")).to_have_count(6)
    expect(charts.filter(has_text="Chu trình OCOP năm")).to_have_count(1)
    expect(page.get_by_role("heading", name="Việc cần làm tiếp theo")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

    stars = page.locator("#chart-stars")
    marks = stars.locator("rect[data-value]")
    shown = {(m.get_attribute("data-category"), m.get_attribute("data-series")): m.get_attribute("data-value")
             for m in marks.all()}
    assert shown, "the stars chart has no marks"
    table = stars.get_by_role("region")
    expect(table).to_be_hidden()
    stars.get_by_text("Xem bảng số liệu").click()
    expect(table).to_be_visible()
    expect(table.locator("tbody th").first).to_have_text(sorted({c for c, _s in shown})[0])

    stars.get_by_role("link", name="Xem báo cáo sản phẩm OCOP").click()
    expect(page.locator("h1")).to_have_text("Sản phẩm OCOP")
    report = page.locator("#report-table")
    headers = report.locator("thead th").all_inner_texts()
    for row in report.locator("tbody tr").all():
        cells = row.locator("th, td").all_inner_texts()
        for star in (5, 4, 3):
            column = headers.index(f"Còn hiệu lực {star} sao")
            assert cells[column] == shown[(cells[0], f"active_{star}")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_fits_a_phone(live_server, browser):
    from tests.reports.factories import ReportWorld, every_state

    world = ReportWorld()
    every_state(world)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    violations = []
    context.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page = context.new_page()
    _login(page, live_server, world.viewer.username)
    expect(page.locator("figure.chart-card")).to_have_count(6)
    for svg in page.locator("svg.chart").all():
        box = svg.bounding_box()
        assert box["width"] <= 390 and box["x"] >= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#chart-expiring").get_by_text("Xem bảng số liệu").click()
    expect(page.locator("#chart-expiring").get_by_role("region")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)
    context.close()
    assert violations == []
