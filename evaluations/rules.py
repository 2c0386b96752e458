"""Who may see and do what in evaluations (django-rules).

Scope is in every predicate: province staff (the secretariat) reach the rounds of their province; council
and advisory members reach the rounds of their own council or group, and, as plain members, only the
dossiers assigned to them. A member with a conflict of interest never reaches that dossier. What a phase
allows comes from PHASE_POLICY in enums.py. Views answer 404 whenever a predicate says no.

Objects: a Round, a RoundEntry (a dossier in a round), or a ScoreSheet.
"""
import rules
from django.db.models import Q

from accounts.enums import Role
from accounts.rules import is_admin
from accounts.selectors import user_scope

from .enums import PHASE_POLICY, CouncilKind, CouncilRole


# The role a membership needs, valid today, in the council's province (any province for a central council).
MEMBERSHIP_ROLE = {CouncilKind.COUNCIL: Role.COUNCIL_MEMBER, CouncilKind.ADVISORY_GROUP: Role.ADVISORY_MEMBER}


def _memberships(user) -> dict:
    """council id → (membership id, council role) of the memberships the user acts on today.

    A membership counts only while it is active AND the user holds the matching role (council member for a
    council, advisory member for an advisory group) valid today in the council's province: when the role
    assignment ends, the membership's access ends with it (issue 8, item 9). Loaded once per request and
    cached on the user, like the role scope it reads.
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_ocop_memberships", None)
    if cached is None:
        from .models import Membership

        scope = user_scope(user)
        cached, kinds = {}, {}
        # Without a council-member or advisory-member role no membership counts: nothing to read.
        if scope.unit_ids(*MEMBERSHIP_ROLE.values()):
            for m, c, r, kind, province_id in Membership.objects.filter(user=user, active=True).values_list(
                    "pk", "council_id", "role", "council__kind", "council__province_id"):
                provinces = scope.unit_ids(MEMBERSHIP_ROLE.get(kind, Role.COUNCIL_MEMBER))
                role_valid = bool(provinces) if province_id is None else province_id in provinces  # None: central
                if role_valid:
                    cached[c] = (m, r)
                    kinds[c] = kind
        user._ocop_memberships = cached
        user._ocop_membership_kinds = kinds
    return cached


def membership_ids_of_kind(user, kind: str) -> list:
    """The ids of the memberships the user acts on today in councils of `kind` (councils or advisory groups)."""
    memberships = _memberships(user)
    kinds = getattr(user, "_ocop_membership_kinds", {})
    return [m for c, (m, _r) in memberships.items() if kinds.get(c) == kind]


def council_ids_of_kind(user, kind: str) -> list:
    """The councils (or advisory groups) of `kind` the user acts in today."""
    memberships = _memberships(user)
    kinds = getattr(user, "_ocop_membership_kinds", {})
    return [c for c in memberships if kinds.get(c) == kind]


def membership_ids(user) -> list:
    """The ids of the memberships the user acts on today (for querysets filtering by `member`)."""
    return [m for m, _r in _memberships(user).values()]


def _assigned(user, round_id) -> frozenset:
    """Ids of the dossiers assigned to the user in one round. Loaded per round and cached on the user, so a
    request costs one small query however many rounds and years the member has served."""
    cache = user.__dict__.setdefault("_ocop_assigned", {})
    if round_id not in cache:
        from .models import Assignment

        cache[round_id] = frozenset(Assignment.objects.filter(round_id=round_id, member_id__in=membership_ids(user))
                                    .values_list("dossier_id", flat=True))
    return cache[round_id]


def _conflicts(user, council_id) -> frozenset:
    """Ids of the dossiers the user declared a conflict of interest with, in one council (cached per council)."""
    cache = user.__dict__.setdefault("_ocop_conflicts", {})
    if council_id not in cache:
        from .models import ConflictDeclaration

        cache[council_id] = frozenset(ConflictDeclaration.objects.filter(member__user=user, member__council_id=council_id)
                                      .values_list("dossier_id", flat=True))
    return cache[council_id]


def preload_round(user, round_) -> None:
    """Reads what the checks on one round need — the user's memberships, their conflicts in the round's council
    and their assignments in the round — in one query instead of three, into the same caches as
    _memberships, _conflicts and _assigned (and with the same meaning)."""
    if not getattr(user, "is_authenticated", False):
        return
    from django.db import connection

    from .models import Assignment, ConflictDeclaration, Council, Membership

    from accounts.selectors import scope_from_rows, scope_sql

    member, council = Membership._meta.db_table, Council._meta.db_table
    conflict, assignment = ConflictDeclaration._meta.db_table, Assignment._meta.db_table
    sql = (f'SELECT \'m\', m.id, m.council_id, m.role, c.kind, c.province_id FROM "{member}" m '
           f'JOIN "{council}" c ON c.id = m.council_id WHERE m.user_id = %s AND m.active '
           f'UNION ALL SELECT \'c\', d.dossier_id, NULL, NULL, NULL, NULL FROM "{conflict}" d '
           f'JOIN "{member}" m ON m.id = d.member_id WHERE m.user_id = %s AND m.council_id = %s '
           f'UNION ALL SELECT \'a\', a.dossier_id, a.member_id, NULL, NULL, NULL FROM "{assignment}" a '
           f'WHERE a.round_id = %s AND a.member_id IN (SELECT id FROM "{member}" WHERE user_id = %s AND active)')
    params = [user.pk, user.pk, round_.council_id, round_.pk, user.pk]
    with_scope = getattr(user, "_ocop_scope", None) is None
    if with_scope:  # the role scope too, in the same round trip: (role, unit, level, predecessor)
        scope_query, scope_params = scope_sql(user)
        sql += f" UNION ALL SELECT 'r', s.unit_id, s.old_id, s.role, s.level, NULL FROM ({scope_query}) s"
        params += scope_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if with_scope:
        scope = scope_from_rows(user, [(r, unit, level, old) for t, unit, old, r, level, _n in rows if t == "r"])
    else:
        scope = user_scope(user)
    memberships, kinds = {}, {}
    if scope.unit_ids(*MEMBERSHIP_ROLE.values()):
        for _t, m, c, r, kind, province_id in (row for row in rows if row[0] == "m"):
            provinces = scope.unit_ids(MEMBERSHIP_ROLE.get(kind, Role.COUNCIL_MEMBER))
            if bool(provinces) if province_id is None else province_id in provinces:
                memberships[c] = (m, r)
                kinds[c] = kind
    user._ocop_memberships, user._ocop_membership_kinds = memberships, kinds
    valid = {m for m, _r in memberships.values()}
    # getattr/setattr, not __dict__: the user may be the request's lazy proxy; the checks see the user inside.
    for attr, key, value in (
            ("_ocop_conflicts", round_.council_id, frozenset(row[1] for row in rows if row[0] == "c")),
            ("_ocop_assigned", round_.pk, frozenset(row[1] for row in rows if row[0] == "a" and row[2] in valid))):
        cache = getattr(user, attr, None)
        if cache is None:
            cache = {}
            setattr(user, attr, cache)
        cache[key] = value


def clear_cache(user) -> None:
    for attr in ("_ocop_memberships", "_ocop_membership_kinds", "_ocop_assigned", "_ocop_conflicts"):
        if hasattr(user, attr):
            delattr(user, attr)


def council_role(user, round_) -> str | None:
    found = _memberships(user).get(round_.council_id)
    return found[1] if found else None


def membership_id(user, round_) -> int | None:
    found = _memberships(user).get(round_.council_id)
    return found[0] if found else None


def is_conflicted(user, round_, dossier_id) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return dossier_id in _conflicts(user, round_.council_id)


def phase_allows(round_, action: str) -> bool:
    return action in PHASE_POLICY.get(round_.phase, frozenset())


@rules.predicate
def is_round_secretariat(user, round_) -> bool:
    if round_ is None:
        return False
    round_ = getattr(round_, "round", round_)
    return round_.province_id is not None and round_.province_id in user_scope(user).unit_ids(Role.PROVINCE_STAFF)


@rules.predicate
def is_round_council_member(user, round_) -> bool:
    round_ = getattr(round_, "round", round_)
    return round_ is not None and round_.council_id in _memberships(user)


@rules.predicate
def is_round_advisory_member(user, round_) -> bool:
    round_ = getattr(round_, "round", round_)
    return round_ is not None and round_.advisory_group_id is not None and round_.advisory_group_id in _memberships(user)


@rules.predicate
def is_round_chair(user, round_) -> bool:
    round_ = getattr(round_, "round", round_)
    return round_ is not None and council_role(user, round_) == CouncilRole.CHAIR


@rules.predicate
def is_round_secretary(user, round_) -> bool:
    round_ = getattr(round_, "round", round_)
    return round_ is not None and council_role(user, round_) == CouncilRole.SECRETARY


@rules.predicate
def entry_not_conflicted(user, entry) -> bool:
    return entry is not None and not is_conflicted(user, entry.round, entry.dossier_id)


@rules.predicate
def entry_reachable_as_member(user, entry) -> bool:
    """Chair and secretary reach every dossier of their council's round; a member only the assigned ones."""
    if entry is None:
        return False
    role = council_role(user, entry.round)
    if role in (CouncilRole.CHAIR, CouncilRole.SECRETARY):
        return True
    return role is not None and entry.dossier_id in _assigned(user, entry.round_id)


