"""Who may read and change plans (django-rules), scoped by unit and role (roles carry their validity dates).

Province staff create and edit the plans of their current province and of every pre-reform province,
district or commune now inside it; the agriculture department's report viewer reads them; a commune officer
reads and edits the plans of their commune (and of the old communes it was formed from). Out of scope is 404.
"""
import rules

from accounts.enums import Role
from accounts.rules import is_admin, is_commune_officer, is_province_staff, is_report_viewer
from accounts.selectors import user_scope

READ_PROVINCE_ROLES = (Role.PROVINCE_STAFF, Role.REPORT_VIEWER)


def _unit(obj):
    """The unit a plan (or a unit itself) is scoped by."""
    if obj is None:
        return None
    return obj if hasattr(obj, "level") else obj.issuing_unit


@rules.predicate
def reads_plan_unit(user, obj) -> bool:
    unit = _unit(obj)
    if unit is None:
        return False
    scope = user_scope(user)
    return (unit.current_province_id in scope.unit_ids(*READ_PROVINCE_ROLES)
            or (unit.level == "commune" and unit.pk in scope.unit_ids(Role.COMMUNE_OFFICER)))


@rules.predicate
def edits_plan_unit(user, obj) -> bool:
    unit = _unit(obj)
    if unit is None:
        return False
    scope = user_scope(user)
    return (unit.current_province_id in scope.unit_ids(Role.PROVINCE_STAFF)
            or (unit.level == "commune" and unit.pk in scope.unit_ids(Role.COMMUNE_OFFICER)))


may_read_plans = is_admin | is_province_staff | is_report_viewer | is_commune_officer
may_create_plans = is_admin | is_province_staff | is_commune_officer

rules.add_perm("plans.view_plan", is_admin | reads_plan_unit)
rules.add_perm("plans.change_plan", is_admin | edits_plan_unit)
rules.add_perm("plans.add_plan", may_create_plans)
