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
        condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")), name=name
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
                condition=Q(part_a_max__gt=0, part_b_max__gt=0, part_c_max__gt=0), name="legal_document_parts_positive"
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
            models.UniqueConstraint(fields=["legal_document", "product_set"], name="rubric_per_document_and_set"),
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
            models.UniqueConstraint(fields=["rubric", "code"], name="part_code_per_rubric"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="part_max_non_negative"),
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
            models.UniqueConstraint(fields=["rubric", "number"], name="criteria_group_number_per_rubric"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criteria_group_max_non_negative"),
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
            models.UniqueConstraint(fields=["rubric", "code"], name="criterion_code_per_rubric"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_max_non_negative"),
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
            models.CheckConstraint(condition=Q(points__gte=0), name="option_points_non_negative"),
            models.CheckConstraint(
                condition=Q(min_star__isnull=True) | Q(min_star__gte=3, min_star__lte=5), name="option_min_star_3_to_5"
            ),
            models.UniqueConstraint(fields=["criterion", "position"], name="option_position_per_criterion"),
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
    """Who recognises a star, over a period: e.g. 3★ by the district under 148 (2023-02-24 → 2025-07-05)."""

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
            models.CheckConstraint(condition=Q(star__gte=3, star__lte=5), name="authority_rule_star_3_to_5"),
            models.UniqueConstraint(fields=["effective_from", "star"], name="authority_rule_per_period_and_star"),
        ]

    def __str__(self) -> str:
        return f"{self.star}★ — {self.get_level_display()} ({self.legal_basis})"
