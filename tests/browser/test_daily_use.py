"""A commune officer on a phone loses nothing: Form 01 and the self-assessment are autosaved on the server
while they type, found again after navigating away or reloading (on any device: the draft is the
server's), required evidence is listed before submitting, and several files upload at once with a progress
bar while the buttons wait."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from accounts.models import FormDraft
from registrations.enums import DossierStatus
from tests.factories import PASSWORD, CommuneFactory, ProvinceFactory, user_with_role
from tests.browser.audit import PageAudit
from tests.evaluations.factories import small_rubric
from tests.registrations.factories import PDF_BYTES, PNG_BYTES, DossierFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"daily-{name}.png"), full_page=True)


def _login(page, base, username):
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


@pytest.fixture
def officer_and_dossier(transactional_db):
    province = ProvinceFactory(name="Tỉnh Vĩnh Long", code="86")
    commune = CommuneFactory(parent=province, name="Xã Chợ Lách", code="29017")
    officer = user_with_role(Role.COMMUNE_OFFICER, commune, username="canbo.xa", full_name="Nguyễn Thị Hồng")
    dossier = DossierFactory(producer__commune=commune, status=DossierStatus.DRAFT, product_name="Kẹo dừa sáp")
    small_rubric(dossier.product_set)
    return officer, dossier


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_half_filled_form_01_and_self_assessment_survive_leaving_and_reloading(live_server, page, officer_and_dossier):
    officer, dossier = officer_and_dossier
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.set_default_timeout(10_000)
    audit = PageAudit()
    _login(page, base, "canbo.xa")
    audit.visit(page, "home")
    edit = f"{base}/ho-so/{dossier.pk}/sua/"
    page.goto(edit)
    audit.visit(page, "dossier edit")

    # Required evidence is listed before submitting.
    checklist = page.locator("#submit-checklist")
    expect(checklist).to_contain_text("Minh chứng bắt buộc: Giấy đăng ký kinh doanh — chưa có")

    # Half of Form 01, never saved with a button.
    page.get_by_label("Điện thoại").fill("0275 3871 234")
    page.get_by_label("Lịch sử hình thành").fill("Thành lập năm 2015 từ tổ hợp tác trồng dừa.")
    expect(page.locator("#dossier-form [data-autosave-status]")).to_contain_text("Đã tự động lưu bản nháp lúc")
    # Leaving with a change not yet autosaved asks first.
    page.get_by_label("Thị trường").fill("Chợ Bến Tre")
    assert page.evaluate("() => { const e = new Event('beforeunload', {cancelable: true});"
                         " window.dispatchEvent(e); return e.defaultPrevented; }") is True
    expect(page.locator("#dossier-form [data-autosave-status]")).to_contain_text("Đã tự động lưu bản nháp lúc")
    assert page.evaluate("() => { const e = new Event('beforeunload', {cancelable: true});"
                         " window.dispatchEvent(e); return e.defaultPrevented; }") is False

    # Half of the self-assessment: two of three criteria ticked.
    page.goto(f"{base}/danh-gia/tu-danh-gia/{dossier.pk}/")
    audit.visit(page, "self-assessment")
    page.get_by_role("group", name=re.compile("Nguồn gốc sản phẩm")).get_by_label(re.compile("Mức 2")).check()
    page.get_by_role("group", name=re.compile("Khu vực phân phối chính")).get_by_label(re.compile("Mức 3")).check()
    expect(page.locator("#self-assessment-form [data-autosave-status]")).to_contain_text("Đã tự động lưu bản nháp lúc")
    page.get_by_role("link", name="OCOP", exact=True).click()  # away, as a person would
    page.wait_for_url(f"{base}/")

    # Back, and after a reload: everything is there.
    page.goto(edit)
    expect(page.locator("#draft-restored")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Điện thoại")).to_have_value("0275 3871 234")
    expect(page.get_by_label("Lịch sử hình thành")).to_have_value("Thành lập năm 2015 từ tổ hợp tác trồng dừa.")
    expect(page.get_by_label("Thị trường")).to_have_value("Chợ Bến Tre")
    _shot(page, "1-form-01-restored")
    page.goto(f"{base}/danh-gia/tu-danh-gia/{dossier.pk}/")
    page.reload()
    expect(page.get_by_role("group", name=re.compile("Nguồn gốc sản phẩm")).get_by_label(re.compile("Mức 2"))).to_be_checked()
    expect(page.get_by_role("group", name=re.compile("Khu vực phân phối chính")).get_by_label(re.compile("Mức 3"))).to_be_checked()
    expect(page.get_by_role("group", name=re.compile("Công bố chất lượng")).get_by_role("radio").first).not_to_be_checked()
    _shot(page, "2-self-assessment-restored")

    # The drafts are the server's (another device finds them); saving for real keeps the values and ends the draft.
    assert set(FormDraft.objects.filter(user=officer).values_list("key", flat=True)) == {
        f"dossier:{dossier.pk}", f"self-assessment:{dossier.pk}"}
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu phần tự đánh giá.")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("Nguồn gốc sản phẩm")).get_by_label(re.compile("Mức 2"))).to_be_checked()
    assert list(FormDraft.objects.filter(user=officer).values_list("key", flat=True)) == [f"dossier:{dossier.pk}"]
    page.goto(f"{base}/ho-so/{dossier.pk}/")
    audit.visit(page, "dossier detail")
    audit.assert_clean()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_several_files_upload_at_once_with_progress_and_buttons_disabled(live_server, page, officer_and_dossier, tmp_path):
    officer, dossier = officer_and_dossier
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.set_default_timeout(15_000)
    files = []
    for name, content in (("giay-dang-ky-1.pdf", PDF_BYTES), ("giay-dang-ky-2.png", PNG_BYTES),
                          ("giay-dang-ky-3.pdf", PDF_BYTES + b"%" * 1_500_000)):
        path = tmp_path / name
        path.write_bytes(content)
        files.append(str(path))
    _login(page, base, "canbo.xa")
    page.goto(f"{base}/ho-so/{dossier.pk}/sua/")
    # A slow uplink, as in a commune: the upload takes a moment, long enough to watch.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 50, "downloadThroughput": 2_000_000, "uploadThroughput": 400_000})

    page.get_by_label("Loại minh chứng").select_option(label="Giấy đăng ký kinh doanh")
    page.get_by_label("Tệp minh chứng").set_input_files(files)
    page.get_by_role("button", name="Lưu nháp").click()
    progress = page.locator("#upload-progress")
    expect(progress).to_be_visible()
    expect(page.get_by_role("button", name="Lưu nháp")).to_be_disabled()
    expect(page.get_by_role("button", name="Nộp hồ sơ")).to_be_disabled()
    page.wait_for_function("() => document.querySelector('#upload-progress') &&"
                           " document.querySelector('#upload-progress').value > 0")
    _shot(page, "3-uploading")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    expect(page.get_by_text("Đã tải lên tệp giay-dang-ky-1.pdf, giay-dang-ky-2.png, giay-dang-ky-3.pdf.")).to_be_visible()
    expect(page.locator("#evidence-list li")).to_have_count(3)
    expect(page.locator("#submit-checklist")).to_contain_text("Minh chứng bắt buộc: Giấy đăng ký kinh doanh — đã có")
    expect(page.get_by_role("button", name="Lưu nháp")).to_be_enabled()
    _shot(page, "4-uploaded")
    assert dossier.revisions.get().evidence_files.count() == 3
