"""Reads of the reports app: runs a user may see, the reports a user may run, plan indicators as SQL aggregates."""
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from accounts.enums import Role
from accounts.selectors import user_provinces, user_scope

from .enums import Indicator
from .models import Plan, ReportRun

REPORT_ROLES = (Role.PROVINCE_STAFF, Role.REPORT_VIEWER)


def report_provinces(user) -> QuerySet:
    """The current provinces whose reports the user may run (all for an administrator)."""
    return user_provinces(user, *REPORT_ROLES).order_by("name")


def may_run_reports(user) -> bool:
    scope = user_scope(user)
    return scope.is_admin or scope.has_role(*REPORT_ROLES)


def reports_for(user) -> list:
    from .registry import all_reports

    return all_reports() if may_run_reports(user) else []


def runs_visible_to(user) -> QuerySet:
    """Report runs of the provinces the user reports on (everything for an administrator)."""
    scope = user_scope(user)
    qs = ReportRun.objects.select_related("province", "requested_by")
    if scope.is_admin:
        return qs
    return qs.filter(province__in=scope.unit_ids(*REPORT_ROLES))


def plans_visible_to(user) -> QuerySet:
    scope = user_scope(user)
    qs = Plan.objects.select_related("province")
    if scope.is_admin:
        return qs
    return qs.filter(province__in=scope.unit_ids(*REPORT_ROLES))


def indicator_actuals(*, province, year: int) -> dict:
    """{indicator: actual value} for the indicators the portal can compute, in four aggregate queries.

    Results count the province's rounds of `year` that are closed; shares count producers registered by the
    end of `year`. Indicators without data on the portal (trainings, showrooms) are absent.
    """
    import datetime

    from django.utils import timezone

    from evaluations.enums import RoundPhase
    from evaluations.models import Result
    from registrations.enums import DossierKind, IdeaStatus, ProducerKind
    from registrations.models import Dossier, Producer, ProductIdea

    from .registry import _modern_channel_q, in_province, pct

    results = Result.objects.filter(round__province=province, round__year=year, round__phase=RoundPhase.CLOSED).aggregate(
        new=Count("pk", filter=Q(final_star__gte=3, dossier__kind=DossierKind.FIRST)),
        four=Count("pk", filter=Q(final_star=4)),
        five=Count("pk", filter=Q(for_ministry=True)),
        upgraded=Count("pk", filter=Q(final_star__gte=3, dossier__kind=DossierKind.UPGRADE)),
        re_recognised=Count("pk", filter=Q(final_star__gte=3, dossier__kind=DossierKind.RE_EVALUATION)),
    )
    end = datetime.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    producers = Producer.objects.filter(in_province("commune", province), created_at__lt=end).aggregate(
        total=Count("pk"), cooperatives=Count("pk", filter=Q(kind=ProducerKind.COOPERATIVE)),
        modern=Count("pk", filter=_modern_channel_q()),
    )
    accepted = Dossier.objects.filter(in_province("commune", province), year=year, accepted_at__isnull=False).count()
    ideas = ProductIdea.objects.filter(in_province("commune", province), year=year,
                                       status__in=[IdeaStatus.APPROVED, IdeaStatus.DEVELOPED]).count()
    return {
        Indicator.NEW_PRODUCTS_3_STAR: Decimal(results["new"]),
        Indicator.FOUR_STAR: Decimal(results["four"]),
        Indicator.FIVE_STAR_PROPOSALS: Decimal(results["five"]),
        Indicator.UPGRADED: Decimal(results["upgraded"]),
        Indicator.RE_RECOGNISED: Decimal(results["re_recognised"]),
        Indicator.DOSSIERS_ACCEPTED: Decimal(accepted),
        Indicator.IDEAS_SUPPORTED: Decimal(ideas),
        Indicator.COOPERATIVE_SHARE: pct(producers["cooperatives"], producers["total"]),
        Indicator.MODERN_CHANNEL_SHARE: pct(producers["modern"], producers["total"]),
    }
