"""Demo data for reports: Vĩnh Long's 2026 OCOP plan with targets and budget, and one finished report run
for the agriculture department's report viewer (so.nnmt). Idempotent."""
import datetime
from decimal import Decimal

from .enums import FundingSource, Grouping, Indicator, PeriodKind, RunFormat, RunStatus
from .models import BudgetLine, Plan, ReportRun, Subscription, Target
from .periods import Params

PLAN_TITLE = "Kế hoạch thực hiện Chương trình Mỗi xã một sản phẩm (OCOP) tỉnh Vĩnh Long năm 2026"
TARGETS = {
    Indicator.NEW_PRODUCTS_3_STAR: Decimal("52"),
    Indicator.FOUR_STAR: Decimal("12"),
    Indicator.FIVE_STAR_PROPOSALS: Decimal("2"),
    Indicator.UPGRADED: Decimal("10"),
    Indicator.COOPERATIVE_SHARE: Decimal("30"),
    Indicator.MODERN_CHANNEL_SHARE: Decimal("50"),
    Indicator.DOSSIERS_ACCEPTED: Decimal("80"),
    Indicator.TRAININGS: Decimal("6"),
}
BUDGET = {
    FundingSource.CENTRAL: (3_500_000_000, 1_250_000_000),
    FundingSource.PROVINCIAL: (4_200_000_000, 2_730_500_000),
    FundingSource.COMMUNE: (600_000_000, 185_000_000),
    FundingSource.PRODUCERS: (12_000_000_000, 7_460_000_000),
}


def demo_extend(ctx) -> None:
    from . import services

    plan, _created = Plan.objects.get_or_create(
        province=ctx.province, year=2026, title=PLAN_TITLE,
        defaults={"legal_reference": "Kế hoạch 1578/KH-UBND", "issued_on": datetime.date(2026, 2, 10)},
    )
    for indicator, value in TARGETS.items():
        Target.objects.update_or_create(plan=plan, indicator=indicator, defaults={"value": value})
    for source, (planned, actual) in BUDGET.items():
        BudgetLine.objects.update_or_create(plan=plan, source=source,
                                            defaults={"planned_vnd": planned, "actual_vnd": actual})

    viewer = ctx.users.get("report_viewer")
    if viewer is not None:
        Subscription.objects.get_or_create(user=viewer, code="dossier_progress", province=ctx.province,
                                           frequency="monthly", defaults={"format": RunFormat.XLSX})
    if viewer is None or ReportRun.objects.filter(requested_by=viewer, status=RunStatus.DONE).exists():
        return
    params = Params(province=ctx.province, year=2026, period=PeriodKind.YEAR, grouping=Grouping.CURRENT_COMMUNE)
    run, _created = services.report_run_request(code="dossier_progress", params=params, fmt=RunFormat.XLSX, by=viewer)
    services.report_run_execute(run_id=run.pk)  # render now; the queued task then finds it done
