"""The council member's and secretariat's "what to do next" items on the home page."""
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.home import Todo

from .enums import RoundPhase, SheetStatus


def evaluation_todos(user) -> list[Todo]:
    if not getattr(user, "is_authenticated", False):
        return []
    from .models import Assignment, ScoreSheet

    submitted = ScoreSheet.objects.filter(round=OuterRef("round"), dossier=OuterRef("dossier"),
                                          member=OuterRef("member"), status=SheetStatus.SUBMITTED)
    from . import rules as eval_rules

    pending = (Assignment.objects.filter(member_id__in=eval_rules.membership_ids(user),
                                         round__phase__in=[RoundPhase.SCORING, RoundPhase.COUNCIL_MEETING])
               .exclude(Exists(submitted)).values_list("round_id", flat=True))
    rounds: dict = {}
    for round_id in pending:
        rounds[round_id] = rounds.get(round_id, 0) + 1
    names = _round_names(rounds)
    todos = [Todo(title=_("Chấm điểm hồ sơ được phân công"), url=reverse("evaluations:round_detail", args=[rid]),
                  count=n, priority=20, detail=names.get(rid, "")) for rid, n in rounds.items()]
    return todos + _advisory_todos(user) + _round_plan_todos(user)


def _advisory_todos(user) -> list[Todo]:
    """An advisory group member: the dossiers of rounds in advisory review that have no finding of theirs yet."""
    from .models import AdvisoryFinding, RoundEntry

    own_finding = AdvisoryFinding.objects.filter(round=OuterRef("round"), dossier=OuterRef("dossier"), recorded_by=user)
    from . import rules as eval_rules

    pending = (RoundEntry.objects.filter(round__phase=RoundPhase.ADVISORY_REVIEW,
                                         round__advisory_group_id__in=list(eval_rules._memberships(user)))
               .exclude(Exists(own_finding)).values_list("round_id", flat=True))
    rounds: dict = {}
    for round_id in pending:
        rounds[round_id] = rounds.get(round_id, 0) + 1
    names = _round_names(rounds)
    return [Todo(title=_("Xem xét hồ sơ của tổ tư vấn (rà soát, khảo sát thực tế)"),
                 url=reverse("evaluations:round_detail", args=[rid]), count=n, priority=25, detail=names.get(rid, ""))
            for rid, n in rounds.items()]


def _round_names(round_ids) -> dict:
    """{round id: "name · province"}, so two rounds' items on the home page never read alike."""
    from .models import Round

    if not round_ids:
        return {}
    return {r.pk: f"{r} · {r.province.name}" if r.province else str(r) for r in Round.objects.filter(pk__in=list(round_ids)).select_related("province")}


def _round_plan_todos(user) -> list[Todo]:
    """Province staff are reminded of a statutory round of this year that is not open yet and still due."""
    from django.utils import timezone

    from accounts.enums import Role
    from accounts.selectors import user_provinces

    from .selectors import round_plan_gaps_of

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
