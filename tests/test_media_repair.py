"""manage.py media_repair: what the database names but storage lacks is rendered again, or listed."""
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from products.models import Certificate
from tests.factories import user_with_role
from tests.products.factories import closed_round, province_with_committee, published_decision
from tests.registrations.factories import DossierFactory, EvidenceFileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(settings, django_capture_on_commit_callbacks):
    from accounts.enums import Role

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    province = province_with_committee()
    with django_capture_on_commit_callbacks(execute=True):
        published_decision(closed_round(province, [4]), user_with_role(Role.PROVINCE_STAFF, province))
    return Certificate.objects.get()


def test_nothing_missing_nothing_done(certificate):
    out = io.StringIO()
    call_command("media_repair", stdout=out)
    assert out.getvalue() == "Tệp lập lại: 0; tệp thiếu không lập lại được: 0.\n"


def test_a_missing_certificate_pdf_is_rendered_again_under_its_name(certificate):
    name = certificate.pdf.name
    default_storage.delete(name)
    out = io.StringIO()
    call_command("media_repair", stdout=out)
    assert out.getvalue().splitlines() == [f"Đã lập lại giấy chứng nhận #{certificate.pk} (thiếu tệp {name}).",
                                           "Tệp lập lại: 1; tệp thiếu không lập lại được: 0."]
    certificate.refresh_from_db()
    assert certificate.pdf.name == name
    assert default_storage.open(name).read().startswith(b"%PDF")


def test_check_only_lists_and_a_lost_evidence_file_fails_the_command(certificate):
    evidence = EvidenceFileFactory(revision=DossierFactory().revisions.get())
    default_storage.delete(evidence.file.name)
    default_storage.delete(certificate.pdf.name)
    with pytest.raises(CommandError) as exc:
        call_command("media_repair", "--check", stdout=io.StringIO())
    assert str(exc.value).splitlines() == ["Thiếu tệp:", f"giấy chứng nhận #{certificate.pk}: {certificate.pdf.name}",
                                           f"minh chứng #{evidence.pk}: {evidence.file.name}"]
    assert not default_storage.exists(certificate.pdf.name)  # --check renders nothing
