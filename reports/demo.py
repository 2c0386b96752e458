"""Demo data for reports: the department (an organisation) subscribed to the quarterly progress report as PDF,
with the department's report viewer holding their role in it so they receive it; one finished report run for
the report viewer (so.nnmt). Idempotent. (The demo plans are made by plans/demo.py.)"""
from .enums import Frequency, Grouping, PeriodKind, RunFormat, RunStatus
from .models import ReportRun, Subscription
from .periods import Params


def demo_extend(ctx) -> None:
    from accounts.models import RoleAssignment

    from . import services

    viewer = ctx.users.get("report_viewer")
    department = ctx.organisations.get("department")
    if viewer is not None and department is not None:
        RoleAssignment.objects.filter(user=viewer, unit=ctx.province, organisation__isnull=True).update(
            organisation=department)
        Subscription.objects.get_or_create(organisation=department, code="periodic_progress", province=ctx.province,
                                           frequency=Frequency.QUARTERLY,
                                           defaults={"format": RunFormat.PDF, "created_by": ctx.users.get("province_staff")})
    if viewer is None or ReportRun.objects.filter(requested_by=viewer, status=RunStatus.DONE).exists():
        return
    params = Params(province=ctx.province, year=2026, period=PeriodKind.YEAR, grouping=Grouping.CURRENT_COMMUNE)
    run, _created = services.report_run_request(code="dossier_progress", params=params, fmt=RunFormat.XLSX, by=viewer)
    services.report_run_execute(run_id=run.pk)  # render now; the queued task then finds it done
