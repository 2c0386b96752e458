"""The council member's and secretariat's "what to do next" items on the home page.

Each provider checks the user's roles first: with no council membership, advisory group or province staff role,
the home page pays no query here; with one, a single grouped query per kind of item (names included)."""
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.home import Todo

from .enums import CouncilKind, RoundPhase, SheetStatus

_ROUND_FIELDS = ("round_id", "round__title", "round__kind", "round__number", "round__year", "round__province__name")


def evaluation_todos(user) -> list[Todo]:
    if not getattr(user, "is_authenticated", False):
        return []
    return _scoring_todos(user) + _advisory_todos(user) + _round_plan_todos(user)


def _scoring_todos(user) -> list[Todo]:
    """A council member: the assigned dossiers not yet submitted, per round in scoring or in the meeting."""
    from . import rules as eval_rules
    from .models import Assignment, ScoreSheet

    member_ids = eval_rules.membership_ids_of_kind(user, CouncilKind.COUNCIL)
    if not member_ids:
        return []
    submitted = ScoreSheet.objects.filter(round=OuterRef("round"), dossier=OuterRef("dossier"),
                                          member=OuterRef("member"), status=SheetStatus.SUBMITTED)
    pending = (Assignment.objects.filter(member_id__in=member_ids,
                                         round__phase__in=[RoundPhase.SCORING, RoundPhase.COUNCIL_MEETING])
               .exclude(Exists(submitted)))
    title = _("Chấm điểm hồ sơ được phân công")
    return [Todo(title=title, url=reverse("evaluations:round_detail", args=[rid]), count=n, priority=20, detail=name)
            for rid, name, n in _per_round(pending)]


def _advisory_todos(user) -> list[Todo]:
    """An advisory group member: the dossiers of rounds in advisory review that have no finding of theirs yet."""
    from . import rules as eval_rules
    from .models import AdvisoryFinding, RoundEntry

    groups = eval_rules.council_ids_of_kind(user, CouncilKind.ADVISORY_GROUP)
    if not groups:
        return []
    own_finding = AdvisoryFinding.objects.filter(round=OuterRef("round"), dossier=OuterRef("dossier"), recorded_by=user)
    pending = (RoundEntry.objects.filter(round__phase=RoundPhase.ADVISORY_REVIEW, round__advisory_group_id__in=groups)
               .exclude(Exists(own_finding)))
    title = _("Xem xét hồ sơ của tổ tư vấn (rà soát, khảo sát thực tế)")
    return [Todo(title=title, url=reverse("evaluations:round_detail", args=[rid]), count=n, priority=25, detail=name)
            for rid, name, n in _per_round(pending)]


def _per_round(pending) -> list[tuple]:
    """(round id, "name · province", count) of a queryset of rows with a round, grouped in one query: the name
    is the round's own, so two rounds' items on the home page never read alike."""
    from .models import Round

    out = []
    for rid, title, kind, number, year, province, n in (pending.order_by().values(*_ROUND_FIELDS)
                                                        .annotate(n=Count("pk")).order_by("round_id")
                                                        .values_list(*_ROUND_FIELDS, "n")):
        name = str(Round(title=title, kind=kind, number=number, year=year))
        out.append((rid, f"{name} · {province}" if province is not None else name, n))
    return out


def _round_plan_todos(user) -> list[Todo]:
    """Province staff are reminded of a statutory round of this year that is not open yet and still due."""
    from django.utils import timezone

    from accounts.enums import Role
    from accounts.selectors import user_provinces, user_scope

    from .selectors import round_plan_gaps_of

    scope = user_scope(user)
    if not scope.is_admin and not scope.unit_ids(Role.PROVINCE_STAFF):
        return []
    today = timezone.localdate()
    todos = []
    provinces = list(user_provinces(user, Role.PROVINCE_STAFF))
    gaps_of = round_plan_gaps_of(provinces=provinces, year=today.year)
    for province in provinces:
        for gap in gaps_of[province.pk]:
            if gap["closes_by"] < today:
                continue
            todos.append(Todo(
                title=_("Mở kỳ đánh giá đợt %(n)s năm %(y)s (%(p)s): kết thúc trước %(d)s, xã chuyển hồ sơ trước %(f)s") % {
                    "n": gap["number"], "y": today.year, "p": province.name,
                    "d": gap["closes_by"].strftime("%d/%m"), "f": gap["forward_by"].strftime("%d/%m")},
                url=reverse("evaluations:round_open"), priority=30,
            ))
    return todos
