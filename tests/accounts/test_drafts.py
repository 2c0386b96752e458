"""Server-side drafts of Form 01 and the self-assessment (accounts/drafts.py), through the pages that use them."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import Role
from accounts.models import FormDraft
from accounts.services import form_draft_save
from activity.models import ActivityLog
from evaluations.models import SelfAssessment
from registrations.enums import DossierStatus, EvidenceKind
from tests.evaluations.factories import option_ids, small_rubric
from tests.factories import PASSWORD, CommuneFactory, user_with_role
from tests.registrations.factories import PDF_BYTES, DossierFactory

pytestmark = pytest.mark.django_db
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


@pytest.fixture
def officer_client(client):
    commune = CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    dossier = DossierFactory(producer__commune=commune, status=DossierStatus.DRAFT)
    client.login(username=officer.username, password=PASSWORD)
    return client, officer, dossier


def test_an_autosave_keeps_a_draft_and_leaves_the_dossier_as_it_was(officer_client):
    client, officer, dossier = officer_client
    revision = dossier.revisions.get()
    before = (revision.phone, revision.history)
    logged = ActivityLog.objects.count()
    response = client.post(reverse("registrations:dossier_edit", args=[dossier.pk]),
                           {"phone": "0275 3871 234", "history": "Thành lập năm 2015", "action": "save"}, **AUTOSAVE)
    assert response.status_code == 200
    assert response.json()["message"].startswith("Đã tự động lưu bản nháp lúc ")
    draft = FormDraft.objects.get(user=officer)
    assert (draft.key, draft.data) == (f"dossier:{dossier.pk}", {"phone": ["0275 3871 234"], "history": ["Thành lập năm 2015"]})
    revision.refresh_from_db()
    assert (revision.phone, revision.history) == before
    assert ActivityLog.objects.count() == logged  # a draft is no change of the dossier: its history stays quiet


def test_the_edit_page_fills_the_form_from_the_draft_on_any_device(officer_client):
    client, officer, dossier = officer_client
    form_draft_save(user=officer, key=f"dossier:{dossier.pk}", data={"history": ["Thành lập năm 2015"]})
    html = client.get(reverse("registrations:dossier_edit", args=[dossier.pk])).content.decode()
    assert 'id="draft-restored"' in html
    assert "\nThành lập năm 2015</textarea>" in html


def test_saving_for_real_ends_the_draft(officer_client):
    client, officer, dossier = officer_client
    url = reverse("registrations:dossier_edit", args=[dossier.pk])
    client.post(url, {"history": "Bản nháp"}, **AUTOSAVE)
    response = client.post(url, {"kind": dossier.kind, "product_name": dossier.product_name, "history": "Bản nháp",
                                 "action": "save"})
    assert response.status_code == 302
    assert FormDraft.objects.count() == 0
    assert dossier.revisions.get().history == "Bản nháp"


def test_several_evidence_files_are_uploaded_in_one_post_and_an_upload_post_is_answered_with_json(officer_client):
    client, officer, dossier = officer_client
    files = [SimpleUploadedFile(f"dkkd-{i}.pdf", PDF_BYTES, content_type="application/pdf") for i in (1, 2)]
    response = client.post(reverse("registrations:dossier_edit", args=[dossier.pk]), {
        "kind": dossier.kind, "product_name": dossier.product_name, "action": "save",
        "evidence_kind": EvidenceKind.BUSINESS_REGISTRATION, "evidence_file": files,
    }, HTTP_X_UPLOAD_PROGRESS="1")
    assert response.json() == {"location": reverse("registrations:dossier_edit", args=[dossier.pk])}
    assert sorted(dossier.revisions.get().evidence_files.values_list("original_name", flat=True)) == ["dkkd-1.pdf", "dkkd-2.pdf"]
    html = client.get(response.json()["location"]).content.decode()
    assert "Đã tải lên tệp dkkd-1.pdf, dkkd-2.pdf." in html
    assert "Minh chứng bắt buộc: Giấy đăng ký kinh doanh — đã có" in html


def test_no_one_autosaves_a_dossier_out_of_their_reach(client):
    dossier = DossierFactory(status=DossierStatus.DRAFT)
    stranger = user_with_role(Role.COMMUNE_OFFICER, CommuneFactory())
    client.login(username=stranger.username, password=PASSWORD)
    response = client.post(reverse("registrations:dossier_edit", args=[dossier.pk]), {"history": "x"}, **AUTOSAVE)
    assert response.status_code == 404
    assert FormDraft.objects.count() == 0


def test_a_too_large_draft_is_refused(officer_client):
    client, officer, dossier = officer_client
    response = client.post(reverse("registrations:dossier_edit", args=[dossier.pk]),
                           {f"f{i}": "x" for i in range(600)}, **AUTOSAVE)
    assert response.status_code == 400
    assert FormDraft.objects.count() == 0


def test_the_self_assessment_draft_ticks_the_unsaved_choices_until_saved(officer_client):
    client, officer, dossier = officer_client
    rubric = small_rubric(dossier.product_set)
    url = reverse("evaluations:self_assessment", args=[dossier.pk])
    choices = {f"c{c}": o for c, o in option_ids(rubric, {"1.1": 25}).items()}
    assert client.post(url, {**choices, "action": "save"}, **AUTOSAVE).status_code == 200
    option = next(iter(choices.values()))
    html = client.get(url).content.decode()
    assert f'id="o{option}" value="{option}" checked' in html
    assert 'id="draft-restored"' in html
    client.post(url, {**choices, "action": "save"})
    assert FormDraft.objects.count() == 0
    assert SelfAssessment.objects.get(dossier=dossier).choices.get().option_id == option
