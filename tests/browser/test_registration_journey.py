"""A commune officer registers a producer and a first-evaluation dossier with two evidence files,
submits it, records Form 03 and forwards it; province staff return it for completion; the officer
revises and forwards again; the history shows both revisions."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.enums import Role
from registrations.models import Dossier
from tests.factories import PASSWORD, CommuneFactory, ProvinceFactory, user_with_role
from tests.registrations.factories import PDF_BYTES, PNG_BYTES, ProductSetFactory

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"registration-{name}.png"), full_page=True)


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def _record_form_03(page):
    page.get_by_role("link", name="Lập Mẫu 03").click()
    for item in ("origin_and_raw_material", "local_labour", "idea_origin", "local_identity"):
        page.locator(f"#id_{item}").get_by_role("radio", name="Đạt", exact=True).check()
    page.locator("#id_conclusion").get_by_role("radio", name=re.compile("^Đủ điều kiện")).check()
    page.get_by_label("Ý kiến của cán bộ").fill("Sản phẩm từ dừa xiêm địa phương, lao động tại xã.")
    page.get_by_role("button", name="Lưu Mẫu 03").click()
    expect(page.get_by_text("Đã lưu báo cáo đánh giá cấp xã (Mẫu 03).")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_commune_officer_and_province_staff_take_a_dossier_through_return_and_revision(live_server, page, tmp_path):
    province = ProvinceFactory(name="Tỉnh Vĩnh Long", code="86")
    commune = CommuneFactory(parent=province, name="Xã Chợ Lách", code="29017")
    user_with_role(Role.COMMUNE_OFFICER, commune, username="canbo.xa", full_name="Nguyễn Thị Hồng")
    user_with_role(Role.PROVINCE_STAFF, province, username="canbo.tinh", full_name="Lê Minh Tâm")
    ProductSetFactory(name="Kẹo, mứt, bánh")
    base = live_server.url
    page.set_default_timeout(10_000)
    registration = tmp_path / "giay-dang-ky-kinh-doanh.pdf"
    registration.write_bytes(PDF_BYTES)
    declaration = tmp_path / "ban-tu-cong-bo.png"
    declaration.write_bytes(PNG_BYTES)

    # The commune officer registers the producer.
    _login(page, base, "canbo.xa")
    page.get_by_role("link", name="Chủ thể").click()
    page.get_by_role("link", name="Thêm chủ thể").click()
    page.get_by_label("Loại hình chủ thể").select_option(label="Hợp tác xã")
    page.get_by_label("Tên chủ thể").fill("HTX Dừa Xiêm Chợ Lách")
    page.get_by_label("Mã số thuế / số đăng ký kinh doanh").fill("1300123456")
    page.get_by_label("Xã, phường").select_option(label="Xã Chợ Lách")
    page.get_by_label(re.compile(r"^Địa chỉ( \*)?$")).fill("Ấp Phú Hiệp")
    page.get_by_label("Người đại diện theo pháp luật").fill("Nguyễn Văn Tư")
    page.get_by_label("Giới tính người đại diện").select_option(label="Nam")
    page.get_by_label("Tổng số lao động").fill("25")
    page.get_by_label("Lao động địa phương").fill("22")
    page.get_by_label("Sàn thương mại điện tử").check()
    page.get_by_role("button", name="Lưu chủ thể").click()
    expect(page.get_by_role("heading", name="HTX Dừa Xiêm Chợ Lách")).to_be_visible()

    # … and a first-evaluation dossier with two evidence files, one visit at a time.
    page.get_by_role("link", name="Tạo hồ sơ").click()
    page.get_by_label("Đánh giá lần đầu").check()
    page.get_by_label("Tên sản phẩm").fill("Kẹo dừa sáp")
    page.get_by_label("Bộ sản phẩm").select_option(index=1)
    page.get_by_role("button", name="Tạo hồ sơ nháp").click()
    expect(page.get_by_text("Đã tạo hồ sơ nháp.")).to_be_visible()
    page.get_by_label("Điện thoại").fill("0275 3871 234")
    page.get_by_label("Lịch sử hình thành").fill("Thành lập năm 2015 từ tổ hợp tác trồng dừa.")
    page.get_by_label("Loại minh chứng").select_option(label="Giấy đăng ký kinh doanh")
    page.get_by_label("Tệp minh chứng").set_input_files(str(registration))
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã tải lên tệp giay-dang-ky-kinh-doanh.pdf.")).to_be_visible()
    page.get_by_label("Loại minh chứng").select_option(label="Bản tự công bố / công bố chất lượng sản phẩm")
    page.get_by_label("Tệp minh chứng").set_input_files(str(declaration))
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("#evidence-list li")).to_have_count(2)
    expect(page.get_by_label("Lịch sử hình thành")).to_have_value("Thành lập năm 2015 từ tổ hợp tác trồng dừa.")
    _shot(page, "1-draft")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("#dossier-status")).to_have_text("Đã nộp cho xã")

    # Form 03, then forward to the province.
    _record_form_03(page)
    page.get_by_role("button", name="Chuyển lên tỉnh").click()
    # Forwarding cannot be taken back by the commune: a page says what will happen and asks first.
    expect(page.get_by_test_id("consequences")).to_contain_text("được cấp số phiếu đăng ký")
    _shot(page, "2-forward-confirm")
    page.get_by_role("button", name="Xác nhận chuyển lên tỉnh").click()
    expect(page.locator("#dossier-status")).to_have_text("Đã chuyển lên tỉnh")
    number = page.locator("#registration-number").inner_text()
    assert re.fullmatch(r"1/PĐK-86-29017-\d{4}", number)
    _shot(page, "2-forwarded")

    # Province staff take it in and return it for completion.
    _login(page, base, "canbo.tinh")
    page.get_by_role("link", name="Hồ sơ xã đã chuyển lên, chờ tỉnh kiểm tra").click()
    page.get_by_role("link", name="Kẹo dừa sáp").click()
    page.get_by_role("button", name="Kiểm tra hồ sơ").click()
    expect(page.locator("#dossier-status")).to_have_text("Tỉnh đang kiểm tra hồ sơ")
    page.get_by_label("Lý do, nội dung (Trả lại để hoàn thiện)").fill("Bổ sung thông tin thị trường tiêu thụ.")
    page.get_by_role("button", name="Trả lại để hoàn thiện").click()
    expect(page.locator("#dossier-status")).to_have_text("Trả lại để hoàn thiện")
    _shot(page, "3-returned")

    # The officer revises, records Form 03 on the new revision and forwards again.
    _login(page, base, "canbo.xa")
    page.get_by_role("link", name="Hồ sơ chờ xã đánh giá (Mẫu 03) và chuyển lên tỉnh").click()
    page.get_by_role("link", name="Kẹo dừa sáp").click()
    expect(page.get_by_text("Đánh giá trên phiên bản cũ")).to_be_attached()
    page.get_by_role("link", name="Soạn, sửa hồ sơ").click()
    page.get_by_label("Thị trường").fill("Siêu thị Co.op Mart, sàn thương mại điện tử")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp.")).to_be_visible()
    page.get_by_role("link", name="Xem hồ sơ").click()
    _record_form_03(page)
    page.get_by_role("button", name="Chuyển lên tỉnh").click()
    page.get_by_role("button", name="Xác nhận chuyển lên tỉnh").click()
    expect(page.locator("#dossier-status")).to_have_text("Đã chuyển lên tỉnh")
    expect(page.locator("#registration-number")).to_have_text(number)

    page.get_by_role("link", name="Lịch sử", exact=True).click()
    expect(page.locator("#revision-list li")).to_have_count(2)
    expect(page.locator("#revision-list")).to_contain_text("Phiên bản lần 1")
    expect(page.locator("#revision-list")).to_contain_text("Phiên bản lần 2")
    expect(page.get_by_text("Thay đổi từ lần 1 sang lần 2")).to_be_visible()
    expect(page.locator(".revision-diff ins")).to_have_text("Siêu thị Co.op Mart, sàn thương mại điện tử")
    # Both revisions carry the two evidence files; the log keeps the province's reason for the return.
    expect(page.locator("#revision-list")).to_contain_text("2 tệp")
    expect(page.locator("#evidence-files li")).to_have_count(2)
    history = page.locator(".activity-history")
    expect(history).to_contain_text("Trả lại hồ sơ để hoàn thiện")
    expect(history).to_contain_text("Bổ sung thông tin thị trường tiêu thụ.")
    expect(history.get_by_text("Chuyển hồ sơ lên tỉnh", exact=True)).to_have_count(2)
    _shot(page, "4-history")

    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.revision_number, dossier.registration_number) == ("forwarded", 2, number)
    assert dossier.assessments.count() == 2
    assert [r.evidence_files.count() for r in dossier.revisions.order_by("number")] == [2, 2]
    assert dossier.revisions.get(number=1).markets == ""
