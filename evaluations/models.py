"""Evaluations: versioned rubrics, who recognises which star by date, rounds, councils, score sheets, results."""
import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .enums import (
    CouncilKind, CouncilLevel, CouncilRole, FindingKind, PartCode, RecognisingLevel, RoundKind, RoundPhase,
    SheetStatus,
)

POINTS = {"max_digits": 6, "decimal_places": 2}
MEAN = {"max_digits": 9, "decimal_places": 4}


def _period_check(name):
    return models.CheckConstraint(
        condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")), name=name,
        violation_error_message=_("Ngày kết thúc hiệu lực phải sau hoặc bằng ngày bắt đầu hiệu lực."),
    )


# --- rubrics -------------------------------------------------------------------------------------
class LegalDocumentQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date):
        return self.filter(effective_from__lte=day).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))


class LegalDocument(models.Model):
    """A decision that issued scoring sheets (26/2026/QĐ-TTg, 148/QĐ-TTg, 1048/QĐ-TTg), with its part maxima."""

    number = models.CharField(_("số hiệu"), max_length=40, unique=True)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    date = models.DateField(_("ngày ban hành"))
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    part_a_max = models.DecimalField(_("điểm tối đa phần A"), **POINTS)
    part_b_max = models.DecimalField(_("điểm tối đa phần B"), **POINTS)
    part_c_max = models.DecimalField(_("điểm tối đa phần C"), **POINTS)
    source = models.JSONField(_("nguồn"), default=dict, blank=True)

    objects = LegalDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản quy định bộ tiêu chí")
        verbose_name_plural = _("văn bản quy định bộ tiêu chí")
        ordering = ["-effective_from"]
        constraints = [
            _period_check("legal_document_period"),
            models.CheckConstraint(
                condition=Q(part_a_max__gt=0, part_b_max__gt=0, part_c_max__gt=0), name="legal_document_parts_positive",
                violation_error_message=_("Điểm tối đa của các phần A, B, C phải lớn hơn 0.")
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def part_maxima(self) -> dict:
        return {"A": self.part_a_max, "B": self.part_b_max, "C": self.part_c_max}


class Rubric(models.Model):
    """The scoring sheet of one product set under one legal document (Phụ lục II, "kiêm phiếu đánh giá")."""

    legal_document = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="rubrics",
                                       verbose_name=_("văn bản"))
    product_set = models.ForeignKey("registrations.ProductSet", on_delete=models.PROTECT, related_name="rubrics",
                                    verbose_name=_("bộ sản phẩm"))
    heading = models.CharField(_("tiêu đề phiếu"), max_length=500, blank=True)
    classification = models.CharField(_("phân loại"), max_length=500, blank=True)
    footer_notes = models.JSONField(_("ghi chú cuối phiếu"), default=list, blank=True)
    max_points = models.DecimalField(_("tổng điểm tối đa"), default=Decimal("100"), **POINTS)

    class Meta:
        verbose_name = _("bộ tiêu chí (phiếu đánh giá)")
        verbose_name_plural = _("bộ tiêu chí (phiếu đánh giá)")
        ordering = ["legal_document", "product_set__number"]
        constraints = [
            models.UniqueConstraint(fields=["legal_document", "product_set"], name="rubric_per_document_and_set",
                                    violation_error_message=_("Văn bản này đã có bộ tiêu chí cho bộ sản phẩm này.")),
        ]

    def __str__(self) -> str:
        return f"{self.product_set} — {self.legal_document}"


class Part(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField(_("phần"), max_length=1, choices=PartCode.choices)
    heading = models.CharField(_("tên phần"), max_length=255)
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS)

    class Meta:
        verbose_name = _("phần của phiếu")
        verbose_name_plural = _("phần của phiếu")
        ordering = ["rubric", "code"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="part_code_per_rubric",
                                    violation_error_message=_("Bộ tiêu chí đã có phần mang mã này.")),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="part_max_non_negative",
                                   violation_error_message=_("Điểm tối đa không được âm.")),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.max_points})"


