"""OCOP programmes and plans (đề án, kế hoạch) issued by a People's Committee of any level, with their stages,
targets per indicator, budget by source, hand-entered actuals and the showrooms they count.

A plan keeps the unit that issued it as the unit was on the issue date (a pre-reform province or district
stays one); its actual figures are rolled up across the 2025 reform by plans.selectors.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import CommunityOrganisationKind, FundingSource, NewRuralLevel, PlanStatus, SubunitLevel, TargetKind
from .indicators import indicator_choices

YEARS = Q(year_from__gte=2010, year_to__lte=2100, year_to__gte=F("year_from"))


class Plan(models.Model):
    """E.g. "Kế hoạch 25/KH-UBND ngày 14/3/2022 thực hiện Chương trình OCOP huyện Châu Thành giai đoạn 2022–2025"."""

    title = models.CharField(_("tên kế hoạch"), max_length=255)
    document_number = models.CharField(_("số hiệu văn bản"), max_length=120, blank=True,
                                       help_text=_("Ví dụ: 25/KH-UBND"))
    document_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuing_unit = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("đơn vị ban hành"),
                                     help_text=_("Tỉnh, huyện hoặc xã như trên văn bản, kể cả đơn vị trước 1/7/2025."))
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))
    orientation_year = models.PositiveSmallIntegerField(_("định hướng đến năm"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces",
                                    verbose_name=_("được thay thế bởi"))
    document_total_vnd = models.BigIntegerField(_("tổng kinh phí ghi trong văn bản (đồng)"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch OCOP")
        verbose_name_plural = _("kế hoạch OCOP")
        ordering = ["-year_from", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=YEARS, name="plans_plan_years_sane"),
            models.CheckConstraint(condition=Q(orientation_year__isnull=True) | Q(orientation_year__gt=F("year_to")),
                                   name="plans_plan_orientation_after_period"),
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="plans_plan_status_valid"),
            models.CheckConstraint(condition=Q(document_total_vnd__isnull=True) | Q(document_total_vnd__gte=0),
                                   name="plans_plan_total_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan_detail", args=[self.pk])

    @property
    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)

    @property
    def reference(self) -> str:
        """"25/KH-UBND ngày 14/03/2022" as the plan's documents are cited."""
        parts = [self.document_number] if self.document_number else []
        if self.document_date:
            parts.append(_("ngày %(d)s") % {"d": self.document_date.strftime("%d/%m/%Y")})
        return " ".join(str(p) for p in parts)

    def clean(self):
        from units.selectors import unit_valid_on

        errors = {}
        if self.year_from and self.year_to and self.year_to < self.year_from:
            errors["year_to"] = _("Năm kết thúc phải từ năm bắt đầu trở đi.")
        if self.orientation_year and self.year_to and self.orientation_year <= self.year_to:
            errors["orientation_year"] = _("Năm định hướng phải sau năm kết thúc kế hoạch.")
        if self.issuing_unit_id and self.document_date and not unit_valid_on(self.issuing_unit, self.document_date):
            errors["issuing_unit"] = _("Đơn vị này không còn (hoặc chưa có) vào ngày ban hành văn bản.")
        if errors:
            raise ValidationError(errors)


