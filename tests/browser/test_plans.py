"""Province staff create a multi-year plan for a pre-reform district with targets per year and a budget; the
department viewer reads its progress and drills down to the records counted."""
import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_create_a_district_plan_and_the_viewer_drills_down(live_server, page):
    from plans.models import Plan
    from tests.plans.factories import certify
    from tests.reports.factories import ReportWorld

    world = ReportWorld()
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    log_in(page, base, world.staff)
    page.get_by_role("link", name="Kế hoạch OCOP", exact=True).first.click()
    page.get_by_role("link", name="Tạo kế hoạch").click()
    page.get_by_label("Tên kế hoạch").fill("Kế hoạch thực hiện Chương trình OCOP huyện Chợ Lách giai đoạn 2022–2025")
    page.get_by_label("Số hiệu văn bản").fill("25/KH-UBND")
    page.get_by_label("Ngày ban hành").fill("2022-03-14")
    page.get_by_label("Đơn vị ban hành").select_option(label="Huyện Chợ Lách (cũ, Tỉnh Bến Tre)")
    page.get_by_label("Từ năm", exact=True).first.fill("2022")
    page.get_by_label("Đến năm", exact=True).first.fill("2025")
    for n, (year, value) in enumerate([("2023", "2"), ("2024", "3")]):
        page.locator(f'[name="targets-{n}-indicator"]').select_option("new_3star")
        page.locator(f'[name="targets-{n}-year"]').fill(year)
        page.locator(f'[name="targets-{n}-value"]').fill(value)
    for n, (source, planned) in enumerate([("district", "500000000"), ("counterpart", "3000000000")]):
        page.locator(f'[name="budget-{n}-source"]').select_option(source)
        page.locator(f'[name="budget-{n}-planned_vnd"]').fill(planned)
    page.get_by_role("button", name="Lưu kế hoạch").click()
    expect(page.locator("h1")).to_have_text("Kế hoạch thực hiện Chương trình OCOP huyện Chợ Lách giai đoạn 2022–2025")
    plan = Plan.objects.get(document_number="25/KH-UBND")
    assert (plan.issuing_unit, plan.year_from, plan.year_to, plan.targets.count(), plan.budget_lines.count()) == (
        world.cho_lach, 2022, 2025, 2, 2)
    page.screenshot(path=str(ARTIFACTS / "plans-created.png"), full_page=True)

    # Legacy certificates of 2023 in the district's old communes, entered later.
    certify(world.hoa_nghia, 3, datetime.date(2023, 4, 12))
    certify(world.son_dinh, 3, datetime.date(2023, 12, 15))
    certify(world.hoa_nghia, 4, datetime.date(2023, 12, 15))

    log_in(page, base, world.viewer)
    page.goto(f"{base}{plan.get_absolute_url()}")
    row = page.locator("#plan-progress tbody tr").first
    expect(row.locator("td")).to_have_text(["Sản phẩm mới đạt 3 sao trở lên", "Huyện Chợ Lách (cũ, Tỉnh Bến Tre)",
                                            "Năm 2023", "2", "3", "150,0"])
    expect(page.get_by_role("link", name="Sửa kế hoạch")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "plans-progress.png"), full_page=True)
    row.get_by_role("link", name="3").click()
    expect(page.locator("#plan-records tbody tr")).to_have_count(3)
    expect(page.locator("#plan-records tbody tr").first.locator("td").last).to_have_text(
        "Xã Hòa Nghĩa (cũ, Tỉnh Bến Tre)")
    page.screenshot(path=str(ARTIFACTS / "plans-records.png"), full_page=True)
