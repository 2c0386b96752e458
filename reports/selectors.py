"""Reads of the reports app: runs a user may see, the reports a user may run, (plan indicators live in plans)."""
from django.db.models import QuerySet

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
