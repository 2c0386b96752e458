"""Reads about users: their roles, their scope, the organisations that acted on a date."""
import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from units.models import AdministrativeUnit, UnitLineage

from .enums import Role
from .models import FormDraft, Organisation, RoleAssignment


@dataclass(frozen=True)
class Scope:
    """What a user may reach, per role: the administrative units each active role is held in.

    `units[role]` holds unit ids; for a commune role it also holds the pre-reform communes that
    merged into that commune, so historical records stay visible to the officer who now serves them.
    """

    is_admin: bool = False
    units: dict = field(default_factory=dict)

    def has_role(self, *roles) -> bool:
        return self.is_admin and Role.ADMINISTRATOR in roles or any(self.units.get(r) for r in roles)

    def unit_ids(self, *roles) -> frozenset:
        out = set()
        for role in roles:
            out |= self.units.get(role, set())
        return frozenset(out)


def scope_sql(user) -> tuple[str, list]:
    """The query of user_scope: each role valid today with its unit, and for a commune the pre-reform communes
    merged into it (one row per predecessor; the lineage of a province is not part of a province role's
    reach). Columns: role, unit id, unit level, predecessor id. Other selectors may send it in their own round
    trip (evaluations.rules.preload_round) and hand the rows to scope_from_rows."""
    roles, units_table, lineage = (RoleAssignment._meta.db_table, AdministrativeUnit._meta.db_table,
                                   UnitLineage._meta.db_table)
    today = timezone.localdate()
    return (f'SELECT r.role, r.unit_id, u.level, l.old_id FROM "{roles}" r '
            f'LEFT JOIN "{units_table}" u ON u.id = r.unit_id '
            f'LEFT JOIN "{lineage}" l ON l.new_id = r.unit_id AND u.level = %s '
            f'WHERE r.user_id = %s AND (r.valid_from IS NULL OR r.valid_from <= %s) '
            f'AND (r.valid_to IS NULL OR r.valid_to >= %s)', ["commune", user.pk, today, today])


def scope_from_rows(user, rows) -> Scope:
    """The scope from scope_sql's rows, cached on the user for the rest of the request."""
    units: dict = {}
    is_admin = user.is_superuser
    for role, unit_id, level, old_id in rows:
        if role == Role.ADMINISTRATOR:
            is_admin = True
            continue
        ids = units.setdefault(role, set())
        ids.add(unit_id)
        if old_id is not None and level == "commune":
            ids.add(old_id)
    scope = Scope(is_admin=is_admin, units={k: frozenset(v) for k, v in units.items()})
    user._ocop_scope = scope
    return scope


def user_scope(user) -> Scope:
    """The user's scope today, computed once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, "_ocop_scope", None)
    if cached is not None:
        return cached
    # One query, raw SQL: as RoleAssignment.objects.active_on() filters, without the ORM's query building on
    # every page view.
    with connection.cursor() as cursor:
        cursor.execute(*scope_sql(user))
        return scope_from_rows(user, cursor.fetchall())


def scope_q(user, *, commune_field: str, province_roles=(Role.PROVINCE_STAFF,), commune_roles=(Role.COMMUNE_OFFICER,)) -> Q | None:
    """A Q limiting rows to the user's scope through `commune_field`; None means everything.

    Province roles reach every commune whose current province is theirs (old units included);
    commune roles reach their commune and its pre-reform predecessors.
    """
    scope = user_scope(user)
    if scope.is_admin:
        return None
    q = Q(pk__in=[])
    provinces = scope.unit_ids(*province_roles)
    if provinces:
        if commune_field:
            # A subquery rather than a join: lists ordered by an index stay cheap to filter.
            in_provinces = AdministrativeUnit.objects.filter(current_province__in=provinces).values("pk")
            q |= Q(**{f"{commune_field}__in": in_provinces})
        else:
            q |= Q(current_province__in=provinces)
    communes = scope.unit_ids(*commune_roles)
    if communes:
        q |= Q(**{f"{commune_field or 'pk'}__in": communes})
    return q


def scope_filter(queryset: QuerySet, user, *, commune_field: str = "commune", **roles) -> QuerySet:
    q = scope_q(user, commune_field=commune_field, **roles)
    return queryset if q is None else queryset.filter(q)


def unit_in_scope(user, unit: AdministrativeUnit | None, *, province_roles=(Role.PROVINCE_STAFF,), commune_roles=(Role.COMMUNE_OFFICER,)) -> bool:
    scope = user_scope(user)
    if scope.is_admin:
        return True
    if unit is None:
        return False
    if unit.current_province_id and unit.current_province_id in scope.unit_ids(*province_roles):
        return True
    return unit.pk in scope.unit_ids(*commune_roles)


def user_provinces(user, *roles) -> QuerySet:
    """The provinces in which the user holds one of `roles` (all current provinces for an admin)."""
    scope = user_scope(user)
    qs = AdministrativeUnit.objects.filter(level="province", valid_to__isnull=True)
    if scope.is_admin:
        return qs
    return qs.filter(pk__in=scope.unit_ids(*roles))


def organisation_on(*, kind: str, unit: AdministrativeUnit | None, day: datetime.date) -> Organisation | None:
    """The organisation of `kind` for `unit` as it was named on `day` (a 2023 issuer for a 2023 record)."""
    return Organisation.objects.active_on(day).filter(kind=kind, unit=unit).order_by("-valid_from").first()


def role_assignments_of(user) -> QuerySet:
    return RoleAssignment.objects.filter(user=user).select_related("unit", "organisation").order_by("role", "unit__name")


def form_draft_of(user, key: str) -> FormDraft | None:
    """The user's autosaved, not yet saved, draft of a form (see accounts/drafts.py)."""
    return FormDraft.objects.filter(user=user, key=key).first()
