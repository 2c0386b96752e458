"""Work the evaluations app's records still owe, found by the periodic effects sweep (activity.services)."""
from activity.services import effect_sweeper

from .models import Round


@effect_sweeper
def rounds_without_minutes(*, before, limit):
    """Rounds closed before `before` whose minutes PDF was never rendered (its hand-over was lost)."""
    from .tasks import round_minutes_render

    ids = Round.objects.filter(closed_at__lt=before, minutes_pdf="").order_by("pk").values_list("pk", flat=True)
    ids = ids[:limit]
    return [(round_minutes_render, {"round_id": pk}) for pk in ids]
