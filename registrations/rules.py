"""Permission predicates for producers, dossiers and their files (django-rules).

Scope is part of every predicate: a commune officer reaches the records of their commune, province
staff the whole province, a producer account only its own producer's records.
"""
import rules

from accounts.enums import Role
from accounts.rules import is_admin, is_commune_officer, is_province_staff
from accounts.selectors import unit_in_scope, user_scope

from .enums import EDITABLE_STATES, SUPPORT_STEP_OWNER_MOVES, DossierStatus


def _commune_officer_of(user, unit) -> bool:
    return unit_in_scope(user, unit, province_roles=(), commune_roles=(Role.COMMUNE_OFFICER,))


def _province_staff_of(user, unit) -> bool:
    return unit_in_scope(user, unit, province_roles=(Role.PROVINCE_STAFF,), commune_roles=())


def own_producer_ids(user) -> frozenset:
    """The producers this account acts for: linked to it AND in a commune where it holds the producer role today.

    The link alone is not enough: when the account's producer role ends (valid_to in the past), it loses the
    producer's records like any other ended role (issue 8, item 9). Loaded once per request (cached on the user).
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = getattr(user, "_ocop_producer_ids", None)
    if cache is None:
        communes = user_scope(user).unit_ids(Role.PRODUCER)
        cache = frozenset(user.producers.filter(commune_id__in=communes).values_list("pk", flat=True)) if communes \
            else frozenset()
        user._ocop_producer_ids = cache
    return cache


def _member_of(user, producer) -> bool:
    return producer is not None and producer.pk in own_producer_ids(user)


@rules.predicate
def is_producer_officer(user, producer) -> bool:
    return producer is not None and _commune_officer_of(user, producer.commune)


@rules.predicate
def is_producer_province_staff(user, producer) -> bool:
    return producer is not None and _province_staff_of(user, producer.commune)


@rules.predicate
def is_producer_member(user, producer) -> bool:
    return _member_of(user, producer)


@rules.predicate
def is_dossier_officer(user, dossier) -> bool:
    return dossier is not None and _commune_officer_of(user, dossier.commune)


@rules.predicate
def is_dossier_province_staff(user, dossier) -> bool:
    return dossier is not None and _province_staff_of(user, dossier.commune)


@rules.predicate
def is_dossier_producer(user, dossier) -> bool:
    return dossier is not None and _member_of(user, dossier.producer)


@rules.predicate
def dossier_is_editable(user, dossier) -> bool:
    return dossier is not None and dossier.status in EDITABLE_STATES


@rules.predicate
def dossier_in_commune_hands(user, dossier) -> bool:
    """The producer edits only what is still with the commune: a draft, or a dossier the commune returned."""
    if dossier is None:
        return False
    return dossier.status == DossierStatus.DRAFT or (
        dossier.status == DossierStatus.RETURNED and dossier.returned_from == DossierStatus.COMMUNE_REVIEW
    )


@rules.predicate
def has_producer_account(user) -> bool:
    return bool(own_producer_ids(user))


can_view_producer = is_admin | is_producer_officer | is_producer_province_staff | is_producer_member
can_change_producer = is_admin | is_producer_officer | is_producer_member
can_create_producer = is_admin | is_commune_officer
can_view_dossier = is_admin | is_dossier_officer | is_dossier_province_staff | is_dossier_producer
can_edit_dossier = dossier_is_editable & (is_admin | is_dossier_officer | (is_dossier_producer & dossier_in_commune_hands))
can_assess_dossier = is_admin | is_dossier_officer
can_intake_dossier = is_admin | is_dossier_province_staff

rules.add_perm("registrations.view_producer", can_view_producer)
rules.add_perm("registrations.change_producer", can_change_producer)
rules.add_perm("registrations.add_producer", can_create_producer)
rules.add_perm("registrations.view_dossier", can_view_dossier)
rules.add_perm("registrations.change_dossier", can_edit_dossier)
rules.add_perm("registrations.add_dossier", is_admin | is_commune_officer | has_producer_account)
rules.add_perm("registrations.assess_dossier", can_assess_dossier)
rules.add_perm("registrations.intake_dossier", can_intake_dossier)
rules.add_perm("registrations.view_registrations", is_admin | is_commune_officer | is_province_staff)

# Who may move a dossier into each state (checked by services.dossier_transition).
_by_commune = is_admin | is_dossier_officer
_by_owner = is_admin | is_dossier_officer | is_dossier_producer
_by_province = is_admin | is_dossier_province_staff
TRANSITION_RULES = {
    DossierStatus.SUBMITTED: _by_owner,
    DossierStatus.COMMUNE_REVIEW: _by_commune,
    DossierStatus.FORWARDED: _by_commune,
    DossierStatus.INTAKE: _by_province,
    DossierStatus.ACCEPTED: _by_province,
    DossierStatus.RETURNED: _by_commune | _by_province,
    DossierStatus.WITHDRAWN: _by_owner,
    DossierStatus.IN_ROUND: _by_province,
    DossierStatus.SCORED: _by_province,
    DossierStatus.RECOMMENDED: _by_province,
    DossierStatus.NOT_RECOGNISED: _by_province,
}


def may_transition(user, dossier, to) -> bool:
    """Permission only; whether the move is legal from the current state is the table's business."""
    if dossier.status == DossierStatus.WITHDRAWN:
        # Restoring a withdrawn dossier is the province's correction of a mistake.
        return to == dossier.withdrawn_from and _by_province.test(user, dossier)
    rule = TRANSITION_RULES.get(to)
    if rule is None:
        return False
    if to == DossierStatus.RETURNED:
        # The commune returns what it reviews; the province returns what it takes in.
        if dossier.status == DossierStatus.COMMUNE_REVIEW:
            return _by_commune.test(user, dossier)
        return _by_province.test(user, dossier)
    return rule.test(user, dossier)


# Who may move a product idea or business plan (checked by services.support_step_transition): the commune
# officer or province staff of the producer decide; the producer's own account only hands in its plan.
_support_staff = is_admin | is_producer_officer | is_producer_province_staff


def may_move_support_step(user, producer, to) -> bool:
    if _support_staff.test(user, producer):
        return True
    return to in SUPPORT_STEP_OWNER_MOVES and is_producer_member.test(user, producer)
