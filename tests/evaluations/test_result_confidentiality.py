"""Results stay confidential until the decision is published (issue 8, item 7): closing a round tells producers
and commune officers only "đã đánh giá, chờ quyết định công nhận"; the publication tells them the result."""
import datetime
import re

import pytest
from django.urls import reverse

from accounts.enums import OrganisationKind, Role
from accounts.models import Organisation
from activity.models import OutboxMessage
from evaluations import services
from evaluations.enums import RoundPhase
from evaluations.models import Assignment, Result
from registrations.enums import DossierStatus
from tests.factories import user_with_role
from tests.products.factories import published_decision

from .factories import RoundEntryFactory, option_ids

pytestmark = pytest.mark.django_db

PENDING = "Đã đánh giá, chờ quyết định công nhận"
# What a message or page must not carry before publication: a star, a mean, the ranking's reasons.
LEAKS = re.compile(r"★|\bsao\b|[Đđ]iểm trung bình|75,00|20,00|Đề nghị công nhận|Không đạt|hạng \d|tiêu chí")


@pytest.fixture
def closed(setup):
    """The round of `setup` with a second dossier, both scored by all four members and closed by the chair:
    the first 75 points (4★, recommended), the second 20 (1★, not recognised)."""
    second = RoundEntryFactory(round=setup.round, rubric=setup.rubric)
    for m in [setup.chair, setup.secretary, *setup.members]:
        Assignment.objects.create(round=setup.round, dossier=second.dossier, member=m)
    people = {}
    for name, entry in (("first", setup.entry), ("second", second)):
        producer_user = user_with_role(Role.PRODUCER, entry.dossier.commune)
        entry.dossier.producer.accounts.add(producer_user)
        people[name] = (producer_user, user_with_role(Role.COMMUNE_OFFICER, entry.dossier.commune))
    for m in [setup.chair, setup.secretary, *setup.members]:
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
        services.score_sheet_submit(entry=second, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 10, "4.1": 5, "9": 5}))
    before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)
    setup.dossier.refresh_from_db()
    second.dossier.refresh_from_db()
    return setup, second.dossier, people, before


def _mails(user, after_pk):
    return list(OutboxMessage.objects.filter(recipient=user, pk__gt=after_pk).order_by("pk"))


def test_closing_mails_producers_and_communes_no_star_mean_or_reasons(closed):
    setup, second, people, before = closed
    assert (setup.dossier.status, second.status) == (DossierStatus.RECOMMENDED, DossierStatus.NOT_RECOGNISED)
    assert [r.final_star for r in Result.objects.filter(round=setup.round).order_by("-mean")] == [4, 1]

    for dossier, name in ((setup.dossier, "first"), (second, "second")):
        for user in people[name]:
            mails = _mails(user, before)
            assert [m.subject for m in mails] == [f"Hồ sơ {dossier.product_name}: đã đánh giá, chờ quyết định công nhận"]
            for mail in mails:
                assert LEAKS.search(mail.subject) is None
                assert LEAKS.search(mail.body) is None, mail.body
                assert "chờ quyết định công nhận" in mail.body


def test_before_publication_pages_history_and_api_show_only_pending(closed, client):
    setup, second, people, _before = closed
    for dossier, name in ((setup.dossier, "first"), (second, "second")):
        for user in people[name]:
            client.force_login(user)
            page = client.get(dossier.get_absolute_url())
            assert page.status_code == 200
            html = page.content.decode()
            status = re.search(r'id="dossier-status">([^<]*)<', html).group(1)
            assert status == PENDING
            assert LEAKS.search(html) is None
            assert 'data-testid="result-pending"' in html

            api = client.get(reverse("registrations:api-dossier-detail", args=[dossier.pk])).json()
            assert (api["status"], api["status_display"]) == ("scored", PENDING)
            assert user.has_perm("evaluations.view_result", dossier) is False

    # Filtering by "recommended" does not tell which dossier the council recommended.
    officer = people["first"][1]
    client.force_login(officer)
    ids = {d["id"] for d in client.get(reverse("registrations:api-dossier-list"), {"status": "recommended"}).json()["results"]}
    assert setup.dossier.pk in ids
    if second.commune_id == setup.dossier.commune_id:
        assert second.pk in ids


