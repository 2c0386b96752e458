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

# A file larger than this is not attached to a mail (the mail's absolute link still fetches it).
MAIL_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


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
    # Progress of a long job: rows written so far out of the rows the file will hold (0/0 before it starts).
    rows_done = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    rows_total = models.PositiveIntegerField(_("tổng số dòng"), default=0)

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

    @property
    def percent_done(self) -> int | None:
        """Whole percent of rows written, or None while the total is not known yet."""
        if self.status == RunStatus.DONE:
            return 100
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)

    def mail_attachments(self) -> list:
        """The stored file for a mail that names this run (activity.services.outbox_message_send): [(name, bytes,
        content type)], or [] while the file is not made, is gone or is too big to mail."""
        from .formatters import CONTENT_TYPES
        from .services import report_file_name

        if self.status != RunStatus.DONE or not self.file or self.file_size > MAIL_ATTACHMENT_MAX_BYTES:
            return []
        try:
            with self.file.open("rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            return []
        return [(report_file_name(self), content, CONTENT_TYPES[self.format].split(";")[0])]


class Subscription(models.Model):
    """A standing order for a report at a frequency: an organisation's (a department: every member holding a role
    in it receives it) or, for older orders, one user's. Delivered to the inbox and by mail with the file."""

    organisation = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="report_subscriptions", verbose_name=_("cơ quan nhận"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="report_subscriptions", verbose_name=_("người nhận"))
    code = models.CharField(_("mã báo cáo"), max_length=40)
    province = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh"))
    frequency = models.CharField(_("tần suất"), max_length=10, choices=Frequency.choices)
    format = models.CharField(_("định dạng"), max_length=5, choices=RunFormat.choices, default=RunFormat.PDF)
    last_period = models.CharField(_("kỳ đã gửi gần nhất"), max_length=20, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người tạo"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, null=True)

    class Meta:
        verbose_name = _("đăng ký nhận báo cáo")
        verbose_name_plural = _("đăng ký nhận báo cáo")
        ordering = ["province", "code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "code", "province", "frequency"], name="subscription_once"),
            models.UniqueConstraint(fields=["organisation", "code", "province", "frequency"],
                                    condition=Q(organisation__isnull=False), name="subscription_once_per_organisation",
                                    violation_error_message=_("Cơ quan này đã đăng ký nhận báo cáo này với tần suất "
                                                              "này.")),
            models.CheckConstraint(condition=Q(organisation__isnull=False, user__isnull=True)
                                   | Q(organisation__isnull=True, user__isnull=False),
                                   name="subscription_one_recipient",
                                   violation_error_message=_("Hãy chọn đúng một nơi nhận: một cơ quan hoặc một "
                                                             "người dùng.")),
            models.CheckConstraint(condition=Q(frequency__in=Frequency.values), name="subscription_frequency_valid",
                                   violation_error_message=_("Tần suất không hợp lệ.")),
        ]

    def __str__(self) -> str:
        return f"{self.organisation or self.user} · {self.code} · {self.get_frequency_display()}"

    def get_absolute_url(self):
        return reverse("reports:subscription_edit", args=[self.pk])