@rules.predicate
def entry_is_assigned(user, entry) -> bool:
    return entry is not None and entry.dossier_id in _assigned(user, entry.round_id)


def _phase(action):
    @rules.predicate(name=f"phase_allows_{action}")
    def _allowed(user, obj):
        round_ = getattr(obj, "round", obj)
        return round_ is not None and phase_allows(round_, action)

    return _allowed


can_view_round = is_admin | is_round_secretariat | is_round_council_member | is_round_advisory_member
can_manage_round = is_admin | is_round_secretariat
can_close_round = is_admin | is_round_chair
can_view_entry = entry_not_conflicted & (
    is_admin | is_round_secretariat | is_round_advisory_member | (_phase("open") & entry_reachable_as_member)
)
can_score_entry = entry_not_conflicted & _phase("score") & entry_is_assigned & is_round_council_member
can_review_entry = entry_not_conflicted & _phase("review") & (is_admin | is_round_secretariat | is_round_advisory_member)
can_reopen_sheet = is_admin | is_round_secretary

rules.add_perm("evaluations.view_round", can_view_round)
rules.add_perm("evaluations.manage_round", can_manage_round)
rules.add_perm("evaluations.close_round", can_close_round)
rules.add_perm("evaluations.view_entry", can_view_entry)
rules.add_perm("evaluations.score_entry", can_score_entry)
rules.add_perm("evaluations.review_entry", can_review_entry)
rules.add_perm("evaluations.reopen_sheet", can_reopen_sheet)
rules.add_perm("evaluations.view_rubrics", rules.is_authenticated)


