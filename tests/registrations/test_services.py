import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from activity.models import ActivityLog, OutboxMessage
from activity.selectors import activity_for
from registrations.enums import DOSSIER_TRANSITIONS, DossierStatus
from registrations.models import CommuneAssessment, DossierRevision, EvidenceFile
from registrations.services import (
    DossierIncomplete,
    TransitionNotAllowed,
    commune_assessment_record,
    dossier_create,
    dossier_missing_items,
    dossier_transition,
    dossier_update,
    evidence_delete,
    evidence_file_check,
    evidence_upload,
    producer_create,
    sanitise_filename,
)
from tests.registrations.factories import PDF_BYTES, PNG_BYTES, DossierFactory, ProductSetFactory

ASSESSMENT = {
    "origin_and_raw_material": "met", "local_labour": "met", "idea_origin": "met", "local_identity": "met",
    "conclusion": "forward", "conclusion_note": "Đủ điều kiện",
}


def _forward(world, dossier):
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    commune_assessment_record(dossier=dossier, by=world.officer, **ASSESSMENT)
    return dossier_transition(dossier=dossier, to="forwarded", by=world.officer)


def test_evaluation_states_are_in_the_table_so_evaluations_can_move_accepted_dossiers():
    assert DOSSIER_TRANSITIONS[DossierStatus.ACCEPTED] == {DossierStatus.IN_ROUND}
    assert DOSSIER_TRANSITIONS[DossierStatus.IN_ROUND] == {DossierStatus.SCORED}
    assert DOSSIER_TRANSITIONS[DossierStatus.SCORED] == {DossierStatus.RECOMMENDED, DossierStatus.NOT_RECOGNISED}


def test_producer_create_records_activity(world):
    producer = producer_create(
        by=world.officer, kind="household", name="Hộ sản xuất bánh tráng Mỹ Lồng", tax_code="1300999888",
        commune=world.commune, address="Ấp 3", representative_name="Lê Thị Sáu", representative_gender="female",
        representative_ethnicity="Kinh", workforce_total=5, workforce_local=5,
    )
    assert activity_for(producer).get().verb == "Tạo chủ thể"


def test_producer_create_refuses_a_duplicate_tax_code(world):
    with pytest.raises(ValidationError) as exc:
        producer_create(
            by=world.officer, kind="household", name="Trùng", tax_code="1300123456", commune=world.commune,
            address="x", representative_name="y", representative_gender="male",
        )
    assert exc.value.message_dict["tax_code"] == ["Chủ thể có mã số thuế này đã có."]


def test_dossier_create_copies_the_producers_contact_into_form_01(world):
    dossier = dossier_create(producer=world.producer, by=world.officer, kind="first", product_name="Kẹo dừa sáp")
    revision = dossier.revisions.get()
    assert (dossier.commune, dossier.status, revision.number) == (world.commune, "draft", 1)
    assert revision.representative_name == world.producer.representative_name


def test_submit_without_required_evidence_says_what_is_missing(world):
    dossier = DossierFactory(producer=world.producer)
    with pytest.raises(DossierIncomplete) as exc:
        dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    assert exc.value.messages == [
        "Thiếu minh chứng bắt buộc: Giấy đăng ký kinh doanh.",
        "Thiếu minh chứng bắt buộc: Bản tự công bố / công bố chất lượng sản phẩm.",
    ]
    dossier.refresh_from_db()
    assert dossier.status == "draft"


def test_submit_sets_receipt_number_and_due_date_and_notifies_the_officer(world, mailoutbox, django_capture_on_commit_callbacks, time_machine=None):
    dossier = world.complete_dossier()
    with django_capture_on_commit_callbacks(execute=True):
        dossier_transition(dossier=dossier, to="submitted", by=world.producer_user)
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    assert dossier.commune_receipt_number == f"1/TN-29017-{dossier.received_on.year}"
    assert dossier.commune_due_on > dossier.received_on
    assert [m.recipient for m in OutboxMessage.objects.filter(event="dossier_submitted")] == [world.officer]
    assert [m.to for m in mailoutbox] == [[world.officer.email]]
    assert "Kẹo dừa" in mailoutbox[0].subject


