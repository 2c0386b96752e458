"""Who may run reports and see their runs (django-rules).

Report viewers (the agriculture department) and province staff run the reports of their own province;
administrators run every province's. Commune officers do not run provincial reports: their commune's
dossiers are on their own lists. A run or file of another province answers 404.
"""
import rules

from accounts.enums import Role
from accounts.rules import is_admin, is_province_staff, is_report_viewer
from accounts.selectors import user_scope

REPORT_ROLES = (Role.PROVINCE_STAFF, Role.REPORT_VIEWER)

may_run_reports = is_admin | is_province_staff | is_report_viewer


@rules.predicate
def reports_on_province(user, obj) -> bool:
    """`obj` is a ReportRun or a province unit."""
    if obj is None:
        return False
    province_id = getattr(obj, "province_id", None) if not hasattr(obj, "level") else obj.pk
    return province_id is not None and province_id in user_scope(user).unit_ids(*REPORT_ROLES)


rules.add_perm("reports.run_report", may_run_reports)
rules.add_perm("reports.view_reportrun", is_admin | reports_on_province)