# --- who may see a dossier's result ------------------------------------------------------------------
# Until the decision including the dossier is published, only the council, its advisory group and the province's
# staff (the secretariat) see a result; producers and commune officers learn it with the publication.
def result_visible_ids(user, dossiers) -> set:
    """Ids of `dossiers` whose council result `user` may see, in at most three queries."""
    from registrations.enums import DossierStatus
    from registrations.rules import can_view_dossier, is_dossier_province_staff

    from .models import Result, RoundEntry

    dossiers = [d for d in dossiers if d is not None]
    if not dossiers or not getattr(user, "is_authenticated", False):
        return set()
    if is_admin.test(user):
        return {d.pk for d in dossiers}
    visible = {d.pk for d in dossiers if is_dossier_province_staff.test(user, d)}
    rest = [d for d in dossiers if d.pk not in visible]
    councils = list(_memberships(user))
    if rest and councils:
        visible |= set(RoundEntry.objects.filter(dossier__in=rest).filter(
            _council_q(councils)).values_list("dossier_id", flat=True))
        rest = [d for d in rest if d.pk not in visible]
    rest = [d for d in rest if can_view_dossier.test(user, d)]
    visible |= {d.pk for d in rest if d.status == DossierStatus.RECOGNISED}
    rest = [d for d in rest if d.pk not in visible]
    if rest:
        visible |= set(Result.objects.filter(dossier__in=rest, published_at__isnull=False)
                       .values_list("dossier_id", flat=True))
    return visible


def _council_q(council_ids):
    return Q(round__council_id__in=council_ids) | Q(round__advisory_group_id__in=council_ids)


@rules.predicate
def may_see_result(user, dossier) -> bool:
    return dossier is not None and dossier.pk in result_visible_ids(user, [dossier])


rules.add_perm("evaluations.view_result", may_see_result)
