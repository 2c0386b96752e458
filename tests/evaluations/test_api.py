import pytest

from evaluations.enums import SheetStatus
from evaluations.models import ScoreSheet
from tests.factories import PASSWORD

from .factories import option_ids

pytestmark = pytest.mark.django_db


def test_rubrics_are_readable_with_their_criteria_and_marks(setup, client):
    client.login(username=setup.members[0].user.username, password=PASSWORD)
    listing = client.get("/api/evaluations/rubrics/").json()
    detail = client.get(f"/api/evaluations/rubrics/{setup.rubric.pk}/").json()
    assert listing["count"] == 1
    assert [c["code"] for c in detail["criteria"]] == ["1.1", "4.1", "9"]
    assert [(o["points"], o["min_star"]) for o in detail["criteria"][0]["options"]] == [
        ("10.00", None), ("25.00", 3), ("40.00", 5)
    ]


def test_a_member_saves_and_submits_their_own_sheet_through_the_api(setup, client):
    member = setup.members[0]
    client.login(username=member.user.username, password=PASSWORD)
    choices = {str(k): v for k, v in option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}).items()}

    draft = client.post("/api/evaluations/score-sheets/", {"round": setup.round.pk, "dossier": setup.dossier.pk,
                                                            "choices": choices}, content_type="application/json")
    submitted = client.post("/api/evaluations/score-sheets/", {"round": setup.round.pk, "dossier": setup.dossier.pk,
                                                                "choices": {}, "submit": True},
                            content_type="application/json")
    again = client.post("/api/evaluations/score-sheets/", {"round": setup.round.pk, "dossier": setup.dossier.pk,
                                                            "choices": {}, "submit": True},
                        content_type="application/json")

    assert (draft.status_code, draft.json()["status"]) == (201, SheetStatus.DRAFT)
    assert (submitted.status_code, submitted.json()["total"]) == (201, "75.00")
    assert again.status_code == 400
    assert ScoreSheet.objects.filter(member=member).count() == 1


def test_a_member_lists_only_their_own_sheets(setup, client):
    from evaluations import services

    for m in (setup.chair, setup.members[0]):
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
    client.login(username=setup.members[0].user.username, password=PASSWORD)
    sheets = client.get("/api/evaluations/score-sheets/").json()["results"]
    assert [s["id"] for s in sheets] == list(ScoreSheet.objects.filter(member=setup.members[0]).values_list("pk", flat=True))


def test_rounds_and_assignments_follow_the_page_scope(setup, client):
    client.login(username=setup.members[0].user.username, password=PASSWORD)
    rounds = client.get("/api/evaluations/rounds/").json()
    assignments = client.get("/api/evaluations/assignments/").json()
    assert [r["id"] for r in rounds["results"]] == [setup.round.pk]
    assert [a["member"] for a in assignments["results"]] == [setup.members[0].pk]


def test_malformed_score_sheets_get_a_400_not_a_server_error(setup, client):
    member = setup.members[0]
    client.login(username=member.user.username, password=PASSWORD)
    bad_bodies = [
        {"round": 10**30, "dossier": setup.dossier.pk, "choices": {}},
        {"round": setup.round.pk, "dossier": -5, "choices": {}},
        {"round": setup.round.pk, "dossier": setup.dossier.pk, "choices": {"abc": 1}},
        {"round": setup.round.pk, "dossier": setup.dossier.pk, "choices": {"1": 10**30}},
    ]

    responses = [client.post("/api/evaluations/score-sheets/", body, content_type="application/json") for body in bad_bodies]

    assert [r.status_code for r in responses] == [400, 400, 400, 400]
    assert responses[2].json() == {"choices": ["Mã tiêu chí phải là số nguyên dương."]}
    assert ScoreSheet.objects.filter(member=member).count() == 0


@pytest.mark.parametrize("submit", [False, True])
def test_an_administrator_who_is_no_member_posting_a_sheet_through_the_api_gets_404(setup, client, submit):
    from accounts.enums import Role
    from tests.factories import user_with_role

    admin = user_with_role(Role.ADMINISTRATOR)
    client.login(username=admin.username, password=PASSWORD)
    choices = {str(k): v for k, v in option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}).items()}

    response = client.post("/api/evaluations/score-sheets/", {"round": setup.round.pk, "dossier": setup.dossier.pk,
                                                               "choices": choices, "submit": submit},
                           content_type="application/json")

    assert response.status_code == 404
    assert ScoreSheet.objects.count() == 0
