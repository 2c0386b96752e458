"""Demo data for reports: a subscription and one finished report run for the agriculture department's report
viewer (so.nnmt). Idempotent. (The demo plans are made by plans/demo.py.)"""
from .enums import Grouping, PeriodKind, RunFormat, RunStatus
from .models import ReportRun, Subscription
from .periods import Params


def demo_extend(ctx) -> None:
    from . import services

    viewer = ctx.users.get("report_viewer")
    if viewer is not None:
        Subscription.objects.get_or_create(user=viewer, code="dossier_progress", province=ctx.province,
                                           frequency="monthly", defaults={"format": RunFormat.XLSX})
    if viewer is None or ReportRun.objects.filter(requested_by=viewer, status=RunStatus.DONE).exists():
        return
    params = Params(province=ctx.province, year=2026, period=PeriodKind.YEAR, grouping=Grouping.CURRENT_COMMUNE)
    run, _created = services.report_run_request(code="dossier_progress", params=params, fmt=RunFormat.XLSX, by=viewer)
    services.report_run_execute(run_id=run.pk)  # render now; the queued task then finds it done
