"""Kinds and states of plans: the plan lifecycle (with its transition table), target kinds, funding sources."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    IN_FORCE = "in_force", _("Đang thực hiện")
    ENDED = "ended", _("Đã kết thúc")
    REPLACED = "replaced", _("Đã được thay thế")


# Allowed moves of a plan's status; anything else is refused by services.plan_transition.
PLAN_TRANSITIONS = {
    PlanStatus.DRAFT: {PlanStatus.IN_FORCE},
    PlanStatus.IN_FORCE: {PlanStatus.ENDED, PlanStatus.REPLACED},
    PlanStatus.ENDED: {PlanStatus.REPLACED},
    PlanStatus.REPLACED: set(),
}


class TargetKind(models.TextChoices):
    COUNT = "count", _("Số lượng")
    PERCENT = "percent", _("Tỷ lệ (%)")
    RANGE = "range", _("Khoảng (từ … đến …)")


class SubunitLevel(models.TextChoices):
    """Which sub-units a target "for each sub-unit" stands for (blank: the unit's direct children)."""

    DISTRICT = "district", _("Từng huyện (cũ)")
    COMMUNE = "commune", _("Từng xã")


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("Ngân sách trung ương")
    PROVINCIAL = "provincial", _("Ngân sách tỉnh")
    DISTRICT = "district", _("Ngân sách huyện")
    COMMUNE = "commune", _("Ngân sách xã")
    COUNTERPART = "counterpart", _("Vốn đối ứng của chủ thể")
    CREDIT = "credit", _("Vốn tín dụng")
    OTHER = "other", _("Nguồn khác")


# The state budget is the parent of the four budget levels.
STATE_BUDGET_SOURCES = (FundingSource.CENTRAL, FundingSource.PROVINCIAL, FundingSource.DISTRICT, FundingSource.COMMUNE)


class CommunityOrganisationKind(models.TextChoices):
    """What happened to a community organisation (hợp tác xã, tổ hợp tác) the programme supported."""

    FORMED = "formed", _("Thành lập mới")
    RESTRUCTURED = "restructured", _("Củng cố, kiện toàn")


class NewRuralLevel(models.TextChoices):
    """The new-rural standard a commune was recognised at, beyond the basic one."""

    ADVANCED = "advanced", _("Nông thôn mới nâng cao")
    MODEL = "model", _("Nông thôn mới kiểu mẫu")
