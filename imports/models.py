"""An import of a province's existing OCOP records: the batch (who, when, which file, counts, state, progress)
and one row per line of the file with its verdict, its reasons and what applying it made or changed."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import BatchState, RowStatus, Sheet


def batch_upload_to(instance, filename):
    return f"imports/{instance.file_hash[:2]}/{instance.file_hash}{instance.suffix}"


class ImportBatch(models.Model):
    province = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("người nhập"))
    created_at = models.DateTimeField(_("lúc tải lên"), auto_now_add=True)
    file = models.FileField(_("tệp"), upload_to=batch_upload_to, max_length=255)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_hash = models.CharField(_("mã băm SHA-256 của tệp"), max_length=64)
    state = models.CharField(_("trạng thái"), max_length=12, choices=BatchState.choices, default=BatchState.UPLOADED)
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_done = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    counts = models.JSONField(_("số dòng theo kết quả"), default=dict, blank=True)
    message = models.TextField(_("ghi chú"), blank=True)
    applied_at = models.DateTimeField(_("lúc ghi"), null=True, blank=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người xác nhận"))
    undone_at = models.DateTimeField(_("lúc hoàn tác"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("lần nhập dữ liệu")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=BatchState.values), name="imports_batch_state_valid",
                                   violation_error_message=_("Trạng thái lần nhập không hợp lệ.")),
            models.CheckConstraint(condition=Q(rows_done__lte=models.F("rows_total")),
                                   name="imports_batch_done_within_total",
                                   violation_error_message=_("Số dòng đã xử lý không được vượt tổng số dòng.")),
        ]

    def __str__(self) -> str:
        return f"{_('Lần nhập')} #{self.pk} — {self.file_name}"

    def get_absolute_url(self):
        return reverse("imports:batch_detail", args=[self.pk])

    @property
    def suffix(self) -> str:
        return ".csv" if self.file_name.lower().endswith(".csv") else ".xlsx"

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0

    @property
    def is_working(self) -> bool:
        return self.state in (BatchState.UPLOADED, BatchState.PREVIEWING, BatchState.APPLYING)


class ImportRow(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    sheet = models.CharField(_("trang"), max_length=12, choices=Sheet.choices)
    line = models.PositiveIntegerField(_("dòng"))
    key = models.CharField(_("khoá tự nhiên"), max_length=255, blank=True)
    status = models.CharField(_("kết quả"), max_length=10, choices=RowStatus.choices)
    # [{"cell": "C5", "message": "..."}] in Vietnamese; empty unless status is error.
    reasons = models.JSONField(_("lý do"), default=list, blank=True)
    # What the row says, as read (for the preview) and the changes it would make ({field: [before, after]}).
    values = models.JSONField(_("giá trị"), default=dict, blank=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    # What applying it made: [[app_label.model, pk], ...] (undo deletes them) or changed (undo restores `changes`).
    made = models.JSONField(_("bản ghi đã tạo"), default=list, blank=True)

    class Meta:
        verbose_name = _("dòng nhập")
        verbose_name_plural = _("dòng nhập")
        ordering = ["batch", "sheet", "line"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "sheet", "line"], name="imports_row_unique_line",
                                    violation_error_message=_("Dòng này của tệp đã được ghi nhận.")),
            models.CheckConstraint(condition=Q(status__in=RowStatus.values), name="imports_row_status_valid",
                                   violation_error_message=_("Kết quả dòng không hợp lệ.")),
        ]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return f"{self.get_sheet_display()} {self.line}: {self.get_status_display()}"
