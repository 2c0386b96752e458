"""Three council members score the same dossier; the third sees the others' sheets only after submitting;
the secretariat opens the meeting; the chair closes it; the result page explains the star; the minutes PDF
keeps the product's Vietnamese diacritics."""
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.enums import Role
from evaluations.enums import CouncilRole
from evaluations.models import Assignment, Option
from tests.evaluations.factories import CouncilFactory, MembershipFactory, RoundEntryFactory, RoundFactory
from tests.factories import PASSWORD, ProvinceFactory, user_with_role

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PRODUCT = "Kẹo dừa sáp Chợ Lách"


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"council-scoring-{name}.png"), full_page=True)


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def _score(page, base, round_, entry, points):
    page.goto(f"{base}/danh-gia/ky/{round_.pk}/")
    page.get_by_role("link", name=PRODUCT).click()
    for code, value in points.items():
        option = Option.objects.get(rubric=entry.rubric, criterion__code=code, points=value)
        page.locator(f"#o{option.pk}").check()
    expect(page.get_by_test_id("summary")).to_contain_text("Đã tự động lưu")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_three_members_score_the_chair_closes_and_the_minutes_keep_the_diacritics(live_server, page):
    province = ProvinceFactory(name="Tỉnh Vĩnh Long")
    council = CouncilFactory(province=province, name="Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Vĩnh Long")
    chair = MembershipFactory(council=council, role=CouncilRole.CHAIR,
                              user=user_with_role(Role.COUNCIL_MEMBER, province, username="chutich", full_name="Phạm Quốc Bảo"))
    secretary = MembershipFactory(council=council, role=CouncilRole.SECRETARY,
                                  user=user_with_role(Role.COUNCIL_MEMBER, province, username="thuky", full_name="Võ Thị Mai"))
    member = MembershipFactory(council=council,
                               user=user_with_role(Role.COUNCIL_MEMBER, province, username="tv1", full_name="Đặng Hữu Phước"))
    user_with_role(Role.PROVINCE_STAFF, province, username="canbo.tinh", full_name="Lê Minh Tâm")
    round_ = RoundFactory(council=council, title="Kỳ đánh giá đợt 2 năm 2026")
    entry = RoundEntryFactory(round=round_)
    type(entry.dossier).objects.filter(pk=entry.dossier_id).update(product_name=PRODUCT)
    for m in (chair, secretary, member):
        Assignment.objects.create(round=round_, dossier=entry.dossier, member=m)
    base = live_server.url
    page.set_default_timeout(15_000)

    # The first two members score and submit.
    for username, points in (("chutich", {"1.1": 25, "4.1": 15, "9": 35}), ("thuky", {"1.1": 40, "4.1": 5, "9": 35})):
        _login(page, base, username)
        _score(page, base, round_, entry, points)
        page.get_by_role("button", name="Nộp phiếu", exact=True).click()
        expect(page.get_by_text("Đã nộp phiếu chấm.")).to_be_visible()

    # The third, on a phone, sees no one else's sheet until submitting; the running total rides in the
    # sticky action bar, refreshed by each autosave.
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, base, "tv1")
    _score(page, base, round_, entry, {"1.1": 25, "4.1": 5, "9": 35})
    expect(page.get_by_test_id("total")).to_have_text("65,00")
    expect(page.get_by_test_id("summary-mini")).to_be_visible()
    expect(page.get_by_test_id("summary-mini")).to_contain_text("Tổng 65,00/100")
    expect(page.get_by_test_id("summary-mini")).to_contain_text("Đã chấm 3/")
    _shot(page, "phone-sheet")
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.get_by_test_id("peers-hidden")).to_be_visible()
    expect(page.get_by_text("Phạm Quốc Bảo")).to_have_count(0)
    _shot(page, "before-submit")
    page.get_by_role("button", name="Nộp phiếu", exact=True).click()
    expect(page.get_by_test_id("peers")).to_contain_text("Phạm Quốc Bảo")
    expect(page.get_by_test_id("peers")).to_contain_text("Võ Thị Mai")
    _shot(page, "after-submit")

    # The secretariat opens the meeting; the chair closes it.
    _login(page, base, "canbo.tinh")
    page.goto(f"{base}/danh-gia/ky/{round_.pk}/")
    page.get_by_role("button", name="Chuyển sang “Họp hội đồng”").click()
    expect(page.get_by_test_id("phase")).to_have_text("Họp hội đồng")
    _login(page, base, "chutich")
    page.goto(f"{base}/danh-gia/ky/{round_.pk}/")
    page.get_by_role("link", name="Kết thúc phiên họp và chốt kết quả").click()
    # 80 − 65 = 15 points apart, over the council's limit of 10: the meeting cannot close yet.
    expect(page.get_by_test_id("consequences")).to_contain_text("Thao tác này không hoàn tác được.")
    expect(page.get_by_test_id("close-blocked")).to_be_visible()
    _shot(page, "close-blocked")
    page.get_by_role("link", name="Đến trang kết quả").click()
    page.get_by_label("Kết luận của hội đồng và lý do").fill("Hội đồng thảo luận, thống nhất giữ điểm các thành viên")
    page.get_by_role("button", name="Ghi kết luận của hội đồng").click()
    expect(page.get_by_test_id("conclusion")).to_contain_text("thống nhất giữ điểm")
    page.goto(f"{base}/danh-gia/ky/{round_.pk}/ket-thuc/")
    page.get_by_role("button", name="Xác nhận kết thúc phiên họp").click()
    expect(page.get_by_test_id("phase")).to_have_text("Đã kết thúc")

    # The result page explains the star: mean 73.33 → band 4★, the 4★ minimum on 4.1 missed → 3★.
    page.get_by_role("link", name="Kết quả").click()
    reasons = page.get_by_test_id("reasons")
    expect(reasons).to_contain_text("Điểm trung bình 73,33 của 3 phiếu → hạng 4★")
    expect(reasons).to_contain_text("Chưa đạt yêu cầu tối thiểu 4★ ở tiêu chí 4.1 → 3★")
    expect(page.get_by_test_id("star")).to_contain_text("3★")
    _shot(page, "results")

    response = page.request.get(f"{base}/danh-gia/ky/{round_.pk}/bien-ban.pdf")
    assert response.status == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert PRODUCT in text
    assert "Phạm Quốc Bảo" in text
    assert "thống nhất giữ điểm các thành viên" in " ".join(text.split())