def test_the_province_and_the_council_see_the_result_before_publication(closed, client):
    setup, _second, _people, _before = closed
    assert setup.staff.has_perm("evaluations.view_result", setup.dossier) is True
    assert setup.members[0].user.has_perm("evaluations.view_result", setup.dossier) is True
    client.force_login(setup.staff)
    html = client.get(setup.dossier.get_absolute_url()).content.decode()
    assert re.search(r'id="dossier-status">([^<]*)<', html).group(1) == "Đề nghị công nhận"
    assert "75,00 → 4★" in html


def test_after_publication_the_producer_and_commune_are_told_the_result(closed, client):
    setup, second, people, _before = closed
    Organisation.objects.create(kind=OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, unit=setup.province,
                                name="Ủy ban nhân dân tỉnh Thử", valid_from=datetime.date(2025, 7, 1))
    before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
    decision = published_decision(setup.round, setup.staff)

    producer_user, officer = people["first"]
    for user in (producer_user, officer):
        mails = _mails(user, before)
        assert [m.event for m in mails] == ["decision_published"]
        assert f"{setup.dossier.product_name} (4 sao)" in mails[0].body
    for user in people["second"]:
        mails = _mails(user, before)
        assert [m.event for m in mails] == ["result_published"]
        assert "Điểm trung bình: 20,00 · hạng 1 sao" in mails[0].body
    assert all(r.published_at is not None for r in Result.objects.filter(round=setup.round))

    setup.dossier.refresh_from_db()
    assert setup.dossier.status == DossierStatus.RECOGNISED
    client.force_login(producer_user)
    html = client.get(setup.dossier.get_absolute_url()).content.decode()
    assert re.search(r'id="dossier-status">([^<]*)<', html).group(1) == "Đã được công nhận"
    assert "75,00 → 4★" in html
    client.force_login(people["second"][0])
    html = client.get(second.get_absolute_url()).content.decode()
    assert re.search(r'id="dossier-status">([^<]*)<', html).group(1) == "Không đạt"
    assert decision.status == "published"


def test_a_round_nobody_passed_is_announced_by_the_province_after_confirmation(setup, client):
    producer_user = user_with_role(Role.PRODUCER, setup.dossier.commune)
    setup.dossier.producer.accounts.add(producer_user)
    for m in [setup.chair, setup.secretary, *setup.members]:
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 10, "4.1": 5, "9": 20}))
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)
    before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first()
    url = reverse("evaluations:round_results_announce", args=[setup.round.pk])

    client.force_login(setup.chair.user)
    assert client.get(url).status_code == 404
    client.force_login(setup.staff)
    page = client.get(url).content.decode()
    assert "Thao tác này không hoàn tác được." in page
    assert _mails(producer_user, before) == []

    client.post(url, {"confirmed": "1"})

    assert [(m.event, "Điểm trung bình: 35,00 · hạng 2 sao" in m.body) for m in _mails(producer_user, before)] == [
        ("result_published", True)]
    assert producer_user.has_perm("evaluations.view_result", setup.dossier) is True
    client.post(url, {"confirmed": "1"})  # a second announcement tells no one again
    assert len(_mails(producer_user, before)) == 1


def test_a_round_with_a_product_awaiting_its_decision_is_not_announced_early(closed, client):
    setup, second, people, before = closed
    url = reverse("evaluations:round_results_announce", args=[setup.round.pk])
    client.force_login(setup.staff)
    assert 'data-testid="announce-blocked"' in client.get(url).content.decode()

    client.post(url, {"confirmed": "1"})

    assert [m.event for m in _mails(people["second"][0], before)] == ["dossier_scored"]
    assert Result.objects.filter(round=setup.round, published_at__isnull=False).count() == 0
