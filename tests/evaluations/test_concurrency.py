"""Two members submitting at the same moment, and one member submitting twice, leave exactly one sheet each
and a correct mean. Real threads, each with its own PostgreSQL connection."""
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from evaluations import services
from evaluations.models import ScoreSheet
from evaluations.selectors import round_rankings

from .factories import option_ids

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_simultaneous_and_double_submissions_leave_one_sheet_each(setup):
    first, second = setup.members
    jobs = [
        (first, {"1.1": 25, "4.1": 15, "9": 35}),   # 75
        (first, {"1.1": 40, "4.1": 25, "9": 35}),   # the same member again, at the same moment
        (second, {"1.1": 40, "4.1": 15, "9": 35}),  # 90
        (second, {"1.1": 40, "4.1": 15, "9": 35}),
    ]
    barrier = threading.Barrier(len(jobs))
    outcomes = []

    def run(member, points):
        try:
            barrier.wait()
            sheet = services.score_sheet_submit(entry=setup.entry, by=type(member.user).objects.get(pk=member.user_id),
                                                choices=option_ids(setup.rubric, points))
            outcomes.append(("ok", member.pk, sheet.total))
        except ValidationError as exc:
            outcomes.append(("refused", member.pk, exc.messages[0]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sorted(o[0] for o in outcomes) == ["ok", "ok", "refused", "refused"]
    sheets = ScoreSheet.objects.filter(round=setup.round, dossier=setup.dossier)
    assert sorted(sheets.values_list("member_id", flat=True)) == sorted([first.pk, second.pk])
    totals = dict(sheets.values_list("member_id", "total"))
    assert totals[second.pk] == Decimal(90)
    assert totals[first.pk] in (Decimal(75), Decimal(100))
    [ranking] = round_rankings(setup.round)
    assert ranking.outcome.mean == (totals[first.pk] + totals[second.pk]) / 2