class CriteriaGroup(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria_groups")
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="criteria_groups")
    number = models.CharField(_("số"), max_length=10)
    name = models.CharField(_("tên nhóm tiêu chí"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    requirement = models.TextField(_("yêu cầu"), blank=True)
    notes = models.JSONField(_("ghi chú"), default=list, blank=True)
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["rubric", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "number"], name="criteria_group_number_per_rubric",
                                    violation_error_message=_("Bộ tiêu chí đã có nhóm tiêu chí mang số này.")),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criteria_group_max_non_negative",
                                   violation_error_message=_("Điểm tối đa không được âm.")),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Criterion(models.Model):
    """A criterion; a sub-criterion has a parent. Only leaves (`scorable`) carry options and get a choice."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(CriteriaGroup, on_delete=models.CASCADE, related_name="criteria")
    part_code = models.CharField(_("phần"), max_length=1, choices=PartCode.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    code = models.CharField(_("mã"), max_length=12)
    name = models.CharField(_("tên tiêu chí"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    requirement = models.TextField(_("yêu cầu"), blank=True)
    instruction = models.CharField(_("hướng dẫn"), max_length=255, blank=True)
    cases = models.JSONField(_("các trường hợp"), default=list, blank=True)
    notes = models.JSONField(_("ghi chú"), default=list, blank=True)
    implicit = models.BooleanField(_("tiêu chí ngầm định"), default=False)
    scorable = models.BooleanField(_("được chấm trực tiếp"), default=True)
    max_points = models.DecimalField(_("điểm tối đa"), **POINTS)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["rubric", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "code"], name="criterion_code_per_rubric",
                                    violation_error_message=_("Bộ tiêu chí đã có tiêu chí mang mã này.")),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_max_non_negative",
                                   violation_error_message=_("Điểm tối đa không được âm.")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Option(models.Model):
    """One mutually exclusive level of a criterion (☐), with its points and its star-minimum mark."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="options")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    text = models.TextField(_("nội dung"))
    points = models.DecimalField(_("điểm"), **POINTS)
    min_star = models.PositiveSmallIntegerField(_("yêu cầu tối thiểu cho hạng sao"), null=True, blank=True)
    case = models.CharField(_("trường hợp"), max_length=2, blank=True)
    synthesized = models.BooleanField(
        _("mức do hệ thống thêm"), default=False,
        help_text=_("Phiếu chỉ ghi điểm tối đa, không ghi các mức: hệ thống thêm hai mức Không đạt / Đạt."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("mức đánh giá")
        verbose_name_plural = _("mức đánh giá")
        ordering = ["criterion", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="option_points_non_negative",
                                   violation_error_message=_("Điểm của lựa chọn không được âm.")),
            models.CheckConstraint(
                condition=Q(min_star__isnull=True) | Q(min_star__gte=3, min_star__lte=5), name="option_min_star_3_to_5",
                violation_error_message=_("Hạng sao tối thiểu phải từ 3 đến 5.")
            ),
            models.UniqueConstraint(fields=["criterion", "position"], name="option_position_per_criterion",
                                    violation_error_message=_("Tiêu chí đã có lựa chọn ở vị trí này.")),
        ]

    def __str__(self) -> str:
        mark = f" ({self.min_star}★)" if self.min_star else ""
        return f"{self.text[:80]} — {self.points}{mark}"


class KnockoutCondition(models.Model):
    """A "Hồ sơ bị loại khi" condition of a sheet, checked before scoring."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="knockout_conditions")
    text = models.TextField(_("nội dung"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("điều kiện loại hồ sơ")
        verbose_name_plural = _("điều kiện loại hồ sơ")
        ordering = ["rubric", "position"]

    def __str__(self) -> str:
        return self.text[:120]


class AuthorityRuleQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date):
        return self.filter(effective_from__lte=day).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))


class AuthorityRule(models.Model):
    """Who recognises a star, over a period: e.g. 3★ by the district under 148 (2023-02-24 → 2025-06-30)."""

    legal_basis = models.CharField(_("căn cứ"), max_length=120)
    effective_from = models.DateField(_("từ ngày"))
    effective_to = models.DateField(_("đến ngày"), null=True, blank=True)
    star = models.PositiveSmallIntegerField(_("hạng sao"))
    level = models.CharField(_("cấp công nhận"), max_length=10, choices=RecognisingLevel.choices)

    objects = AuthorityRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("thẩm quyền công nhận")
        verbose_name_plural = _("thẩm quyền công nhận")
        ordering = ["effective_from", "star"]
        constraints = [
            _period_check("authority_rule_period"),
            models.CheckConstraint(condition=Q(star__gte=3, star__lte=5), name="authority_rule_star_3_to_5",
                                   violation_error_message=_("Hạng sao phải từ 3 đến 5.")),
            models.UniqueConstraint(fields=["effective_from", "star"], name="authority_rule_per_period_and_star",
                                    violation_error_message=_("Đã có quy định thẩm quyền cho hạng sao này từ ngày này.")),
        ]

    def __str__(self) -> str:
        return f"{self.star}★ — {self.get_level_display()} ({self.legal_basis})"


# --- councils ------------------------------------------------------------------------------------
class Council(models.Model):
    """A provincial (or central) council, or its advisory group (Tổ tư vấn), set up by a decision."""

    kind = models.CharField(_("loại"), max_length=20, choices=CouncilKind.choices, default=CouncilKind.COUNCIL)
    level = models.CharField(_("cấp"), max_length=10, choices=CouncilLevel.choices, default=CouncilLevel.PROVINCE)
    province = models.ForeignKey("units.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("tỉnh"))
    name = models.CharField(_("tên"), max_length=255)
    decision_number = models.CharField(_("quyết định thành lập"), max_length=60, blank=True)
    spread_limit = models.DecimalField(_("chênh lệch tối đa giữa các thành viên"), default=Decimal("10"), **POINTS)
    quorum_ratio = models.DecimalField(_("tỷ lệ thành viên tối thiểu"), max_digits=4, decimal_places=3,
                                       default=Decimal("0.75"))
    chair_required = models.BooleanField(_("bắt buộc có chủ tịch"), default=True)
    # Quy chế hội đồng: by default a spread over the limit stops the meeting until members re-score or the
    # chair records the council's conclusion; a province may switch the refusal off in its rules.
    spread_blocks_closing = models.BooleanField(
        _("không kết thúc phiên họp khi chênh lệch điểm vượt mức"), default=True,
        help_text=_("Khi bật, chủ tịch chỉ kết thúc phiên họp sau khi thành viên chấm lại hoặc hội đồng ghi kết luận."),
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("hội đồng / tổ tư vấn")
        verbose_name_plural = _("hội đồng / tổ tư vấn")
        ordering = ["province", "kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(spread_limit__gte=0), name="council_spread_non_negative",
                                   violation_error_message=_("Ngưỡng chênh lệch điểm không được âm.")),
            models.CheckConstraint(condition=Q(quorum_ratio__gt=0, quorum_ratio__lte=1), name="council_quorum_ratio",
                                   violation_error_message=_("Tỷ lệ thành viên tối thiểu phải lớn hơn 0 và không quá 1.")),
            models.CheckConstraint(condition=Q(level=CouncilLevel.CENTRAL) | Q(province__isnull=False),
                                   name="council_province_unless_central",
                                   violation_error_message=_("Hội đồng cấp tỉnh phải gắn với một tỉnh.")),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_memberships")
    role = models.CharField(_("vai trò trong hội đồng"), max_length=10, choices=CouncilRole.choices,
                            default=CouncilRole.MEMBER)
    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("cơ quan"))
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    active = models.BooleanField(_("đang tham gia"), default=True)

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = _("thành viên")
        ordering = ["council", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="membership_once_per_council",
                                    violation_error_message=_("Người này đã là thành viên của hội đồng.")),
            models.UniqueConstraint(fields=["council"], condition=Q(role=CouncilRole.CHAIR, active=True),
                                    name="membership_one_chair",
                                    violation_error_message=_("Hội đồng đã có chủ tịch.")),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


# --- rounds --------------------------------------------------------------------------------------
class Round(models.Model):
    """An evaluation round (kỳ đánh giá) of a province's council, carrying the rules in force on its date."""

    province = models.ForeignKey("units.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("tỉnh"))
    kind = models.CharField(_("loại kỳ"), max_length=20, choices=RoundKind.choices, default=RoundKind.REGULAR)
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(_("đợt"))
    title = models.CharField(_("tên kỳ"), max_length=255, blank=True)
    opens_on = models.DateField(_("ngày bắt đầu"))
    forward_deadline = models.DateField(_("hạn cấp xã chuyển hồ sơ"))
    closes_on = models.DateField(_("hạn kết thúc"))
    phase = models.CharField(_("giai đoạn"), max_length=20, choices=RoundPhase.choices, default=RoundPhase.INTAKE)
    decide_by_written_opinion = models.BooleanField(_("lấy ý kiến bằng văn bản"), default=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("hội đồng"))
    advisory_group = models.ForeignKey(Council, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("tổ tư vấn"))
    legal_document = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="rounds",
                                       verbose_name=_("bộ tiêu chí áp dụng"))
    authority_basis = models.CharField(_("căn cứ thẩm quyền công nhận"), max_length=120, blank=True)
    closed_at = models.DateTimeField(_("ngày kết thúc"), null=True, blank=True)
    minutes_pdf = models.FileField(_("biên bản"), upload_to="evaluations/minutes/", blank=True)
    minutes_rendered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["province", "kind", "year", "number"], name="round_number_per_year",
                                    violation_error_message=_("Tỉnh đã có kỳ đánh giá cùng loại, cùng năm và cùng đợt này.")),
            models.CheckConstraint(condition=Q(phase__in=RoundPhase.values), name="round_phase_valid",
                                   violation_error_message=_("Giai đoạn không hợp lệ.")),
            models.CheckConstraint(condition=Q(forward_deadline__gte=F("opens_on")) | Q(kind=RoundKind.CENTRAL),
                                   name="round_forward_after_open",
                                   violation_error_message=_("Hạn cấp xã chuyển hồ sơ phải sau hoặc bằng ngày bắt đầu kỳ đánh giá.")),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="round_closes_after_open",
                                   violation_error_message=_("Hạn kết thúc phải sau hoặc bằng ngày bắt đầu kỳ đánh giá.")),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.number}/{self.year}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("evaluations:round_detail", args=[self.pk])


