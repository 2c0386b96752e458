"""Reads of the reports app: runs a user may see, the reports a user may run, (plan indicators live in plans)."""
from django.db.models import QuerySet
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import user_provinces, user_scope

from .models import ReportRun

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


def may_manage_subscriptions(user) -> bool:
    """Province staff (and administrators) subscribe departments to reports."""
    scope = user_scope(user)
    return scope.is_admin or scope.has_role(Role.PROVINCE_STAFF)


def subscriptions_visible_to(user) -> QuerySet:
    """Standing report orders of the provinces where the user is province staff (all for an administrator)."""
    from .models import Subscription

    scope = user_scope(user)
    qs = Subscription.objects.select_related("organisation", "province", "user").order_by(
        "province__name", "organisation__name", "code", "pk")
    if scope.is_admin:
        return qs
    return qs.filter(province__in=scope.unit_ids(Role.PROVINCE_STAFF))


def subscription_organisations(provinces) -> QuerySet:
    """The bodies a subscription may name: those of the provinces, or of any unit now within them."""
    from django.db.models import Q

    from accounts.models import Organisation

    return (Organisation.objects.active_on(timezone.localdate())
            .filter(Q(unit__in=provinces) | Q(unit__current_province__in=provinces)).order_by("name", "pk"))


def organisation_recipients(organisation, *, day=None) -> list:
    """The people who receive an organisation's reports: active accounts holding a role in it on `day`."""
    from accounts.models import RoleAssignment, User

    day = day or timezone.localdate()
    holders = RoleAssignment.objects.active_on(day).filter(organisation=organisation).values("user_id")
    return list(User.objects.filter(pk__in=holders, is_active=True).order_by("pk"))
