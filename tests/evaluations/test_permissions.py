"""A member with a conflict of interest gets 404 for that dossier's sheets on pages, API and exports;
nothing out of a user's scope leaks."""
import pytest
from django.urls import reverse

from evaluations import services
from evaluations.enums import RoundPhase
from evaluations.models import ScoreSheet
from tests.factories import PASSWORD, ProvinceFactory, user_with_role
from accounts.enums import Role

from .factories import MembershipFactory, RoundFactory, option_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def conflicted(setup, client):
    for m in (setup.chair, setup.secretary):
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
    member = setup.members[0]
    services.conflict_declare(member=member, dossier=setup.dossier, reason="Vợ là giám đốc HTX", by=member.user)
    client.login(username=member.user.username, password=PASSWORD)
    return member


def _urls(setup):
    args = [setup.round.pk, setup.dossier.pk]
    return [
        reverse("evaluations:entry_score", args=args),
        reverse("evaluations:entry_export", args=args),
        reverse("evaluations:entry_autosave", args=args),
    ]


def test_a_conflicted_member_gets_404_on_the_dossier_pages_and_export(setup, client, conflicted):
    score, export, autosave = _urls(setup)
    assert client.get(score).status_code == 404
    assert client.get(export).status_code == 404
    assert client.post(autosave, {}).status_code == 404
    assert client.post(score, {"action": "submit"}).status_code == 404


def test_a_conflicted_member_gets_404_in_the_api(setup, client, conflicted):
    own = client.get("/api/evaluations/score-sheets/").json()
    assert own["count"] == 0
    other = ScoreSheet.objects.filter(dossier=setup.dossier).first()
    assert client.get(f"/api/evaluations/score-sheets/{other.pk}/").status_code == 404
    response = client.post("/api/evaluations/score-sheets/", {"round": setup.round.pk, "dossier": setup.dossier.pk,
                                                               "choices": {}}, content_type="application/json")
    assert response.status_code == 404


def test_a_conflicted_member_does_not_see_the_result_nor_the_dossier_in_lists(setup, client, conflicted):
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)

    results_html = client.get(reverse("evaluations:round_results", args=[setup.round.pk])).content.decode()
    detail_html = client.get(reverse("evaluations:round_detail", args=[setup.round.pk])).content.decode()

    assert setup.dossier.product_name not in results_html
    assert setup.dossier.product_name not in detail_html
    assert client.get("/api/evaluations/results/").json()["count"] == 0
    assert client.get(_urls(setup)[0]).status_code == 404


def test_the_conflicted_members_own_sheet_is_gone_and_the_others_remain(setup, conflicted):
    assert ScoreSheet.objects.filter(dossier=setup.dossier).count() == 2


def test_a_member_of_another_council_gets_404_for_the_round(setup, client):
    outsider = MembershipFactory()
    client.login(username=outsider.user.username, password=PASSWORD)
    assert client.get(reverse("evaluations:round_detail", args=[setup.round.pk])).status_code == 404
    assert client.get(_urls(setup)[0]).status_code == 404
    assert client.get(f"/api/evaluations/rounds/{setup.round.pk}/").status_code == 404


def test_staff_of_another_province_gets_404(setup, client):
    staff = user_with_role(Role.PROVINCE_STAFF, ProvinceFactory())
    client.login(username=staff.username, password=PASSWORD)
    assert client.get(reverse("evaluations:round_results", args=[setup.round.pk])).status_code == 404
    assert client.post(reverse("evaluations:round_transition", args=[setup.round.pk]),
                       {"to": "council_meeting"}).status_code == 404


def test_members_see_nothing_of_dossiers_during_intake(setup, client):
    round_ = RoundFactory(council=setup.council, phase=RoundPhase.INTAKE)
    client.login(username=setup.chair.user.username, password=PASSWORD)
    assert client.get(reverse("evaluations:round_detail", args=[round_.pk])).status_code == 200
    assert client.get(reverse("evaluations:entry_score", args=[round_.pk, setup.dossier.pk])).status_code == 404


def test_the_minutes_are_served_only_to_those_who_see_the_round(setup, client, django_capture_on_commit_callbacks):
    for m in (setup.chair, setup.secretary, setup.members[0]):
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)
    url = reverse("evaluations:round_minutes", args=[setup.round.pk])

    client.login(username=setup.secretary.user.username, password=PASSWORD)
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    client.logout()
    outsider = MembershipFactory()
    client.login(username=outsider.user.username, password=PASSWORD)
    assert client.get(url).status_code == 404


@pytest.fixture
def recused_after_submitting(setup, client):
    """A member submits, then the secretariat records a conflict for them: the sheet stays for the record."""
    choices = option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35})
    for m in (setup.chair, setup.secretary):
        services.score_sheet_submit(entry=setup.entry, by=m.user, choices=choices)
    member = setup.members[0]
    sheet = services.score_sheet_submit(entry=setup.entry, by=member.user,
                                        choices=option_ids(setup.rubric, {"1.1": 40, "4.1": 25, "9": 35}))
    services.conflict_declare(member=member, dossier=setup.dossier, reason="Anh ruột là chủ nhiệm HTX", by=setup.staff)
    return member, sheet


def test_a_member_recused_after_submitting_gets_404_for_their_own_sheet_everywhere(setup, client, recused_after_submitting):
    member, sheet = recused_after_submitting
    assert ScoreSheet.objects.filter(pk=sheet.pk).exists()
    client.login(username=member.user.username, password=PASSWORD)
    score, export, autosave = _urls(setup)

    assert client.get(score).status_code == 404
    assert client.get(export).status_code == 404
    assert client.post(autosave, {}).status_code == 404
    assert client.get("/api/evaluations/score-sheets/").json()["count"] == 0
    assert client.get(f"/api/evaluations/score-sheets/{sheet.pk}/").status_code == 404
    assert client.get(f"/api/evaluations/score-sheets/?dossier={setup.dossier.pk}").json()["count"] == 0


