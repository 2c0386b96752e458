"""Costs that do not grow with history (issue 13): a member who has sat on the council for ten years pays, on the
score page, the autosave and the results page, the same queries, reading the same number of rows, as one in
their first year; and the ranking
cached on its data's version is recomputed as soon as a sheet changes."""
import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations import services
from evaluations.enums import RoundPhase, SheetStatus
from evaluations.models import Assignment, ScoreSheet
from tests.factories import PASSWORD

from .factories import RoundFactory, _in_round_dossier, option_ids

pytestmark = pytest.mark.django_db

ROUNDS_A_YEAR, DOSSIERS_A_ROUND = 2, 4


def _add_years(setup, first_year: int, years: int) -> None:
    """Closed rounds of the same council, each with dossiers assigned to every member and scored by each."""
    members = [setup.chair, setup.secretary, *setup.members]
    for year in range(first_year, first_year - years, -1):
        for number in range(1, ROUNDS_A_YEAR + 1):
            past = RoundFactory(council=setup.council, year=year, number=number, phase=RoundPhase.CLOSED,
                                closed_at=timezone.now())
            dossiers = [_in_round_dossier(setup.province) for _ in range(DOSSIERS_A_ROUND)]
            Assignment.objects.bulk_create([Assignment(round=past, dossier=d, member=m) for d in dossiers for m in members])
            ScoreSheet.objects.bulk_create([
                ScoreSheet(round=past, dossier=d, member=m, rubric=setup.rubric, status=SheetStatus.SUBMITTED, total=70,
                           submitted_at=timezone.now()) for d in dossiers for m in members])


class _RowCounter:
    """Rows the database returns (PostgreSQL reports them for a SELECT; SQLite does not, and counts as 0)."""

    def __init__(self):
        self.rows = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        self.rows += max(context["cursor"].rowcount, 0) if sql.lstrip().upper().startswith("SELECT") else 0
        return result


def _queries(client, method, url, data=None) -> tuple:
    """(queries, rows read) of one request."""
    reset_queries()
    counter = _RowCounter()
    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(counter):
        response = client.post(url, data) if method == "post" else client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), counter.rows


def _costs(setup, member_client, staff_client) -> dict:
    args = [setup.round.pk, setup.dossier.pk]
    data = {f"c{c}": o for c, o in option_ids(setup.rubric, {"1.1": 25}).items()}
    return {
        "score page": _queries(member_client, "get", reverse("evaluations:entry_score", args=args)),
        "autosave": _queries(member_client, "post", reverse("evaluations:entry_autosave", args=args), data),
        "results": _queries(staff_client, "get", reverse("evaluations:round_results", args=[setup.round.pk])),
    }


def test_score_page_autosave_and_results_cost_the_same_after_ten_years_of_history(client, setup):
    from django.test import Client

    member = setup.members[0]
    client.login(username=member.user.username, password=PASSWORD)
    staff = Client()
    staff.login(username=setup.staff.username, password=PASSWORD)
    services.score_sheet_save(entry=setup.entry, by=member.user, choices=option_ids(setup.rubric, {"9": 20}))
    _add_years(setup, 2025, 1)
    _costs(setup, client, staff)  # warm: sessions, content types, the ranking cache
    one_year = _costs(setup, client, staff)

    _add_years(setup, 2024, 9)
    assert Assignment.objects.filter(member=member).count() == 1 + 10 * ROUNDS_A_YEAR * DOSSIERS_A_ROUND
    ten_years = _costs(setup, client, staff)

    assert ten_years == one_year


def test_the_cached_ranking_follows_a_sheet_reopened_and_submitted_again(client, setup):
    full = {"1.1": 40, "4.1": 25, "9": 35}
    for m in [setup.chair, setup.secretary, *setup.members]:
        services.score_sheet_submit(entry=setup.entry, by=m.user, choices=option_ids(setup.rubric, full))
    client.login(username=setup.staff.username, password=PASSWORD)
    url = reverse("evaluations:round_results", args=[setup.round.pk])
    assert "100,00" in client.get(url).content.decode()
    assert "100,00" in client.get(url).content.decode()  # served from the cache

    member = setup.members[0]
    sheet = ScoreSheet.objects.get(member=member)
    services.score_sheet_reopen(sheet=sheet, by=setup.secretary.user, reason="Chấm lại")
    services.score_sheet_submit(entry=setup.entry, by=member.user, choices=option_ids(setup.rubric, {"1.1": 10, "4.1": 5, "9": 5}))

    html = client.get(url).content.decode()
    assert "80,00" in html and "100,00" not in html  # (3 × 100 + 20) / 4
