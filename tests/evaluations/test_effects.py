"""evaluations/effects.py: a closed round whose minutes were never rendered gets them from the sweep."""
import datetime

import pytest
from django.utils import timezone

from activity.models import Effect
from activity.services import effects_sweep
from evaluations import services
from evaluations.enums import RoundPhase
from evaluations.models import Round
from tests.brokers import broker_down

from .factories import option_ids

pytestmark = pytest.mark.django_db


def test_minutes_lost_with_the_broker_are_rendered_by_the_sweep(setup, django_capture_on_commit_callbacks):
    for m in (setup.chair, setup.secretary, setup.members[0]):
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)
    minutes = Effect.objects.get(task="evaluations.tasks.round_minutes_render")
    assert (minutes.kwargs, minutes.status, Round.objects.get(pk=setup.round.pk).minutes_pdf.name) == (
        {"round_id": setup.round.pk}, "queued", "")

    Effect.objects.all().delete()  # even with its effect row lost, the closed round is found by its missing minutes
    Round.objects.filter(pk=setup.round.pk).update(closed_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        effects_sweep()

    round_ = Round.objects.get(pk=setup.round.pk)
    assert round_.minutes_pdf.name == f"evaluations/minutes/bien-ban-ky-{round_.pk}.pdf"
    assert list(Effect.objects.filter(task="evaluations.tasks.round_minutes_render").values_list("status", flat=True)) == [
        "done"]
