"""Provincial OCOP plans with their targets and budget, and the runs of report exports.

Report definitions themselves live in code (registry.py); a ReportRun records one export of one
definition with its parameters and the stored file.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import Frequency, FundingSource, Indicator, RunFormat, RunStatus


class Plan(models.Model):
    """A province's OCOP plan for a year (e.g. "Kế hoạch 1578/KH-UBND thực hiện Chương trình OCOP năm 2026")."""

    province = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"level": "province", "valid_to__isnull": True},
                                 verbose_name=_("tỉnh"))
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    legal_reference = models.CharField(_("số hiệu văn bản"), max_length=120, blank=True,
                                       help_text=_("Ví dụ: Kế hoạch 1578/KH-UBND"))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kế hoạch OCOP")
        verbose_name_plural = _("kế hoạch OCOP")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "title"], name="plan_once_per_province_year_title"),
            models.CheckConstraint(condition=Q(year__gte=2018, year__lte=2100), name="plan_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("kế hoạch"))
    indicator = models.CharField(_("chỉ tiêu"), max_length=30, choices=Indicator.choices)
    value = models.DecimalField(_("giá trị"), max_digits=12, decimal_places=2)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator"], name="target_once_per_plan"),
            models.CheckConstraint(condition=Q(indicator__in=Indicator.values), name="target_indicator_valid"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.value}"


class BudgetLine(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("kế hoạch"))
    source = models.CharField(_("nguồn vốn"), max_length=20, choices=FundingSource.choices)
    planned_vnd = models.BigIntegerField(_("kế hoạch (đồng)"))
    actual_vnd = models.BigIntegerField(_("thực hiện (đồng)"), default=0)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("dòng kinh phí")
        verbose_name_plural = _("kinh phí")
        ordering = ["plan", "source"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "source"], name="budget_line_once_per_source"),
            models.CheckConstraint(condition=Q(source__in=FundingSource.values), name="budget_source_valid"),
            models.CheckConstraint(condition=Q(planned_vnd__gte=0) & Q(actual_vnd__gte=0),
                                   name="budget_amounts_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.planned_vnd}"


class ReportRun(models.Model):
    """One export of a registered report. Identical requests within a short time share one run and one file."""

    code = models.CharField(_("mã báo cáo"), max_length=40)
    parameters = models.JSONField(_("tham số"), default=dict)
    fingerprint = models.CharField(max_length=64, db_index=True)
    province = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh"))
    format = models.CharField(_("định dạng"), max_length=5, choices=RunFormat.choices)
    status = models.CharField(_("trạng thái"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    file = models.FileField(_("tệp"), upload_to="reports/runs/%Y/%m/", blank=True)
    file_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    row_count = models.PositiveIntegerField(_("số dòng"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="report_runs", verbose_name=_("người yêu cầu"))
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    # The hash of the rows the file was made from: a run is reused only while the data is the same.
    data_version = models.CharField(_("phiên bản số liệu"), max_length=64, blank=True)
    data_as_of = models.DateTimeField(_("số liệu tính đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần lập báo cáo")
        verbose_name_plural = _("lần lập báo cáo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="report_run_status_valid"),
            models.CheckConstraint(condition=Q(format__in=RunFormat.values), name="report_run_format_valid"),
        ]
        indexes = [models.Index(fields=["province", "-created_at"], name="report_run_recent")]

    def __str__(self) -> str:
        return f"{self.code} #{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("reports:run_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class Subscription(models.Model):
    """A user's standing order for a report, delivered to their inbox every month or quarter."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions",
                             verbose_name=_("người nhận"))
    code = models.CharField(_("mã báo cáo"), max_length=40)
    province = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh"))
    frequency = models.CharField(_("tần suất"), max_length=10, choices=Frequency.choices)
    format = models.CharField(_("định dạng"), max_length=5, choices=RunFormat.choices, default=RunFormat.XLSX)
    last_period = models.CharField(_("kỳ đã gửi gần nhất"), max_length=20, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("đăng ký nhận báo cáo")
        verbose_name_plural = _("đăng ký nhận báo cáo")
        constraints = [models.UniqueConstraint(fields=["user", "code", "province", "frequency"],
                                               name="subscription_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.code} · {self.get_frequency_display()}"
