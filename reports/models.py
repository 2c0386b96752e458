"""The runs of report exports and standing report subscriptions (plans live in the plans app).

Report definitions themselves live in code (registry.py); a ReportRun records one export of one
definition with its parameters and the stored file.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import Frequency, RunFormat, RunStatus


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
