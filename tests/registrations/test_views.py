import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from activity.models import ActivityLog
from registrations.enums import DossierStatus
from registrations.models import Dossier, EvidenceFile, Producer
from registrations.services import commune_assessment_record, dossier_transition
from tests.registrations.factories import (
    PDF_BYTES,
    DossierFactory,
    EvidenceFileFactory,
    ProducerFactory,
    ProductSetFactory,
)

PRODUCER_POST = {
    "kind": "household", "name": "Cơ sở kẹo dừa Thanh Long", "tax_code": "1300555666", "commune": None,
    "address": "Ấp Phú Thạnh", "representative_name": "Trần Thị Bé", "representative_position": "Chủ cơ sở",
    "representative_gender": "female", "representative_ethnicity": "Khmer", "phone": "0909 123 456",
    "email": "keodua@example.vn", "workforce_total": "12", "workforce_local": "10",
    "sales_channels": ["supermarket", "ecommerce"], "certificates": ["food_safety"],
}


def _dossier_post(dossier, **extra):
    data = {
        "kind": "first", "product_name": dossier.product_name, "product_set": dossier.product_set_id,
        "representative_name": "Nguyễn Văn Tư", "representative_position": "Giám đốc", "contact_address": "Ấp Phú Hiệp",
        "phone": "0275 3871 234", "email": "", "sample_count": "5", "history": "Thành lập năm 2015",
        "markets": "Siêu thị Co.op Mart", "action": "save",
    }
    data.update(extra)
    return data


@pytest.fixture
def officer_client(client, world):
    client.force_login(world.officer)
    return client


def test_officer_registers_a_producer(officer_client, world):
    response = officer_client.post(reverse("registrations:producer_create"), {**PRODUCER_POST, "commune": world.commune.pk})
    producer = Producer.objects.get(tax_code="1300555666")
    assert response.status_code == 302 and response.url == producer.get_absolute_url()
    assert (producer.representative_ethnicity, producer.sales_channels) == ("Khmer", ["supermarket", "ecommerce"])


def test_officer_records_the_craft_village_and_value_chain_the_plan_indicators_count(officer_client, world):
    officer_client.post(reverse("registrations:producer_create"), {
        **PRODUCER_POST, "commune": world.commune.pk, "craft_village": "Làng nghề kẹo dừa Mỏ Cày", "in_value_chain": "on"})
    producer = Producer.objects.get(tax_code="1300555666")
    assert (producer.craft_village, producer.in_value_chain) == ("Làng nghề kẹo dừa Mỏ Cày", True)
    page = officer_client.get(producer.get_absolute_url()).content.decode()
    assert '<dd class="col-sm-9" id="producer-craft-village">Làng nghề kẹo dừa Mỏ Cày</dd>' in page
    assert '<dd class="col-sm-9" id="producer-value-chain">Có tham gia</dd>' in page
    officer_client.post(reverse("registrations:producer_create"), {
        **PRODUCER_POST, "commune": world.commune.pk, "tax_code": "1300555667"})
    plain = Producer.objects.get(tax_code="1300555667")
    assert (plain.craft_village, plain.in_value_chain) == ("", False)
    # Changing them later is an edit like any other, with its before and after in the activity log.
    officer_client.post(reverse("registrations:producer_update", args=[plain.pk]), {
        **PRODUCER_POST, "commune": world.commune.pk, "tax_code": "1300555667", "in_value_chain": "on"})
    log = ActivityLog.objects.get(verb="Sửa chủ thể", object_id=str(plain.pk))
    assert (log.before, log.after) == ({"in_value_chain": False}, {"in_value_chain": True})