def test_illegal_move_raises_and_changes_nothing(world):
    dossier = world.complete_dossier()
    with pytest.raises(TransitionNotAllowed, match="Không thể chuyển hồ sơ từ “Đang soạn” sang “Hồ sơ hợp lệ"):
        dossier_transition(dossier=dossier, to="accepted", by=world.province_staff)
    assert ActivityLog.objects.filter(verb__startswith="Tỉnh").count() == 0


def test_officer_of_another_commune_may_not_move_the_dossier(world):
    dossier = world.complete_dossier()
    with pytest.raises(TransitionNotAllowed, match="không có quyền"):
        dossier_transition(dossier=dossier, to="submitted", by=world.other_officer)


def test_forward_needs_form_03_on_the_current_revision(world):
    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    dossier_transition(dossier=dossier, to="commune_review", by=world.officer)
    with pytest.raises(DossierIncomplete, match="Mẫu 03"):
        dossier_transition(dossier=dossier, to="forwarded", by=world.officer)


def test_forward_assigns_registration_number_in_the_official_shape(world):
    dossier = _forward(world, world.complete_dossier())
    year = dossier.forwarded_at.year
    assert dossier.status == "forwarded"
    assert dossier.registration_number == f"1/PĐK-86-29017-{year}"
    second = _forward(world, world.complete_dossier())
    assert second.registration_number == f"2/PĐK-86-29017-{year}"


def test_assessment_on_a_submitted_dossier_receives_it_first(world):
    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    assessment = commune_assessment_record(dossier=dossier, by=world.officer, **ASSESSMENT)
    dossier.refresh_from_db()
    assert dossier.status == "commune_review"
    assert (assessment.received_on, assessment.due_on) == (dossier.received_on, dossier.commune_due_on)


def test_province_return_creates_a_new_revision_and_keeps_the_old_one(world):
    dossier = _forward(world, world.complete_dossier())
    dossier_transition(dossier=dossier, to="intake", by=world.province_staff)
    dossier_transition(dossier=dossier, to="returned", by=world.province_staff, note="Bổ sung phiếu kiểm nghiệm")
    dossier.refresh_from_db()
    assert (dossier.status, dossier.returned_from, dossier.revision_number) == ("returned", "intake", 2)
    old, new = DossierRevision.objects.filter(dossier=dossier).order_by("number")
    assert old.evidence_files.count() == new.evidence_files.count() == 2
    # The earlier assessment stays on revision 1; forwarding again needs one on revision 2.
    assert CommuneAssessment.objects.get(dossier=dossier).revision == old
    dossier_update(dossier=dossier, by=world.officer, revision_data={"markets": "Thêm siêu thị Co.op"})
    with pytest.raises(DossierIncomplete, match="Mẫu 03"):
        dossier_transition(dossier=dossier, to="forwarded", by=world.officer)
    commune_assessment_record(dossier=dossier, by=world.officer, **ASSESSMENT)
    number = dossier.registration_number
    dossier_transition(dossier=dossier, to="forwarded", by=world.officer)
    assert (dossier.status, dossier.registration_number) == ("forwarded", number)
    old.refresh_from_db()
    assert old.markets == ""


def test_return_needs_a_reason(world):
    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    dossier_transition(dossier=dossier, to="commune_review", by=world.officer)
    with pytest.raises(DossierIncomplete, match="nội dung cần hoàn thiện"):
        dossier_transition(dossier=dossier, to="returned", by=world.officer)


