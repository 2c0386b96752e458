"""Work the reports app's records still owe, found by the periodic effects sweep (activity.services)."""
from activity.services import effect_sweeper

from .enums import RunStatus
from .models import ReportRun


@effect_sweeper
def report_runs_queued(*, before, limit):
    """Runs requested before `before` that no worker has started (their hand-over was lost)."""
    from .tasks import report_run_execute

    ids = ReportRun.objects.filter(status=RunStatus.QUEUED, created_at__lt=before).order_by("pk").values_list(
        "pk", flat=True)[:limit]
    return [(report_run_execute, {"run_id": pk}) for pk in ids]