class Stage(models.Model):
    """A stage of a programme with its own period (e.g. 2018–2020, then 2021–2025)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="stages", verbose_name=_("kế hoạch"))
    name = models.CharField(_("tên giai đoạn"), max_length=120)
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))

    class Meta:
        verbose_name = _("giai đoạn")
        verbose_name_plural = _("giai đoạn")
        ordering = ["plan", "year_from", "pk"]
        constraints = [
            models.CheckConstraint(condition=YEARS, name="plans_stage_years_sane"),
            models.UniqueConstraint(fields=["plan", "name"], name="plans_stage_name_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year_from}–{self.year_to})"

    def clean(self):
        if self.plan_id and self.year_from and self.year_to and not (
                self.plan.year_from <= self.year_from <= self.year_to <= self.plan.year_to):
            raise ValidationError(_("Giai đoạn phải nằm trong thời gian của kế hoạch (%(a)s–%(b)s).")
                                  % {"a": self.plan.year_from, "b": self.plan.year_to})


def _once_per_period(model: str, *fields: str) -> list:
    """One row per (fields, year) / (fields, stage) / (fields) for the whole period: nulls never collide."""
    return [
        models.UniqueConstraint(fields=[*fields, "year"], condition=Q(year__isnull=False, stage__isnull=True),
                                name=f"plans_{model}_once_per_year"),
        models.UniqueConstraint(fields=[*fields, "stage"], condition=Q(stage__isnull=False, year__isnull=True),
                                name=f"plans_{model}_once_per_stage"),
        models.UniqueConstraint(fields=list(fields), condition=Q(stage__isnull=True, year__isnull=True),
                                name=f"plans_{model}_once_per_period"),
        models.CheckConstraint(condition=Q(stage__isnull=True) | Q(year__isnull=True),
                               name=f"plans_{model}_year_or_stage"),
    ]


class PeriodScoped(models.Model):
    """A row for one year, one stage, or (both empty) the plan's whole period."""

    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("giai đoạn"))
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def period_label(self) -> str:
        if self.year:
            return _("Năm %(y)s") % {"y": self.year}
        if self.stage_id:
            return str(self.stage)
        return str(_("Cả kỳ kế hoạch"))

    def clean_period(self, errors: dict):
        if self.year and self.stage_id:
            errors["year"] = _("Chọn năm hoặc giai đoạn, không chọn cả hai.")
        if self.year and self.plan_id and not (self.plan.year_from <= self.year <= self.plan.year_to):
            errors["year"] = _("Năm phải nằm trong thời gian của kế hoạch (%(a)s–%(b)s).") % {
                "a": self.plan.year_from, "b": self.plan.year_to}
        if self.stage_id and self.plan_id and self.stage.plan_id != self.plan_id:
            errors["stage"] = _("Giai đoạn không thuộc kế hoạch này.")


