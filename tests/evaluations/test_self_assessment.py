from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from evaluations import services
from evaluations.enums import SheetStatus
from registrations.enums import DossierStatus
from tests.factories import PASSWORD, CommuneFactory, user_with_role
from tests.registrations.factories import DossierFactory

from .factories import option_ids, small_rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    commune = CommuneFactory()
    dossier = DossierFactory(producer__commune=commune, status=DossierStatus.DRAFT)
    rubric = small_rubric(dossier.product_set)
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    return dossier, rubric, officer


def test_the_self_assessment_is_a_sheet_on_the_current_revision(draft):
    dossier, rubric, officer = draft
    services.self_assessment_save(dossier=dossier, by=officer, choices=option_ids(rubric, {"1.1": 25}))
    assessment = services.self_assessment_save(dossier=dossier, by=officer, submit=True,
                                               choices=option_ids(rubric, {"4.1": 15, "9": 20}))
    assert (assessment.status, assessment.total, assessment.revision.number) == (SheetStatus.SUBMITTED, Decimal(60), 1)


def test_an_incomplete_self_assessment_cannot_be_completed(draft):
    dossier, rubric, officer = draft
    with pytest.raises(ValidationError, match="4.1, 9"):
        services.self_assessment_save(dossier=dossier, by=officer, submit=True, choices=option_ids(rubric, {"1.1": 25}))


def test_council_members_see_the_producers_self_assessment_on_the_scoring_page(setup, client):
    from evaluations.models import SelfAssessment
    from registrations.models import DossierRevision

    revision = DossierRevision.objects.filter(dossier=setup.dossier).first()
    SelfAssessment.objects.create(revision=revision, dossier=setup.dossier, rubric=setup.rubric,
                                  status=SheetStatus.SUBMITTED, total=Decimal("81"), total_a=Decimal(40),
                                  total_b=Decimal(15), total_c=Decimal(26), submitted_at=timezone.now())
    client.login(username=setup.members[0].user.username, password=PASSWORD)
    html = client.get(reverse("evaluations:entry_score", args=[setup.round.pk, setup.dossier.pk])).content.decode()
    assert "Chủ thể tự đánh giá" in html and "<strong>81,00</strong>" in html


def test_the_self_assessment_page_saves_for_the_commune_officer(draft, client):
    dossier, rubric, officer = draft
    client.login(username=officer.username, password=PASSWORD)
    url = reverse("evaluations:self_assessment", args=[dossier.pk])
    data = {f"c{c}": o for c, o in option_ids(rubric, {"1.1": 40, "4.1": 25, "9": 35}).items()}
    client.post(url, {**data, "action": "submit"})
    assert 'data-testid="self-total">100,00<' in client.get(url).content.decode()


def test_the_dossier_page_links_to_the_self_assessment(draft, client):
    dossier, rubric, officer = draft
    client.login(username=officer.username, password=PASSWORD)
    html = client.get(dossier.get_absolute_url()).content.decode()
    assert reverse("evaluations:self_assessment", args=[dossier.pk]) in html
    assert 'data-testid="evaluation-panel"' in html