class RoundEntry(models.Model):
    """A dossier placed in a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    dossier = models.ForeignKey("registrations.Dossier", on_delete=models.PROTECT, related_name="round_entries")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+", verbose_name=_("phiếu áp dụng"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ trong kỳ")
        verbose_name_plural = _("hồ sơ trong kỳ")
        ordering = ["round", "dossier__product_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "dossier"], name="round_entry_once",
                                               violation_error_message=_("Hồ sơ đã có trong kỳ đánh giá này."))]

    def __str__(self) -> str:
        return f"{self.dossier.product_name} @ {self.round}"


class Assignment(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    dossier = models.ForeignKey("registrations.Dossier", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phân công chấm")
        verbose_name_plural = _("phân công chấm")
        constraints = [models.UniqueConstraint(fields=["round", "dossier", "member"], name="assignment_once",
                                               violation_error_message=_("Thành viên đã được phân công chấm hồ sơ này trong kỳ."))]


class ConflictDeclaration(models.Model):
    """A member's conflict of interest with a dossier: the member is recused from it."""

    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="conflicts")
    dossier = models.ForeignKey("registrations.Dossier", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khai báo xung đột lợi ích")
        verbose_name_plural = _("khai báo xung đột lợi ích")
        constraints = [
            models.UniqueConstraint(fields=["member", "dossier"], name="conflict_once",
                                    violation_error_message=_("Thành viên đã khai báo xung đột lợi ích với hồ sơ này.")),
            models.CheckConstraint(condition=~Q(reason=""), name="conflict_has_reason",
                                   violation_error_message=_("Hãy ghi lý do xung đột lợi ích.")),
        ]


class AdvisoryFinding(models.Model):
    """What the advisory group found: a desk review, a site visit, a request for extra lab tests, a knock-out."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="findings")
    dossier = models.ForeignKey("registrations.Dossier", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại"), max_length=12, choices=FindingKind.choices)
    knockout_condition = models.ForeignKey(KnockoutCondition, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+", verbose_name=_("điều kiện loại"))
    text = models.TextField(_("nội dung"))
    visited_on = models.DateField(_("ngày khảo sát"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến tổ tư vấn")
        verbose_name_plural = _("ý kiến tổ tư vấn")
        ordering = ["recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=FindingKind.KNOCKOUT) | Q(knockout_condition__isnull=False),
                name="finding_knockout_names_condition",
                violation_error_message=_("Ý kiến loại trừ phải nêu điều kiện loại trừ."),
            ),
        ]


# --- scoring -------------------------------------------------------------------------------------
class ScoreSheet(models.Model):
    """One member's sheet for one dossier in one round. Totals are derived from the choices on submit."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="score_sheets")
    dossier = models.ForeignKey("registrations.Dossier", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="score_sheets")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("trạng thái"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    total = models.DecimalField(_("tổng điểm"), null=True, blank=True, **POINTS)
    total_a = models.DecimalField(_("phần A"), null=True, blank=True, **POINTS)
    total_b = models.DecimalField(_("phần B"), null=True, blank=True, **POINTS)
    total_c = models.DecimalField(_("phần C"), null=True, blank=True, **POINTS)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")
        constraints = [
            models.UniqueConstraint(fields=["round", "dossier", "member"], name="score_sheet_once_per_member",
                                    violation_error_message=_("Thành viên đã có phiếu chấm điểm cho hồ sơ này trong kỳ.")),
            models.CheckConstraint(condition=Q(status__in=SheetStatus.values), name="score_sheet_status_valid",
                                   violation_error_message=_("Trạng thái không hợp lệ.")),
            models.CheckConstraint(condition=Q(total__isnull=True) | Q(total__gte=0), name="score_sheet_total_non_negative",
                                   violation_error_message=_("Tổng điểm không được âm.")),
            models.CheckConstraint(
                condition=~Q(status=SheetStatus.SUBMITTED) | Q(total__isnull=False, submitted_at__isnull=False),
                name="score_sheet_submitted_has_total",
                violation_error_message=_("Phiếu đã nộp phải có tổng điểm và thời điểm nộp."),
            ),
        ]
        indexes = [
            # A member's own sheets (the API lists them by id): without it the id order walks every sheet of
            # the nation (150,000) to find a member's few hundred.
            models.Index(fields=["member", "id"], name="score_sheet_member_id"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.dossier_id}"


class ScoreChoice(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="choices")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("lựa chọn")
        verbose_name_plural = _("lựa chọn")
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="score_choice_once_per_criterion",
                                               violation_error_message=_("Phiếu đã có lựa chọn cho tiêu chí này."))]


class Result(models.Model):
    """The council's result for a dossier in a round: written once, frozen when the round closes."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="results")
    dossier = models.ForeignKey("registrations.Dossier", on_delete=models.PROTECT, related_name="evaluation_results")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    mean = models.DecimalField(_("điểm trung bình"), null=True, blank=True, **MEAN)
    spread = models.DecimalField(_("chênh lệch"), null=True, blank=True, **POINTS)
    spread_exceeded = models.BooleanField(_("vượt mức chênh lệch"), default=False)
    quorum_met = models.BooleanField(_("đủ số thành viên"), default=False)
    counted = models.PositiveSmallIntegerField(_("số phiếu tính điểm"), default=0)
    band_star = models.PositiveSmallIntegerField(_("hạng theo điểm"), null=True, blank=True)
    minima_star = models.PositiveSmallIntegerField(_("hạng theo yêu cầu tối thiểu"), null=True, blank=True)
    final_star = models.PositiveSmallIntegerField(_("hạng sao"), null=True, blank=True)
    knocked_out = models.BooleanField(_("bị loại"), default=False)
    reasons = models.JSONField(_("lập luận"), default=list)
    rule = models.JSONField(_("quy tắc áp dụng"), default=dict)
    inputs = models.JSONField(_("dữ liệu đầu vào"), default=dict)
    authority = models.ForeignKey(AuthorityRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("thẩm quyền công nhận"))
    frozen_at = models.DateTimeField(_("chốt lúc"))
    for_ministry = models.BooleanField(_("đề nghị Bộ đánh giá 5 sao"), default=False)
    central_mean = models.DecimalField(_("điểm của hội đồng trung ương"), null=True, blank=True, **MEAN)
    central_star = models.PositiveSmallIntegerField(_("hạng sao trung ương"), null=True, blank=True)
    central_recorded_at = models.DateTimeField(null=True, blank=True)
    # When producers and communes may learn the result: the publication of the People's Committee's (or the
    # ministry's) decision that includes the dossier, or of the round's decision for a result no decision lists.
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả đánh giá")
        verbose_name_plural = _("kết quả đánh giá")
        ordering = ["round", "-mean"]
        constraints = [
            models.UniqueConstraint(fields=["round", "dossier"], name="result_once_per_round",
                                    violation_error_message=_("Hồ sơ đã có kết quả trong kỳ đánh giá này.")),
            models.CheckConstraint(condition=Q(final_star__isnull=True) | Q(final_star__gte=1, final_star__lte=5),
                                   name="result_final_star_1_to_5",
                                   violation_error_message=_("Hạng sao phải từ 1 đến 5.")),
            models.CheckConstraint(condition=Q(mean__isnull=True) | Q(mean__gte=0, mean__lte=100),
                                   name="result_mean_0_to_100",
                                   violation_error_message=_("Điểm trung bình phải từ 0 đến 100.")),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} @ {self.round}: {self.final_star or '-'}★"

    @property
    def province_may_recognise_star(self) -> int | None:
        """After a central result under 90, the province may recognise 3★/4★ on its basis."""
        if self.central_mean is None or self.central_mean >= 90:
            return None
        star = self.central_star or 0
        return star if star in (3, 4) else None


class SpreadConclusion(models.Model):
    """The council's conclusion on a dossier whose members' totals differ by more than the limit, recorded by
    the chair with its reason before closing; the minutes print it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="spread_conclusions")
    dossier = models.ForeignKey("registrations.Dossier", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("kết luận của hội đồng"))
    spread = models.DecimalField(_("chênh lệch khi kết luận"), **POINTS)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("người ghi"))
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("kết luận về chênh lệch điểm")
        verbose_name_plural = _("kết luận về chênh lệch điểm")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "dossier"], name="spread_conclusion_once_per_dossier",
                                    violation_error_message=_("Hồ sơ đã có kết luận về chênh lệch điểm trong kỳ.")),
            models.CheckConstraint(condition=~Q(reason=""), name="spread_conclusion_has_reason",
                                   violation_error_message=_("Hãy ghi lý do của kết luận.")),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} @ {self.round}"


