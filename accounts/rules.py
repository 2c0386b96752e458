"""Permission predicates shared by every app (django-rules)."""
import rules

from .enums import Role
from .selectors import user_scope


def has_role(*roles):
    names = "_".join(str(r) for r in roles)

    @rules.predicate(name=f"has_role_{names}")
    def _has_role(user):
        return user_scope(user).has_role(*roles)

    return _has_role


is_admin = rules.predicate(lambda user: user_scope(user).is_admin, name="is_admin")
is_commune_officer = has_role(Role.COMMUNE_OFFICER)
is_province_staff = has_role(Role.PROVINCE_STAFF)
is_council_member = has_role(Role.COUNCIL_MEMBER)
is_advisory_member = has_role(Role.ADVISORY_MEMBER)
is_report_viewer = has_role(Role.REPORT_VIEWER)
is_producer = has_role(Role.PRODUCER)

rules.add_perm("accounts.view_profile", rules.is_authenticated)