def test_commune_return_goes_back_to_submitted_not_forwarded(world):
    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="submitted", by=world.officer)
    dossier_transition(dossier=dossier, to="commune_review", by=world.officer)
    dossier_transition(dossier=dossier, to="returned", by=world.officer, note="Thiếu ảnh")
    with pytest.raises(TransitionNotAllowed):
        dossier_transition(dossier=dossier, to="forwarded", by=world.officer)
    dossier_transition(dossier=dossier, to="submitted", by=world.producer_user)
    assert dossier.status == "submitted" and dossier.revision_number == 2


def test_evaluations_move_an_accepted_dossier_through_the_same_service(world):
    dossier = _forward(world, world.complete_dossier())
    for to in ("intake", "accepted", "in_round", "scored", "recommended"):
        dossier_transition(dossier=dossier, to=to, by=world.province_staff)
    assert dossier.status == "recommended"
    assert list(activity_for(dossier).values_list("verb", flat=True)[:2]) == ["Đề nghị công nhận", "Đã chấm điểm"]


def test_withdraw_from_an_open_state_and_nothing_after(world):
    dossier = world.complete_dossier()
    dossier_transition(dossier=dossier, to="withdrawn", by=world.producer_user, note="Chưa đủ sản lượng")
    with pytest.raises(TransitionNotAllowed):
        dossier_transition(dossier=dossier, to="submitted", by=world.producer_user)


def test_withdrawing_needs_a_reason_which_the_log_keeps(world):
    dossier = world.complete_dossier()
    with pytest.raises(DossierIncomplete, match="Hãy ghi lý do rút hồ sơ."):
        dossier_transition(dossier=dossier, to="withdrawn", by=world.producer_user, note="  ")
    dossier.refresh_from_db()
    assert dossier.status == "draft"

    dossier_transition(dossier=dossier, to="withdrawn", by=world.producer_user, note="Chưa đủ sản lượng")

    dossier.refresh_from_db()
    assert (dossier.status, dossier.withdrawn_from) == ("withdrawn", "draft")
    row = activity_for(dossier).first()
    assert (row.verb, row.message, row.after) == ("Rút hồ sơ", "Chưa đủ sản lượng", {"status": "Đã rút hồ sơ"})


def test_province_staff_restore_a_dossier_withdrawn_by_mistake_to_the_state_it_left(world, django_capture_on_commit_callbacks):
    dossier = _forward(world, world.complete_dossier())
    number = dossier.registration_number
    dossier_transition(dossier=dossier, to="withdrawn", by=world.officer, note="Bấm nhầm")

    with pytest.raises(TransitionNotAllowed):  # not by the commune or the producer
        dossier_transition(dossier=dossier, to="forwarded", by=world.officer, note="Khôi phục")
    with pytest.raises(TransitionNotAllowed):  # not by staff of another province
        dossier_transition(dossier=dossier, to="forwarded", by=world.other_province_staff, note="Khôi phục")
    with pytest.raises(TransitionNotAllowed, match="trước khi rút"):  # only to the state it left
        dossier_transition(dossier=dossier, to="submitted", by=world.province_staff, note="Khôi phục")
    with pytest.raises(DossierIncomplete, match="lý do khôi phục"):
        dossier_transition(dossier=dossier, to="forwarded", by=world.province_staff, note="")

    dossier_transition(dossier=dossier, to="forwarded", by=world.province_staff, note="Xã rút nhầm, đã xác minh")

    dossier.refresh_from_db()
    assert (dossier.status, dossier.withdrawn_from, dossier.registration_number) == ("forwarded", "", number)
    row = activity_for(dossier).first()
    assert (row.verb, row.message, row.actor, row.before, row.after) == (
        "Khôi phục hồ sơ đã rút", "Xã rút nhầm, đã xác minh", world.province_staff,
        {"status": "Đã rút hồ sơ"}, {"status": "Đã chuyển lên tỉnh", "registration_number": number})
    told = OutboxMessage.objects.filter(event="dossier_restored").values_list("recipient__username", flat=True)
    assert sorted(told) == ["canbo.xa", "chuthe"]