class Target(PeriodScoped):
    """A target of the plan for one indicator, period and unit (the plan's unit or one of its sub-units)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("kế hoạch"))
    indicator = models.CharField(_("chỉ tiêu"), max_length=40, choices=indicator_choices)
    unit = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("địa bàn"))
    kind = models.CharField(_("loại chỉ tiêu"), max_length=10, choices=TargetKind.choices, default=TargetKind.COUNT)
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    value_max = models.DecimalField(_("đến"), max_digits=14, decimal_places=2, null=True, blank=True)
    each_subunit = models.BooleanField(_("cho từng đơn vị cấp dưới"), default=False,
                                       help_text=_("Ví dụ: mỗi xã có ít nhất 1 sản phẩm; mỗi huyện 6 sản phẩm mỗi năm."))
    subunit_level = models.CharField(
        _("cấp đơn vị cấp dưới"), max_length=10, blank=True, choices=SubunitLevel.choices,
        help_text=_("Để trống: các đơn vị trực thuộc. “Xã” với kế hoạch của tỉnh cũ: từng xã cũ của tỉnh, không chỉ "
                    "từng huyện."))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "indicator", "year", "pk"]
        constraints = _once_per_period("target", "plan", "indicator", "unit", "each_subunit") + [
            models.CheckConstraint(condition=Q(value__gte=0), name="plans_target_value_not_negative"),
            models.CheckConstraint(condition=Q(kind__in=TargetKind.values), name="plans_target_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind=TargetKind.RANGE, value_max__isnull=False, value_max__gte=F("value"))
                           | (~Q(kind=TargetKind.RANGE) & Q(value_max__isnull=True))),
                name="plans_target_range_has_max"),
            models.CheckConstraint(condition=~Q(kind=TargetKind.PERCENT) | Q(value__lte=100),
                                   name="plans_target_percent_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.value_label}"

    @property
    def value_label(self) -> str:
        def n(v):
            return f"{v.normalize():f}"

        if self.kind == TargetKind.RANGE:
            return f"{n(self.value)}–{n(self.value_max)}"
        return f"{n(self.value)}%" if self.kind == TargetKind.PERCENT else n(self.value)

    def clean(self):
        from .indicators import get_indicator

        errors = {}
        self.clean_period(errors)
        indicator = get_indicator(self.indicator)
        if indicator is not None and indicator.percent != (self.kind == TargetKind.PERCENT):
            errors["kind"] = (_("Chỉ tiêu này là một tỷ lệ (%).") if indicator.percent
                              else _("Chỉ tiêu này là số lượng hoặc khoảng, không phải tỷ lệ."))
        if self.kind == TargetKind.RANGE and (self.value_max is None or self.value_max < self.value):
            errors["value_max"] = _("Khoảng cần giá trị “đến” không nhỏ hơn giá trị “từ”.")
        if self.kind != TargetKind.RANGE and self.value_max is not None:
            errors["value_max"] = _("Chỉ nhập giá trị “đến” cho chỉ tiêu dạng khoảng.")
        if self.kind == TargetKind.PERCENT and self.value is not None and self.value > 100:
            errors["value"] = _("Tỷ lệ không quá 100%.")
        if self.each_subunit and self.unit_id and self.unit.level == "commune":
            errors["each_subunit"] = _("Xã không có đơn vị cấp dưới.")
        if self.subunit_level and not self.each_subunit:
            errors["subunit_level"] = _("Chỉ chọn cấp đơn vị cấp dưới cho chỉ tiêu áp dụng cho từng đơn vị cấp dưới.")
        elif self.subunit_level == SubunitLevel.DISTRICT and self.unit_id and self.unit.level != "province":
            errors["subunit_level"] = _("Chỉ tỉnh mới có huyện trực thuộc.")
        if errors:
            raise ValidationError(errors)


class BudgetLine(PeriodScoped):
    """Planned and actual funds of one source for a year, a stage or the whole period, in integer VND."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("kế hoạch"))
    source = models.CharField(_("nguồn vốn"), max_length=20, choices=FundingSource.choices)
    planned_vnd = models.BigIntegerField(_("kế hoạch (đồng)"))
    actual_vnd = models.BigIntegerField(_("thực hiện (đồng)"), default=0)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("dòng kinh phí")
        verbose_name_plural = _("kinh phí")
        ordering = ["plan", "year", "source", "pk"]
        constraints = _once_per_period("budget", "plan", "source") + [
            models.CheckConstraint(condition=Q(source__in=FundingSource.values), name="plans_budget_source_valid"),
            models.CheckConstraint(condition=Q(planned_vnd__gte=0) & Q(actual_vnd__gte=0),
                                   name="plans_budget_amounts_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.planned_vnd}"

    def clean(self):
        errors = {}
        self.clean_period(errors)
        if errors:
            raise ValidationError(errors)


class ManualActual(PeriodScoped):
    """An actual figure entered by hand where records cannot give it (an old year's trainings), with its source.
    Reports show it as entered, not computed, and prefer it to a computed figure for the same cell."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="manual_actuals", verbose_name=_("kế hoạch"))
    indicator = models.CharField(_("chỉ tiêu"), max_length=40, choices=indicator_choices)
    unit = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("địa bàn"))
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    source_note = models.CharField(_("nguồn số liệu"), max_length=255,
                                   help_text=_("Ví dụ: Báo cáo 112/BC-UBND ngày 15/12/2020 của UBND huyện."))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người nhập"))
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now=True)

    class Meta:
        verbose_name = _("số liệu thực hiện nhập tay")
        verbose_name_plural = _("số liệu thực hiện nhập tay")
        ordering = ["plan", "indicator", "year", "pk"]
        constraints = _once_per_period("manual", "plan", "indicator", "unit") + [
            models.CheckConstraint(condition=Q(value__gte=0), name="plans_manual_value_not_negative"),
            models.CheckConstraint(condition=~Q(source_note=""), name="plans_manual_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.value}"

    def clean(self):
        errors = {}
        self.clean_period(errors)
        if errors:
            raise ValidationError(errors)


class Showroom(models.Model):
    """A showroom or point of sale for OCOP products (điểm giới thiệu và bán sản phẩm OCOP)."""

    name = models.CharField(_("tên điểm"), max_length=255)
    commune = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"level": "commune"}, verbose_name=_("xã, phường"),
                                help_text=_("Xã, phường nơi mở điểm, như vào ngày khai trương."))
    owner = models.ForeignKey("registrations.Producer", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("chủ thể sở hữu"))
    owner_name = models.CharField(_("đơn vị, người sở hữu"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    opened_on = models.DateField(_("ngày khai trương"))
    closed_on = models.DateField(_("ngày đóng cửa"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("điểm giới thiệu, bán sản phẩm OCOP")
        verbose_name_plural = _("điểm giới thiệu, bán sản phẩm OCOP")
        ordering = ["-opened_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                                   name="plans_showroom_closes_after_opening"),
        ]

    def __str__(self) -> str:
        return self.name


class Training(models.Model):
    """A training course of the programme (lớp tập huấn, đào tạo) with the people it trained."""

    title = models.CharField(_("tên lớp"), max_length=255)
    commune = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"level": "commune"}, verbose_name=_("xã, phường nơi tổ chức"))
    held_on = models.DateField(_("ngày khai giảng"))
    participants = models.PositiveIntegerField(_("số người tham gia"))
    managers = models.PositiveIntegerField(_("trong đó: cán bộ quản lý, chủ thể"), default=0)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        ordering = ["-held_on", "title"]
        constraints = [models.CheckConstraint(condition=Q(managers__lte=F("participants")),
                                              name="plans_training_managers_within_participants")]

    def __str__(self) -> str:
        return self.title


class CommunityOrganisation(models.Model):
    """A community organisation (cooperative, cooperative group) formed or restructured under the programme."""

    name = models.CharField(_("tên tổ chức"), max_length=255)
    commune = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"level": "commune"}, verbose_name=_("xã, phường"),
                                help_text=_("Xã, phường nơi tổ chức đặt trụ sở, như vào ngày thành lập hoặc kiện toàn."))
    kind = models.CharField(_("hình thức"), max_length=15, choices=CommunityOrganisationKind.choices)
    happened_on = models.DateField(_("ngày thành lập, kiện toàn"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tổ chức kinh tế cộng đồng")
        verbose_name_plural = _("tổ chức kinh tế cộng đồng")
        ordering = ["-happened_on", "name"]
        constraints = [models.CheckConstraint(
            condition=Q(kind__in=CommunityOrganisationKind.values), name="plans_community_org_kind_valid",
            violation_error_message=_("Hình thức thành lập, kiện toàn không hợp lệ."))]

    def __str__(self) -> str:
        return self.name


class NewRuralRecognition(models.Model):
    """A commune recognised as meeting the advanced or the model new-rural standard (nông thôn mới nâng cao,
    kiểu mẫu) in a year, by a decision of the province."""

    commune = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to={"level": "commune"}, verbose_name=_("xã"),
                                help_text=_("Xã như vào ngày công nhận (xã cũ nếu được công nhận trước 01/07/2025)."))
    level = models.CharField(_("mức đạt chuẩn"), max_length=10, choices=NewRuralLevel.choices)
    year = models.PositiveSmallIntegerField(_("năm đạt chuẩn"))
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xã đạt chuẩn nông thôn mới nâng cao, kiểu mẫu")
        verbose_name_plural = _("xã đạt chuẩn nông thôn mới nâng cao, kiểu mẫu")
        ordering = ["-year", "level"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=NewRuralLevel.values), name="plans_new_rural_level_valid",
                                   violation_error_message=_("Mức đạt chuẩn nông thôn mới không hợp lệ.")),
            models.CheckConstraint(condition=Q(year__gte=2010, year__lte=2100), name="plans_new_rural_year_range",
                                   violation_error_message=_("Năm đạt chuẩn phải từ 2010 đến 2100.")),
            models.UniqueConstraint(fields=["commune", "level", "year"], name="plans_new_rural_once_per_year",
                                    violation_error_message=_("Xã này đã được ghi nhận đạt chuẩn ở mức này trong năm đó.")),
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.get_level_display()} {self.year}"
