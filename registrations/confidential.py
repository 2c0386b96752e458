"""Results stay confidential until the recognition decision is published.

Between the council's closing and the publication of the People's Committee's (or the ministry's) decision,
producers and commune officers see only "đã đánh giá, chờ quyết định công nhận": not the star, the mean, the
reasons, nor whether the dossier was recommended. Results belong to evaluations, a higher layer, so this module
is an extension point: evaluations registers the check (`fn(user, dossiers) -> set of dossier ids whose result
the user may see`) in its AppConfig.ready(); without one, nothing is disclosed.
"""
from django.utils.translation import gettext_lazy as _

from .enums import DossierStatus

# The states that tell the council's result before the decision does.
CONFIDENTIAL_STATES = frozenset({DossierStatus.SCORED, DossierStatus.RECOMMENDED, DossierStatus.NOT_RECOGNISED})
PENDING_LABEL = _("Đã đánh giá, chờ quyết định công nhận")

_checkers = []


def register_result_visibility(fn):
    if fn not in _checkers:
        _checkers.append(fn)
    return fn


def results_visible(user, dossiers) -> set:
    """Ids of the `dossiers` in a confidential state whose result `user` may see (a fixed number of queries)."""
    candidates = [d for d in dossiers if d.status in CONFIDENTIAL_STATES]
    if not candidates:
        return set()
    visible = set()
    for checker in _checkers:
        visible |= set(checker(user, candidates))
    return visible


def label_statuses(user, dossiers) -> list:
    """Set `status_label` (and `status_shown`, the state code the user may know) on each dossier."""
    dossiers = list(dossiers)
    visible = results_visible(user, dossiers)
    # Translated once per list: get_status_display() hashes every lazy label of the field's choices per row.
    labels, pending = {value: str(label) for value, label in DossierStatus.choices}, str(PENDING_LABEL)
    for d in dossiers:
        hidden = d.status in CONFIDENTIAL_STATES and d.pk not in visible
        d.status_label = pending if hidden else labels.get(d.status, d.status)
        d.status_shown = DossierStatus.SCORED if hidden else d.status
        d.result_hidden = hidden
    return dossiers


def sees_every_result(user) -> bool:
    """Administrators and province staff: their status filters are never widened."""
    from accounts.enums import Role
    from accounts.selectors import user_scope

    if not getattr(user, "is_authenticated", False):
        return False
    scope = user_scope(user)
    return scope.is_admin or bool(scope.unit_ids(Role.PROVINCE_STAFF))