def test_a_recused_members_sheet_is_not_shown_nor_exported_to_the_others(setup, client, recused_after_submitting):
    member, _sheet = recused_after_submitting
    client.login(username=setup.secretary.user.username, password=PASSWORD)
    score, export, _autosave = _urls(setup)

    page = client.get(score).content.decode()
    csv_text = client.get(export).content.decode("utf-8-sig")

    assert str(setup.chair.user) in page and str(member.user) not in page
    assert str(setup.chair.user) in csv_text and str(member.user) not in csv_text
    assert "100.00" not in csv_text  # the recused member's total


def test_a_conflicted_chair_gets_404_for_that_dossier_on_pages_and_api(setup, client):
    other = services.score_sheet_submit(entry=setup.entry, by=setup.members[0].user,
                                        choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
    services.conflict_declare(member=setup.chair, dossier=setup.dossier, reason="Góp vốn vào HTX", by=setup.chair.user)
    client.login(username=setup.chair.user.username, password=PASSWORD)
    score, export, _autosave = _urls(setup)

    assert client.get(score).status_code == 404
    assert client.get(export).status_code == 404
    assert client.get(f"/api/evaluations/score-sheets/{other.pk}/").status_code == 404
    assert setup.dossier.product_name not in client.get(
        reverse("evaluations:round_detail", args=[setup.round.pk])).content.decode()
    assert client.get(reverse("evaluations:round_results", args=[setup.round.pk])).content.decode().count(
        setup.dossier.product_name) == 0


# --- issue 8, item 9: an ended role ends the membership's access ------------------------------------------
def _end_roles(user):
    import datetime

    from accounts.models import RoleAssignment
    from django.utils import timezone

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignment.objects.filter(user=user).update(valid_from=yesterday - datetime.timedelta(days=365),
                                                    valid_to=yesterday)


def test_a_council_member_whose_role_ended_yesterday_can_no_longer_save_a_sheet(setup, client):
    member = setup.members[0]
    _end_roles(member.user)

    with pytest.raises(services.EvaluationError):
        services.score_sheet_save(entry=setup.entry, by=member.user, choices=option_ids(setup.rubric, {"1.1": 25}))
    client.login(username=member.user.username, password=PASSWORD)
    score, export, autosave = _urls(setup)
    assert client.get(score).status_code == 404
    assert client.post(score, {"action": "save"}).status_code == 404
    assert client.post(autosave, {}).status_code == 404
    assert client.get(reverse("evaluations:round_detail", args=[setup.round.pk])).status_code == 404
    assert ScoreSheet.objects.filter(member=member).count() == 0


def test_a_council_member_whose_role_ends_today_still_scores(setup):
    """The last day of the role is a day of the role (valid_to is inclusive)."""
    from accounts.models import RoleAssignment
    from django.utils import timezone

    member = setup.members[0]
    RoleAssignment.objects.filter(user=member.user).update(valid_to=timezone.localdate())

    sheet = services.score_sheet_save(entry=setup.entry, by=member.user, choices=option_ids(setup.rubric, {"1.1": 25}))

    assert sheet.member_id == member.pk


def test_a_council_role_in_another_province_does_not_keep_the_membership(setup):
    from accounts.models import RoleAssignment

    member = setup.members[0]
    RoleAssignment.objects.filter(user=member.user).update(unit=ProvinceFactory())

    with pytest.raises(services.EvaluationError):
        services.score_sheet_save(entry=setup.entry, by=member.user, choices=option_ids(setup.rubric, {"1.1": 25}))


def test_an_advisory_member_whose_role_ended_can_no_longer_record_findings(setup, client):
    from evaluations.enums import CouncilKind, FindingKind
    from evaluations.models import AdvisoryFinding, Round

    from .factories import CouncilFactory

    group = CouncilFactory(province=setup.province, kind=CouncilKind.ADVISORY_GROUP)
    adviser = MembershipFactory(council=group).user
    Round.objects.filter(pk=setup.round.pk).update(advisory_group=group, phase=RoundPhase.ADVISORY_REVIEW)
    setup.round.refresh_from_db()
    services.advisory_finding_record(round=setup.round, dossier=setup.dossier, kind=FindingKind.DESK,
                                     text="Hồ sơ đủ", by=adviser)
    _end_roles(adviser)
    adviser = type(adviser).objects.get(pk=adviser.pk)  # a new request: no cached scope

    with pytest.raises(services.EvaluationError):
        services.advisory_finding_record(round=setup.round, dossier=setup.dossier, kind=FindingKind.DESK,
                                         text="Thêm ý kiến", by=adviser)
    client.login(username=adviser.username, password=PASSWORD)
    response = client.post(reverse("evaluations:entry_finding", args=[setup.round.pk, setup.dossier.pk]),
                           {"kind": FindingKind.DESK, "text": "Thêm ý kiến"})
    assert response.status_code == 404
    assert AdvisoryFinding.objects.count() == 1


def test_an_ended_member_lists_no_sheets_rounds_or_assignments_through_the_api(setup, client):
    member = setup.members[0]
    services.score_sheet_save(entry=setup.entry, by=member.user, choices=option_ids(setup.rubric, {"1.1": 25}))
    _end_roles(member.user)
    client.login(username=member.user.username, password=PASSWORD)

    for url in ("/api/evaluations/score-sheets/", "/api/evaluations/rounds/", "/api/evaluations/assignments/",
                "/api/evaluations/results/"):
        assert client.get(url).json()["count"] == 0, url
