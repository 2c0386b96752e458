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
    pending = (Assignment.objects.filter(member__user=user, member__active=True,
                                         round__phase__in=[RoundPhase.SCORING, RoundPhase.COUNCIL_MEETING])
               .exclude(Exists(submitted)).values_list("round_id", flat=True))
    rounds: dict = {}
    for round_id in pending:
        rounds[round_id] = rounds.get(round_id, 0) + 1
    return [Todo(title=_("Chấm điểm hồ sơ được phân công"), url=reverse("evaluations:round_detail", args=[rid]),
                 count=n, priority=20) for rid, n in rounds.items()]
