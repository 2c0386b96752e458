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


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_minutes_after_the_chair_closes_the_round(setup, celery_worker):
    """Closing queues the task on commit; a real Celery worker (Redis in CI) renders and stores the PDF."""
    import time

    from pypdf import PdfReader

    type(setup.dossier).objects.filter(pk=setup.dossier.pk).update(product_name="Nước mắm cá cơm Tân Thủy")
    for m in (setup.chair, setup.secretary, setup.members[0]):
        services.score_sheet_submit(entry=setup.entry, by=m.user,
                                    choices=option_ids(setup.rubric, {"1.1": 25, "4.1": 15, "9": 35}))
    services.round_transition(round=setup.round, to=RoundPhase.COUNCIL_MEETING, by=setup.staff)
    services.round_transition(round=setup.round, to=RoundPhase.CLOSED, by=setup.chair.user)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        setup.round.refresh_from_db()
        if setup.round.minutes_pdf:
            break
        time.sleep(0.2)
    assert setup.round.minutes_pdf, "the worker did not render the minutes within 60 s"
    with setup.round.minutes_pdf.open("rb") as fh:
        text = "".join(page.extract_text() for page in PdfReader(fh).pages)
    assert "Nước mắm cá cơm Tân Thủy" in text
