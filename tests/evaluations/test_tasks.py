import pytest

from evaluations import services
from evaluations.enums import RoundPhase
from evaluations.tasks import round_minutes_render

from .factories import option_ids

pytestmark = pytest.mark.django_db


def test_the_minutes_task_renders_once(setup):
    for m in (setup.chair, setup.secretary, setup.members[0]):
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)

    first = round_minutes_render.delay(round_id=setup.round.pk).get()
    setup.round.refresh_from_db()
    rendered_at = setup.round.minutes_rendered_at
    second = round_minutes_render.delay(round_id=setup.round.pk).get()
    setup.round.refresh_from_db()

    assert first == second == setup.round.minutes_pdf.name
    assert setup.round.minutes_rendered_at == rendered_at


def test_the_minutes_task_leaves_an_open_round_alone(setup):
    assert round_minutes_render.delay(round_id=setup.round.pk).get() == ""
