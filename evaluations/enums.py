"""Kinds and states of evaluations, each workflow's transition table declared beside its states."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartCode(models.TextChoices):
    A = "A", _("Phần A — Sản phẩm và sức mạnh cộng đồng")
    B = "B", _("Phần B — Khả năng tiếp thị")
    C = "C", _("Phần C — Chất lượng sản phẩm")


class RecognisingLevel(models.TextChoices):
    DISTRICT = "district", _("UBND cấp huyện")
    PROVINCE = "province", _("UBND cấp tỉnh")
    MINISTRY = "ministry", _("Bộ Nông nghiệp và Môi trường")


class CouncilKind(models.TextChoices):
    COUNCIL = "council", _("Hội đồng đánh giá, phân hạng")
    ADVISORY_GROUP = "advisory_group", _("Tổ tư vấn")


class CouncilLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    CENTRAL = "central", _("Cấp trung ương")


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chủ tịch")
    SECRETARY = "secretary", _("Thư ký")
    MEMBER = "member", _("Thành viên")


class RoundKind(models.TextChoices):
    REGULAR = "regular", _("Kỳ đánh giá thường kỳ")
    RE_EVALUATION = "re_evaluation", _("Kỳ đánh giá lại")
    CENTRAL = "central", _("Kỳ đánh giá 5 sao cấp trung ương")


class RoundPhase(models.TextChoices):
    INTAKE = "intake", _("Tiếp nhận hồ sơ")
    ADVISORY_REVIEW = "advisory_review", _("Tổ tư vấn rà soát")
    SCORING = "scoring", _("Chấm điểm")
    COUNCIL_MEETING = "council_meeting", _("Họp hội đồng")
    CLOSED = "closed", _("Đã kết thúc")


P = RoundPhase
# The round's lifecycle in one table: from → the phases it may move to.
ROUND_TRANSITIONS: dict[str, frozenset] = {
    P.INTAKE: frozenset({P.ADVISORY_REVIEW}),
    P.ADVISORY_REVIEW: frozenset({P.INTAKE, P.SCORING}),
    P.SCORING: frozenset({P.ADVISORY_REVIEW, P.COUNCIL_MEETING}),
    P.COUNCIL_MEETING: frozenset({P.SCORING, P.CLOSED}),
    P.CLOSED: frozenset(),
}

# What each phase lets people see and do (the rules in evaluations/rules.py read this table).
#   place: the secretariat may place dossiers and assign members
#   review: the advisory group records findings
#   open: council members open their assigned dossiers
#   score: council members fill and submit sheets
#   peers: a member who submitted sees the other members' sheets
PHASE_POLICY: dict[str, frozenset] = {
    P.INTAKE: frozenset({"place"}),
    P.ADVISORY_REVIEW: frozenset({"place", "review"}),
    P.SCORING: frozenset({"open", "score", "peers", "review"}),
    P.COUNCIL_MEETING: frozenset({"open", "score", "peers"}),
    P.CLOSED: frozenset({"open", "peers"}),
}


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã nộp")
    REOPENED = "reopened", _("Mở lại để chấm lại")


SS = SheetStatus
SHEET_TRANSITIONS: dict[str, frozenset] = {
    SS.DRAFT: frozenset({SS.SUBMITTED}),
    SS.SUBMITTED: frozenset({SS.REOPENED}),
    SS.REOPENED: frozenset({SS.SUBMITTED}),
}


class FindingKind(models.TextChoices):
    DESK = "desk", _("Rà soát hồ sơ")
    SITE_VISIT = "site_visit", _("Khảo sát thực tế")
    LAB_TEST = "lab_test", _("Đề nghị kiểm nghiệm bổ sung")
    KNOCKOUT = "knockout", _("Hồ sơ thuộc trường hợp bị loại")