# --- uploads ----------------------------------------------------------------------------------------------
def test_upload_stores_digest_size_and_real_type_under_a_random_name(world):
    dossier = DossierFactory(producer=world.producer)
    evidence = evidence_upload(
        dossier=dossier, kind="lab_test", by=world.officer,
        uploaded=SimpleUploadedFile("../../Phiếu kiểm nghiệm <1>.PDF", PDF_BYTES, content_type="text/html"),
    )
    import hashlib

    assert evidence.original_name == "Phiếu kiểm nghiệm _1.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF_BYTES)
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert evidence.file.name.startswith(f"evidence/{dossier.pk}/") and "kiểm" not in evidence.file.name


def test_upload_refuses_a_file_over_the_limit(world, settings):
    settings.OCOP_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError) as exc:
        evidence_file_check(SimpleUploadedFile("a.pdf", PDF_BYTES + b"0" * 2048))
    assert exc.value.messages == ["Tệp a.pdf quá lớn (0,0 MB); dung lượng tối đa là 0 MB."]


def test_upload_refuses_an_executable_renamed_to_pdf():
    with pytest.raises(ValidationError, match="không phải là PDF thật"):
        evidence_file_check(SimpleUploadedFile("giay-phep.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200))


def test_upload_refuses_an_unlisted_extension():
    with pytest.raises(ValidationError, match="Không nhận loại tệp .exe"):
        evidence_file_check(SimpleUploadedFile("setup.exe", b"MZ\x90\x00"))


def test_upload_accepts_a_png_and_a_real_docx(tmp_path):
    import io
    import zipfile

    assert evidence_file_check(SimpleUploadedFile("anh.png", PNG_BYTES)) == "image/png"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    docx = SimpleUploadedFile("bao-cao.docx", buffer.getvalue())
    assert evidence_file_check(docx) == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_sanitise_filename_drops_paths_and_odd_characters():
    assert sanitise_filename("C:\\Users\\a\\..\\hồ sơ;rm -rf.PDF") == "hồ sơ_rm -rf.pdf"


def test_deleting_evidence_keeps_a_file_shared_with_an_older_revision(world, django_capture_on_commit_callbacks):
    dossier = _forward(world, world.complete_dossier())
    dossier_transition(dossier=dossier, to="intake", by=world.province_staff)
    dossier_transition(dossier=dossier, to="returned", by=world.province_staff, note="Thay giấy đăng ký")
    shared = EvidenceFile.objects.get(revision__number=2, kind="business_registration", revision__dossier=dossier)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_delete(evidence=shared, by=world.officer)
    old = EvidenceFile.objects.get(revision__number=1, kind="business_registration", revision__dossier=dossier)
    assert old.file.storage.exists(old.file.name)
    assert dossier_missing_items(dossier) == ["Thiếu minh chứng bắt buộc: Giấy đăng ký kinh doanh."]


def test_product_set_is_needed_to_submit(world):
    dossier = world.complete_dossier(product_set=None)
    assert dossier_missing_items(dossier) == ["Chưa chọn bộ sản phẩm."]
    dossier = dossier_update(dossier=dossier, by=world.officer, product_set=ProductSetFactory())
    assert dossier_missing_items(dossier) == []


# --- added by the issue-3 audit ---------------------------------------------------------------------------
def test_forward_and_return_notify_the_people_concerned_through_the_outbox(world, django_capture_on_commit_callbacks):
    from activity.models import OutboxMessage

    dossier = world.complete_dossier()
    with django_capture_on_commit_callbacks(execute=True):
        _forward(world, dossier)
        dossier_transition(dossier=dossier, to="intake", by=world.province_staff)
        dossier_transition(dossier=dossier, to="returned", by=world.province_staff, note="Bổ sung phiếu kiểm nghiệm")

    def recipients(event):
        return sorted(m.recipient.username for m in OutboxMessage.objects.filter(event=event))

    # The officer forwarded it, so only the province (of this province) and the producer hear of it.
    assert recipients("dossier_forwarded") == ["canbo.tinh", "chuthe"]
    assert recipients("dossier_returned") == ["canbo.xa", "chuthe"]
    returned = OutboxMessage.objects.get(event="dossier_returned", recipient=world.officer)
    assert "Bổ sung phiếu kiểm nghiệm" in returned.body
    verbs = list(activity_for(dossier).values_list("verb", flat=True))
    assert verbs[:3] == ["Trả lại hồ sơ để hoàn thiện", "Tỉnh kiểm tra hồ sơ", "Chuyển hồ sơ lên tỉnh"]


def test_province_intake_accepts_only_a_complete_dossier_with_a_forwarding_form_03(world):
    from tests.registrations.factories import CommuneAssessmentFactory

    bare = DossierFactory(producer=world.producer, status="intake", registration_number="7/PĐK-86-29017-2026")
    with pytest.raises(DossierIncomplete) as exc:
        dossier_transition(dossier=bare, to="accepted", by=world.province_staff)
    assert "Thiếu minh chứng bắt buộc: Giấy đăng ký kinh doanh." in exc.value.messages
    dossier = world.complete_dossier(status="intake", registration_number="8/PĐK-86-29017-2026")
    with pytest.raises(DossierIncomplete, match="Mẫu 03"):
        dossier_transition(dossier=dossier, to="accepted", by=world.province_staff)
    CommuneAssessmentFactory(dossier=dossier)
    dossier_transition(dossier=dossier, to="accepted", by=world.province_staff)
    assert dossier.status == "accepted" and dossier.accepted_at is not None


# --- issue 8, item 10: support steps move only through their transition service ----------------------------
def test_support_step_transition_refuses_a_producer_approving_its_own_idea(world):
    from registrations.services import TransitionNotAllowed, support_step_transition
    from tests.registrations.factories import ProductIdeaFactory

    idea = ProductIdeaFactory(producer=world.producer)
    with pytest.raises(TransitionNotAllowed):
        support_step_transition(item=idea, to="approved", by=world.producer_user)
    idea.refresh_from_db()
    assert idea.status == "registered"


def test_support_step_transition_by_the_commune_is_logged(world):
    from activity.selectors import activity_for
    from registrations.services import support_step_transition
    from tests.registrations.factories import ProductIdeaFactory

    idea = ProductIdeaFactory(producer=world.producer)
    support_step_transition(item=idea, to="approved", by=world.officer, note="Chọn hỗ trợ")
    idea.refresh_from_db()
    assert idea.status == "approved"
    log = activity_for(idea).get()
    assert (log.before, log.after, log.message) == ({"status": "registered"}, {"status": "approved"}, "Chọn hỗ trợ")


def test_support_step_transition_refuses_a_move_the_table_does_not_have(world):
    from registrations.services import TransitionNotAllowed, support_step_transition
    from tests.registrations.factories import BusinessPlanFactory

    plan = BusinessPlanFactory(producer=world.producer)
    with pytest.raises(TransitionNotAllowed):
        support_step_transition(item=plan, to="approved", by=world.officer)  # a draft is handed in first
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_support_step_transition_refuses_staff_of_another_province(world):
    from registrations.services import TransitionNotAllowed, support_step_transition
    from tests.registrations.factories import ProductIdeaFactory

    idea = ProductIdeaFactory(producer=world.producer)
    with pytest.raises(TransitionNotAllowed):
        support_step_transition(item=idea, to="approved", by=world.other_province_staff)


def test_saving_an_idea_cannot_set_its_status(world):
    from registrations.services import TransitionNotAllowed, product_idea_save
    from tests.registrations.factories import ProductIdeaFactory

    idea = ProductIdeaFactory(producer=world.producer)
    with pytest.raises(TransitionNotAllowed):
        product_idea_save(by=world.producer_user, idea=idea, title=idea.title, status="approved")
    idea.refresh_from_db()
    assert idea.status == "registered"