# --- the producer's self-assessment (Form 02, Part III) -----------------------------------------
class SelfAssessment(models.Model):
    """The producer's own scoring on the official sheet, one per dossier revision: a score sheet whose scorer
    is the producer. Council members see it beside their own sheet."""

    revision = models.OneToOneField("registrations.DossierRevision", on_delete=models.CASCADE,
                                    related_name="self_assessment")
    dossier = models.ForeignKey("registrations.Dossier", on_delete=models.CASCADE, related_name="+")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("trạng thái"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    total = models.DecimalField(_("tổng điểm"), null=True, blank=True, **POINTS)
    total_a = models.DecimalField(_("phần A"), null=True, blank=True, **POINTS)
    total_b = models.DecimalField(_("phần B"), null=True, blank=True, **POINTS)
    total_c = models.DecimalField(_("phần C"), null=True, blank=True, **POINTS)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tự đánh giá của chủ thể (Mẫu 02, phần III)")
        verbose_name_plural = _("tự đánh giá của chủ thể (Mẫu 02, phần III)")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=[SheetStatus.DRAFT, SheetStatus.SUBMITTED]),
                                   name="self_assessment_status_valid",
                                   violation_error_message=_("Trạng thái không hợp lệ.")),
            models.CheckConstraint(
                condition=~Q(status=SheetStatus.SUBMITTED) | Q(total__isnull=False, submitted_at__isnull=False),
                name="self_assessment_submitted_has_total",
                violation_error_message=_("Phiếu đã nộp phải có tổng điểm và thời điểm nộp."),
            ),
        ]


class SelfAssessmentChoice(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="choices")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="self_choice_once_per_criterion",
                                               violation_error_message=_("Phiếu đã có lựa chọn cho tiêu chí này."))]