def test_wrong_tax_number_is_explained_in_vietnamese_and_typed_values_stay(officer_client, world):
    response = officer_client.post(
        reverse("registrations:producer_create"), {**PRODUCER_POST, "commune": world.commune.pk, "tax_code": "13005-ABC"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Mã số thuế phải gồm 10 hoặc 13 chữ số (dạng 0123456789 hoặc 0123456789-001)." in page
    assert 'value="Cơ sở kẹo dừa Thanh Long"' in page and 'value="13005-ABC"' in page
    assert not Producer.objects.filter(name="Cơ sở kẹo dừa Thanh Long").exists()


def test_duplicate_producer_points_to_the_existing_one(officer_client, world):
    response = officer_client.post(
        reverse("registrations:producer_create"), {**PRODUCER_POST, "commune": world.commune.pk, "tax_code": "1300123456"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert f'Chủ thể có mã số thuế này đã có: <a href="{world.producer.get_absolute_url()}">HTX Dừa Xiêm Chợ Lách</a>' in page
    assert 'value="Trần Thị Bé"' in page


def test_officer_cannot_place_a_producer_in_another_commune(officer_client, world):
    response = officer_client.post(
        reverse("registrations:producer_create"), {**PRODUCER_POST, "commune": world.other_commune.pk}
    )
    assert response.status_code == 400
    assert not Producer.objects.filter(tax_code="1300555666").exists()


def test_dossier_create_then_edit_saves_the_draft(officer_client, world):
    product_set = ProductSetFactory()
    response = officer_client.post(reverse("registrations:dossier_create"), {
        "producer": world.producer.pk, "kind": "first", "product_name": "Kẹo dừa sáp", "product_set": product_set.pk,
    })
    dossier = Dossier.objects.get(product_name="Kẹo dừa sáp")
    assert response.url == reverse("registrations:dossier_edit", args=[dossier.pk])
    response = officer_client.post(response.url, _dossier_post(dossier, history="Làng nghề kẹo dừa"))
    assert response.status_code == 302
    assert dossier.revisions.get().history == "Làng nghề kẹo dừa"


def test_a_22_mb_file_is_refused_and_typed_fields_are_kept(officer_client, world):
    # Under the request cap (26 MB), so the page is answered; the upload handler skips the file at 20 MB.
    dossier = DossierFactory(producer=world.producer)
    big = SimpleUploadedFile("bao-cao.pdf", PDF_BYTES + b"0" * (22 * 1024 * 1024), content_type="application/pdf")
    response = officer_client.post(
        reverse("registrations:dossier_edit", args=[dossier.pk]),
        _dossier_post(dossier, history="Nội dung vừa gõ", evidence_kind="lab_test", evidence_file=big),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tệp bao-cao.pdf vượt quá dung lượng tối đa 20 MB nên không được lưu." in page
    assert "Nội dung vừa gõ" in page
    # The valid fields were saved anyway: a later visit finds them.
    assert dossier.revisions.get().history == "Nội dung vừa gõ"
    assert EvidenceFile.objects.count() == 0


def test_an_executable_renamed_to_pdf_is_refused(officer_client, world):
    dossier = DossierFactory(producer=world.producer)
    fake = SimpleUploadedFile("giay-phep.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500)
    response = officer_client.post(
        reverse("registrations:dossier_edit", args=[dossier.pk]),
        _dossier_post(dossier, markets="Chợ nổi Cái Bè", evidence_kind="business_registration", evidence_file=fake),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nội dung tệp giay-phep.pdf không phải là PDF thật (đuôi tệp bị đổi?)" in page
    assert "Chợ nổi Cái Bè" in page
    assert EvidenceFile.objects.count() == 0


def test_a_good_file_is_kept_when_another_field_has_an_error(officer_client, world):
    dossier = DossierFactory(producer=world.producer)
    good = SimpleUploadedFile("dang-ky.pdf", PDF_BYTES)
    response = officer_client.post(
        reverse("registrations:dossier_edit", args=[dossier.pk]),
        _dossier_post(dossier, email="khong-phai-email", evidence_kind="business_registration", evidence_file=good),
    )
    assert response.status_code == 400
    assert "Nhập một địa chỉ email hợp lệ." in response.content.decode()
    assert list(EvidenceFile.objects.values_list("original_name", flat=True)) == ["dang-ky.pdf"]
    assert "dang-ky.pdf" in response.content.decode()


def test_submitting_without_a_required_evidence_item_says_which(officer_client, world):
    dossier = DossierFactory(producer=world.producer)
    officer_client.post(
        reverse("registrations:dossier_edit", args=[dossier.pk]),
        _dossier_post(dossier, evidence_kind="business_registration", evidence_file=SimpleUploadedFile("dk.pdf", PDF_BYTES)),
    )
    response = officer_client.post(
        reverse("registrations:dossier_edit", args=[dossier.pk]), _dossier_post(dossier, action="submit", markets="Xuất khẩu Úc")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Thiếu minh chứng bắt buộc: Bản tự công bố / công bố chất lượng sản phẩm." in page
    assert "Xuất khẩu Úc" in page
    dossier.refresh_from_db()
    assert dossier.status == "draft"


def test_a_pdf_evidence_opens_in_the_browser_with_the_security_headers_kept(officer_client, world):
    dossier = world.complete_dossier()
    evidence = EvidenceFile.objects.filter(revision__dossier=dossier).first()
    response = officer_client.get(reverse("registrations:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert (response["Content-Type"], response["X-Content-Type-Options"], response["Cache-Control"]) == (
        "application/pdf", "nosniff", "private, no-store")
    assert response["Content-Disposition"] == 'inline; filename="dang-ky.pdf"'
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_an_office_evidence_file_is_downloaded(officer_client, world):
    dossier = world.complete_dossier()
    evidence = EvidenceFileFactory(revision=dossier.revisions.get(), original_name="ke-hoach.docx",
                                   content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response = officer_client.get(reverse("registrations:evidence_download", args=[evidence.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_detail_page_shows_the_revision_diff_and_marks_the_old_assessment(officer_client, world):
    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    commune_assessment_record(dossier=dossier, by=world.officer, origin_and_raw_material="met", local_labour="met",
                              idea_origin="met", local_identity="met", conclusion="forward")
    dossier_transition(dossier=dossier, to="forwarded", by=world.officer)
    dossier_transition(dossier=dossier, to="intake", by=world.province_staff)
    dossier_transition(dossier=dossier, to="returned", by=world.province_staff, note="Bổ sung thị trường")
    officer_client.post(reverse("registrations:dossier_edit", args=[dossier.pk]), _dossier_post(dossier, markets="Thêm sàn Shopee"))
    page = officer_client.get(dossier.get_absolute_url()).content.decode()
    assert "Thay đổi từ lần 1 sang lần 2" in page
    assert "<ins>Thêm sàn Shopee</ins>" in page
    assert "Đánh giá trên phiên bản cũ" in page
    assert "Chuyển lên tỉnh" in page  # the officer's action after a provincial return


def test_transition_button_moves_the_dossier_and_reports_errors(officer_client, world):
    dossier = DossierFactory(producer=world.producer)
    response = officer_client.post(reverse("registrations:dossier_transition", args=[dossier.pk, "submitted"]), follow=True)
    assert "Thiếu minh chứng bắt buộc: Giấy đăng ký kinh doanh." in response.content.decode()
    dossier = world.complete_dossier()
    officer_client.post(reverse("registrations:dossier_transition", args=[dossier.pk, "submitted"]))
    dossier.refresh_from_db()
    assert dossier.status == "submitted"


def test_home_page_flags_overdue_dossiers_for_the_officer_and_the_province(client, world):
    import datetime

    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    Dossier.objects.filter(pk=dossier.pk).update(commune_due_on=datetime.date(2026, 1, 2))
    client.force_login(world.officer)
    page = client.get(reverse("home")).content.decode()
    assert "Hồ sơ chờ xã đánh giá (Mẫu 03) và chuyển lên tỉnh" in page and "1 quá hạn" in page
    client.force_login(world.province_staff)
    page = client.get(reverse("home")).content.decode()
    assert "Hồ sơ quá hạn đánh giá cấp xã" in page
    listing = client.get(reverse("registrations:dossier_list") + "?overdue=true").content.decode()
    assert dossier.product_name in listing and "Quá hạn" in listing


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("url_name", ["registrations:dossier_list", "registrations:api-dossier-list"])
def test_dossier_lists_keep_the_same_query_count_for_1_and_50(client, world, url_name):
    client.force_login(world.province_staff)
    DossierFactory(producer=world.producer)
    one, _ = _queries(client, reverse(url_name))
    for i in range(49):
        DossierFactory(producer=ProducerFactory(commune=world.commune if i % 2 else world.other_commune))
    fifty, response = _queries(client, reverse(url_name))
    assert one == fifty
    body = response.content.decode()
    assert body.count("/ho-so/") >= 50 or response.json()["count"] == 50


@pytest.mark.parametrize("url_name", ["registrations:producer_list", "registrations:api-producer-list"])
def test_producer_lists_keep_the_same_query_count_for_1_and_50(client, world, url_name):
    client.force_login(world.province_staff)
    one, _ = _queries(client, reverse(url_name))
    ProducerFactory.create_batch(49, commune=world.other_commune)
    fifty, _ = _queries(client, reverse(url_name))
    assert one == fifty


def test_producer_account_prepares_its_own_dossier_in_the_browser_pages(client, world):
    product_set = ProductSetFactory()
    client.force_login(world.producer_user)
    form = client.get(reverse("registrations:dossier_create")).content.decode()
    assert "HTX Dừa Xiêm Chợ Lách" in form
    response = client.post(reverse("registrations:dossier_create"), {
        "producer": world.producer.pk, "kind": "first", "product_name": "Nước dừa đóng chai", "product_set": product_set.pk,
    })
    dossier = Dossier.objects.get(product_name="Nước dừa đóng chai")
    assert response.url == reverse("registrations:dossier_edit", args=[dossier.pk])
    assert (dossier.commune, dossier.created_by) == (world.commune, world.producer_user)


def test_producer_account_cannot_file_for_another_producer(client, world):
    other = ProducerFactory(commune=world.commune)
    client.force_login(world.producer_user)
    response = client.post(reverse("registrations:dossier_create"), {
        "producer": other.pk, "kind": "first", "product_name": "Giả mạo",
    })
    assert response.status_code == 400
    assert not Dossier.objects.filter(product_name="Giả mạo").exists()


def test_other_apps_add_blocks_to_the_dossier_page_through_panels(officer_client, world, settings, tmp_path):
    from registrations import panels

    template_dir = tmp_path / "tpl"
    (template_dir / "ext").mkdir(parents=True)
    (template_dir / "ext" / "panel.html").write_text("Điểm tự đánh giá: {{ panel.context.total }}", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}]

    def provider(request, dossier):
        return panels.Panel(title="Mẫu 02 phần III", template="ext/panel.html", context={"total": 72})

    panels.register_dossier_panel(provider)
    try:
        page = officer_client.get(world.complete_dossier().get_absolute_url()).content.decode()
    finally:
        panels._providers.remove(provider)
    assert "Mẫu 02 phần III" in page and "Điểm tự đánh giá: 72" in page


def test_officer_records_an_idea_and_moves_its_status_and_the_province_counts_it(client, world):
    from activity.selectors import activity_for
    from registrations.models import ProductIdea

    client.force_login(world.officer)
    client.post(reverse("registrations:idea_create", args=[world.producer.pk]),
                {"title": "Kẹo dừa ít đường", "description": "", "year": "2026"})
    idea = ProductIdea.objects.get()
    response = client.post(reverse("registrations:idea_status", args=[world.producer.pk, idea.pk]),
                           {"to": "approved", "note": "Được chọn hỗ trợ năm 2026"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == "approved"
    assert activity_for(idea).first().before == {"status": "registered"}
    client.force_login(world.province_staff)
    page = client.get(reverse("registrations:support_steps") + "?year=2026").content.decode()
    assert "Được chọn hỗ trợ: 1" in page
    client.force_login(world.other_officer)
    assert client.get(reverse("registrations:idea_update", args=[world.producer.pk, idea.pk])).status_code == 404


def test_officer_links_a_producer_login_which_then_sees_the_producer(client, world):
    from accounts.enums import Role
    from tests.factories import user_with_role

    newcomer = user_with_role(Role.PRODUCER, world.commune, username="keodua")
    outsider = user_with_role(Role.PRODUCER, world.other_commune, username="ngoaixa")
    client.force_login(world.officer)
    url = reverse("registrations:producer_account", args=[world.producer.pk])
    response = client.post(url, {"username": "ngoaixa"})
    assert response.status_code == 400
    assert "Tài khoản “ngoaixa” chưa có vai trò chủ thể OCOP tại Xã Chợ Lách." in response.content.decode()
    assert client.post(url, {"username": "keodua"}).status_code == 302
    assert list(world.producer.accounts.order_by("username").values_list("username", flat=True)) == ["chuthe", "keodua"]
    client.force_login(newcomer)
    assert client.get(world.producer.get_absolute_url()).status_code == 200
    client.force_login(outsider)
    assert client.get(world.producer.get_absolute_url()).status_code == 404
    client.force_login(world.producer_user)  # a producer may not attach other logins
    assert client.get(url).status_code == 404


def test_producer_account_updates_its_own_contacts(client, world):
    client.force_login(world.producer_user)
    url = reverse("registrations:producer_update", args=[world.producer.pk])
    data = {**PRODUCER_POST, "name": world.producer.name, "tax_code": world.producer.tax_code,
            "commune": world.commune.pk, "phone": "0911 222 333"}
    response = client.post(url, data)
    assert response.status_code == 302
    world.producer.refresh_from_db()
    assert world.producer.phone == "0911 222 333"
    response = client.post(url, {**data, "commune": world.other_commune.pk})
    assert response.status_code == 400


# --- added by the issue-3 audit ---------------------------------------------------------------------------
def test_the_valid_fields_are_saved_when_another_field_has_an_error(officer_client, world):
    """The page says "the valid content was saved": it must be true, so a later visit finds it."""
    dossier = DossierFactory(producer=world.producer)
    response = officer_client.post(
        reverse("registrations:dossier_edit", args=[dossier.pk]),
        _dossier_post(dossier, email="khong-phai-email", history="Làng nghề từ năm 1990", product_name=""),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nhập một địa chỉ email hợp lệ." in page and "Trường này là bắt buộc." in page
    assert 'value="khong-phai-email"' in page and "Làng nghề từ năm 1990" in page
    revision = dossier.revisions.get()
    assert (revision.history, revision.email) == ("Làng nghề từ năm 1990", "")
    dossier.refresh_from_db()
    assert dossier.product_name != ""  # the invalid dossier field is not saved


def test_an_absurd_sample_count_is_a_vietnamese_error_not_a_server_error(officer_client, world):
    dossier = DossierFactory(producer=world.producer)
    response = officer_client.post(
        reverse("registrations:dossier_edit", args=[dossier.pk]),
        _dossier_post(dossier, sample_count="99999", markets="Chợ nổi Cái Răng"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 100" in page
    assert 'value="99999"' in page and "Chợ nổi Cái Răng" in page
    revision = dossier.revisions.get()
    assert (revision.sample_count, revision.markets) == (5, "Chợ nổi Cái Răng")


def test_a_duplicate_producer_outside_the_officers_scope_is_named_without_a_link(client, world):
    client.force_login(world.other_officer)
    response = client.post(
        reverse("registrations:producer_create"),
        {**PRODUCER_POST, "commune": world.other_commune.pk, "tax_code": "1300 123 456"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert ("Chủ thể có mã số thuế này đã có: HTX Dừa Xiêm Chợ Lách (Xã Chợ Lách). "
            "Liên hệ cán bộ nơi đó để được hỗ trợ.") in page
    assert world.producer.get_absolute_url() not in page
    assert 'value="Cơ sở kẹo dừa Thanh Long"' in page
    assert Producer.objects.filter(tax_code="1300123456").count() == 1


def test_form_03_with_a_missing_conclusion_says_so_and_keeps_the_notes(officer_client, world):
    from registrations.models import CommuneAssessment

    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    response = officer_client.post(reverse("registrations:commune_assessment", args=[dossier.pk]), {
        "origin_and_raw_material": "met", "local_labour": "met", "idea_origin": "met", "local_identity": "not_met",
        "local_identity_note": "Bao bì chưa thể hiện bản sắc địa phương",
    })
    page = response.content.decode()
    assert response.status_code == 400
    assert "Trường này là bắt buộc." in page
    assert "Bao bì chưa thể hiện bản sắc địa phương" in page
    assert not CommuneAssessment.objects.exists()


def test_form_03_of_a_dossier_received_on_the_friday_before_national_day_is_due_on_23_september(officer_client, world):
    """Received Fri 28/08/2026; Mon 31/08 (swapped for Sat 22/08), Tue 01/09 and Wed 02/09 are days off:
    the 15th working day is Wed 23/09/2026 (without the holidays it would be Fri 18/09)."""
    import datetime
    from unittest import mock
    from zoneinfo import ZoneInfo

    from registrations.models import CommuneAssessment

    friday = datetime.datetime(2026, 8, 28, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    dossier = world.complete_dossier()
    with mock.patch("django.utils.timezone.now", return_value=friday):  # Django's clock, not our code
        officer_client.post(reverse("registrations:dossier_transition", args=[dossier.pk, "submitted"]))
        form = officer_client.get(reverse("registrations:commune_assessment", args=[dossier.pk])).content.decode()
        response = officer_client.post(reverse("registrations:commune_assessment", args=[dossier.pk]), {
            "origin_and_raw_material": "met", "local_labour": "met", "idea_origin": "met", "local_identity": "met",
            "conclusion": "forward",
        })
    assert response.status_code == 302
    assert '<strong id="due-on">23/09/2026</strong>' in form
    assessment = CommuneAssessment.objects.get(dossier=dossier)
    assert (assessment.received_on, assessment.due_on) == (datetime.date(2026, 8, 28), datetime.date(2026, 9, 23))
    dossier.refresh_from_db()
    assert dossier.commune_due_on == datetime.date(2026, 9, 23)


def test_evidence_files_have_no_public_url(client, world):
    """Files live under MEDIA_ROOT, outside the static root, and no URL serves that folder."""
    from pathlib import Path

    from django.conf import settings

    dossier = world.complete_dossier()
    evidence = EvidenceFile.objects.filter(revision__dossier=dossier).first()
    assert Path(evidence.file.path).is_file()
    media = Path(settings.MEDIA_ROOT).resolve()
    for public in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        assert not media.is_relative_to(public.resolve())
    client.force_login(world.officer)
    for url in (f"/media/{evidence.file.name}", f"/{evidence.file.name}", f"/static/{evidence.file.name}"):
        assert client.get(url).status_code == 404, url


def test_support_step_list_keeps_the_same_query_count_for_1_and_many(client, world):
    from tests.registrations.factories import BusinessPlanFactory, ProductIdeaFactory

    client.force_login(world.province_staff)
    url = reverse("registrations:support_steps") + "?year=2026"
    ProductIdeaFactory(producer=world.producer, status="approved")
    BusinessPlanFactory(producer=world.producer)
    one, _ = _queries(client, url)
    for i in range(30):
        producer = ProducerFactory(commune=world.commune if i % 2 else world.other_commune)
        idea = ProductIdeaFactory(producer=producer, status="registered", title=f"Ý tưởng {i}")
        BusinessPlanFactory(producer=producer, idea=idea, title=f"Phương án {i}", status="implementing")
    many, response = _queries(client, url)
    assert one == many
    page = response.content.decode()
    assert "Ý tưởng 29" in page and "Phương án 29" in page


def test_the_officers_dossier_list_and_api_list_keep_the_same_query_count_for_1_and_50(client, world):
    client.force_login(world.officer)
    urls = [reverse("registrations:dossier_list"), reverse("registrations:api-dossier-list")]
    DossierFactory(producer=world.producer)
    one = [_queries(client, url)[0] for url in urls]
    for _i in range(49):
        DossierFactory(producer=ProducerFactory(commune=world.commune))
    results = [_queries(client, url) for url in urls]
    assert [count for count, _r in results] == one
    assert results[0][1].content.decode().count('href="/ho-so/') >= 50
    assert results[1][1].json()["count"] == 50


# --- irreversible steps ask first and say why -------------------------------------------------------------
def _at_commune_review(world):
    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    commune_assessment_record(dossier=dossier, by=world.officer, origin_and_raw_material="met", local_labour="met",
                              idea_origin="met", local_identity="met", conclusion="forward")
    return dossier


def test_withdrawing_shows_what_will_happen_then_needs_a_reason(client, world):
    dossier = world.complete_dossier()
    url = reverse("registrations:dossier_transition", args=[dossier.pk, "withdrawn"])
    client.force_login(world.producer_user)

    response = client.post(url, {"note": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rút hồ sơ?" in page
    assert "Chỉ cán bộ tỉnh khôi phục được hồ sơ rút nhầm." in page
    assert 'name="confirmed" value="1"' in page
    dossier.refresh_from_db()
    assert dossier.status == "draft"

    response = client.post(url, {"note": " ", "confirmed": "1"})
    assert (response.status_code, "Hãy ghi lý do." in response.content.decode()) == (400, True)
    dossier.refresh_from_db()
    assert dossier.status == "draft"

    response = client.post(url, {"note": "Cơ sở tạm ngừng sản xuất", "confirmed": "1"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.withdrawn_from) == ("withdrawn", "draft")


def test_forwarding_to_the_province_asks_first(officer_client, world):
    dossier = _at_commune_review(world)
    url = reverse("registrations:dossier_transition", args=[dossier.pk, "forwarded"])

    page = officer_client.post(url).content.decode()
    assert "Chuyển hồ sơ lên tỉnh?" in page
    assert "được cấp số phiếu đăng ký" in page
    dossier.refresh_from_db()
    assert (dossier.status, dossier.registration_number) == ("commune_review", None)

    officer_client.post(url, {"confirmed": "1"})
    dossier.refresh_from_db()
    assert dossier.status == "forwarded"
    assert dossier.registration_number.endswith("/PĐK-86-29017-" + str(dossier.forwarded_at.year))


def test_province_staff_restore_a_withdrawn_dossier_through_a_confirmation_page(client, world):
    dossier = _at_commune_review(world)
    dossier_transition(dossier=dossier, to="withdrawn", by=world.officer, note="Bấm nhầm")
    url = reverse("registrations:dossier_restore", args=[dossier.pk])

    client.force_login(world.officer)
    assert client.get(url).status_code == 404
    assert "Khôi phục hồ sơ" not in client.get(dossier.get_absolute_url()).content.decode()

    client.force_login(world.province_staff)
    assert f'href="{url}"' in client.get(dossier.get_absolute_url()).content.decode()
    page = client.get(url).content.decode()
    assert "Khôi phục hồ sơ đã rút?" in page
    assert "Trạng thái sau khi khôi phục: “Xã đang đánh giá”." in page

    assert client.post(url, {"confirmed": "1", "note": ""}).status_code == 400
    response = client.post(url, {"confirmed": "1", "note": "Xã rút nhầm hồ sơ"})
    assert (response.status_code, response["Location"]) == (302, dossier.get_absolute_url())
    dossier.refresh_from_db()
    assert (dossier.status, dossier.withdrawn_from) == ("commune_review", "")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url_name", ["registrations:dossier_list", "registrations:api-dossier-list"])
def test_awaiting_the_decision_lists_keep_their_query_count_and_hide_the_recommendation(client, world, url_name):
    """A producer's list of dossiers the council has ranked says only "awaiting the decision", in a fixed
    number of queries whatever the number of dossiers."""
    def ranked(i):
        return DossierFactory(producer=world.producer, status="not_recognised" if i % 2 else "recommended",
                              registration_number=f"{i + 1}/PĐK-86-29017-2026")

    client.force_login(world.producer_user)
    ranked(0)
    one, _ = _queries(client, reverse(url_name))
    for i in range(1, 20):
        ranked(i)
    twenty, response = _queries(client, reverse(url_name))
    assert one == twenty
    if url_name.startswith("registrations:api"):
        rows = response.json()["results"]
        assert {(r["status"], r["status_display"]) for r in rows} == {("scored", "Đã đánh giá, chờ quyết định công nhận")}
    else:
        table = response.content.decode().split('id="dossier-table"', 1)[1].split("</table>", 1)[0]
        assert table.count("Đã đánh giá, chờ quyết định công nhận") == 20
        assert ("Đề nghị công nhận" in table, "Không đạt" in table) == (False, False)


# --- issue 8, item 10: producers cannot approve their own idea or plan -------------------------------------
def test_the_producers_idea_and_plan_forms_have_no_status_field(client, world):
    from tests.registrations.factories import BusinessPlanFactory, ProductIdeaFactory

    idea = ProductIdeaFactory(producer=world.producer)
    plan = BusinessPlanFactory(producer=world.producer)
    client.force_login(world.producer_user)
    for name, item in (("idea_update", idea), ("plan_update", plan)):
        response = client.get(reverse(f"registrations:{name}", args=[world.producer.pk, item.pk]))
        assert response.status_code == 200
        assert "status" not in response.context["form"].fields


def test_a_producer_posting_approved_through_its_idea_form_leaves_the_status_registered(client, world):
    from registrations.models import ProductIdea
    from tests.registrations.factories import ProductIdeaFactory

    idea = ProductIdeaFactory(producer=world.producer)
    client.force_login(world.producer_user)
    response = client.post(reverse("registrations:idea_update", args=[world.producer.pk, idea.pk]),
                           {"title": "Kẹo dừa ít đường", "description": "", "year": "2026", "status": "approved"})
    assert response.status_code == 302
    assert ProductIdea.objects.get(pk=idea.pk).status == "registered"


def test_a_producer_cannot_approve_its_idea_through_the_status_page(client, world):
    from registrations.models import ProductIdea
    from tests.registrations.factories import ProductIdeaFactory

    idea = ProductIdeaFactory(producer=world.producer)
    client.force_login(world.producer_user)
    response = client.post(reverse("registrations:idea_status", args=[world.producer.pk, idea.pk]), {"to": "approved"})
    assert response.status_code == 404
    assert ProductIdea.objects.get(pk=idea.pk).status == "registered"


def test_a_producer_hands_in_its_plan_but_cannot_approve_it(client, world):
    from registrations.models import BusinessPlan
    from tests.registrations.factories import BusinessPlanFactory

    plan = BusinessPlanFactory(producer=world.producer)
    client.force_login(world.producer_user)
    url = reverse("registrations:plan_status", args=[world.producer.pk, plan.pk])
    page = client.get(reverse("registrations:plan_update", args=[world.producer.pk, plan.pk]))
    assert [value for value, _label in page.context["status_form"].fields["to"].choices] == ["submitted"]
    assert client.post(url, {"to": "submitted"}).status_code == 302
    assert BusinessPlan.objects.get(pk=plan.pk).status == "submitted"
    # Once handed in, the decision is the commune's: the producer has no move left, so the page is a 404.
    assert client.post(url, {"to": "approved"}).status_code == 404
    assert BusinessPlan.objects.get(pk=plan.pk).status == "submitted"
    client.force_login(world.officer)
    assert client.post(url, {"to": "approved"}).status_code == 302
    assert BusinessPlan.objects.get(pk=plan.pk).status == "approved"


def test_the_status_page_of_another_communes_producer_is_a_404(client, world):
    from tests.registrations.factories import ProductIdeaFactory

    idea = ProductIdeaFactory(producer=world.producer)
    client.force_login(world.other_officer)
    assert client.post(reverse("registrations:idea_status", args=[world.producer.pk, idea.pk]),
                       {"to": "approved"}).status_code == 404


@pytest.mark.parametrize("url_name", ["registrations:dossier_list", "registrations:api-dossier-list"])
def test_dossier_search_keeps_the_same_query_count_for_1_and_30_found(client, world, url_name):
    client.force_login(world.province_staff)
    url = reverse(url_name) + "?q=buoi+da+xanh"
    DossierFactory(producer=world.producer, product_name="Bưởi da xanh")
    one, response = _queries(client, url)
    for i in range(29):
        DossierFactory(producer=ProducerFactory(commune=world.other_commune), product_name=f"Bưởi da xanh loại {i}")
        DossierFactory(producer=world.producer, product_name=f"Kẹo dừa {i}")
    thirty, response = _queries(client, url)
    assert one == thirty
    if url_name.startswith("registrations:api-"):
        assert response.json()["count"] == 30
    else:
        assert response.context["page"].paginator.count == 30


# --- Vietnamese labels for empty choices (issue 14, item 1) ----------------------------------------------------
ENGLISH_BLANKS = ("- Select an option -", "---------")


def _vietnamese_page(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    page = response.content.decode()
    assert [text for text in ENGLISH_BLANKS if text in page] == []
    return page


def test_the_producer_dossier_and_plan_forms_offer_a_vietnamese_empty_choice(officer_client, world):
    producer_form = _vietnamese_page(officer_client, reverse("registrations:producer_create"))
    # kind, commune and the representative's gender start empty
    assert producer_form.count('>— Chọn —</option>') == 3
    dossier_form = _vietnamese_page(officer_client, reverse("registrations:dossier_create"))
    assert dossier_form.count('>— Chọn —</option>') == 2  # producer, product set
    plan_form = _vietnamese_page(officer_client, reverse("registrations:plan_create", args=[world.producer.pk]))
    assert plan_form.count('>— Chọn —</option>') == 1  # the idea it comes from


def test_form_03_radios_have_no_empty_choice_and_none_is_ticked(officer_client, world):
    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    page = _vietnamese_page(officer_client, reverse("registrations:commune_assessment", args=[dossier.pk]))
    assert "— Chọn —" not in page
    assert 'type="radio" name="conclusion" value=""' not in page
    assert page.count('type="radio" name="conclusion"') == 2  # "forward" and "not eligible"
    assert " checked" not in page


@pytest.mark.parametrize("url_name", ["registrations:dossier_list", "registrations:producer_list"])
def test_list_filters_say_tat_ca_for_no_restriction(officer_client, world, url_name):
    page = _vietnamese_page(officer_client, reverse(url_name))
    assert page.count(">Tất cả</option>") == {"registrations:dossier_list": 4, "registrations:producer_list": 2}[url_name]


@pytest.mark.parametrize("url_name", ["registrations:producer_list", "registrations:api-producer-list"])
def test_producer_search_keeps_the_same_query_count_for_1_and_30_found(client, world, url_name):
    client.force_login(world.province_staff)
    url = reverse(url_name) + "?q=duong+phen"
    ProducerFactory(commune=world.commune, name="Cơ sở Đường phèn 0")
    one, response = _queries(client, url)
    for i in range(29):
        ProducerFactory(commune=world.other_commune, name=f"Cơ sở Đường phèn {i + 1}")
        ProducerFactory(commune=world.other_commune, name=f"Cơ sở Kẹo dừa {i}")
    thirty, response = _queries(client, url)
    assert one == thirty
    if url_name.startswith("registrations:api-"):
        assert response.json()["count"] == 30
    else:
        assert response.context["page"].paginator.count == 30


# --- filters (issue 14, item 4) ----------------------------------------------------------------------
def _element(page, start, end):
    """The element that starts with `start` (HTML attributes as rendered) up to its closing `end`."""
    fragment = page[page.index(start):]
    return fragment[:fragment.index(end) + len(end)]


def test_status_filter_is_a_labelled_group_of_checkboxes_not_a_stack_of_selects(officer_client, world):
    page = _vietnamese_page(officer_client, reverse("registrations:dossier_list") + "?status=submitted")
    group = _element(page, '<fieldset class="col-sm-6 col-md-3 filter-choices" id="id_status">', "</fieldset>")
    assertInHTML('<legend class="form-label small mb-1">Trạng thái</legend>', group, count=1)
    assert group.count('name="status"') == len(DossierStatus.choices)
    assertInHTML('<div class="form-check"><input type="checkbox" name="status" value="submitted" '
                 'class="form-check-input" id="id_status_1" checked><label class="form-check-label small" '
                 f'for="id_status_1">{DossierStatus.SUBMITTED.label}</label></div>', group, count=1)
    assertInHTML('<div class="form-check"><input type="checkbox" name="status" value="draft" '
                 'class="form-check-input" id="id_status_0"><label class="form-check-label small" '
                 f'for="id_status_0">{DossierStatus.DRAFT.label}</label></div>', group, count=1)
    assert "form-select" not in group and "<select" not in group and 'for=""' not in page


def test_no_option_of_any_select_carries_the_select_class(officer_client, world):
    page = _vietnamese_page(officer_client, reverse("registrations:dossier_list"))
    assertInHTML('<option value="" selected>Tất cả</option>', page, count=4)
    assert re.findall(r"<option[^>]*class=", page) == []
    assert page.count('class="form-select"') == 4  # kind, commune, product group, overdue (not their options)


def test_overdue_filter_reads_tat_ca_by_default_and_keeps_the_chosen_value(officer_client, world):
    page = _vietnamese_page(officer_client, reverse("registrations:dossier_list"))
    assertInHTML('<select name="overdue" class="form-select" id="id_overdue">'
                 '<option value="" selected>Tất cả</option><option value="true">Có</option>'
                 '<option value="false">Không</option></select>', page, count=1)
    assert "Chưa xác định" not in page
    page = _vietnamese_page(officer_client, reverse("registrations:dossier_list") + "?overdue=true")
    assertInHTML('<select name="overdue" class="form-select" id="id_overdue">'
                 '<option value="">Tất cả</option><option value="true" selected>Có</option>'
                 '<option value="false">Không</option></select>', page, count=1)


def test_active_filters_are_said_above_a_list_reached_from_a_home_link(officer_client, world):
    url = reverse("registrations:dossier_list")
    page = _vietnamese_page(officer_client, f"{url}?status=submitted&status=commune_review&overdue=true")
    assertInHTML(
        '<p class="small mb-2 active-filters" id="active-filters"><span class="fw-semibold">Đang lọc:</span> '
        f'<span class="badge text-bg-light border">Trạng thái: {DossierStatus.SUBMITTED.label}, '
        f'{DossierStatus.COMMUNE_REVIEW.label}</span> '
        '<span class="badge text-bg-light border">Quá hạn đánh giá cấp xã: Có</span> '
        f'<a href="{url}">Xoá bộ lọc</a></p>', page, count=1)
    assert page.index('id="active-filters"') < page.index('id="dossier-table"')


def test_active_filters_name_the_commune_and_nothing_shows_without_filters(officer_client, world):
    url = reverse("registrations:dossier_list")
    page = _vietnamese_page(officer_client, f"{url}?commune={world.commune.pk}&q=dua&page=1")
    assertInHTML('<span class="badge text-bg-light border">Tìm theo sản phẩm, chủ thể, số phiếu: dua</span>', page)
    assertInHTML(f'<span class="badge text-bg-light border">Xã, phường: {world.commune.name}</span>', page)
    assert page.index("Tìm theo sản phẩm, chủ thể, số phiếu: dua") < page.index(f"Xã, phường: {world.commune.name}<")
    assert 'id="active-filters"' not in _vietnamese_page(officer_client, url)
    producers_url = reverse("registrations:producer_list")
    assert 'id="active-filters"' not in _vietnamese_page(officer_client, producers_url)
    producers = _vietnamese_page(officer_client, producers_url + "?kind=cooperative")
    assertInHTML('<span class="badge text-bg-light border">Loại hình: Hợp tác xã</span>', producers, count=1)
    assertInHTML(f'<a href="{producers_url}">Xoá bộ lọc</a>', producers, count=1)


def test_a_new_dossier_offers_only_product_sets_in_force(db):
    """The 1048/2019 sub-groups are kept for recorded history, never offered for a new registration."""
    import datetime

    from registrations.forms import _product_sets

    from .factories import ProductSetFactory

    current = ProductSetFactory()
    old = ProductSetFactory(classification="1048/QĐ-TTg", current_set=current, valid_from=datetime.date(2019, 8, 21),
                            valid_to=datetime.date(2023, 2, 23))
    offered = set(_product_sets())
    assert current in offered and old not in offered
