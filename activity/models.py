from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import OPEN_EFFECT_STATES, EffectStatus, OutboxStatus


class ActivityLog(models.Model):
    """One row per event: who did what to which record, with the state before and after."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("người thực hiện"),
    )
    verb = models.CharField(_("hành động"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=40)
    target = GenericForeignKey("content_type", "object_id")
    target_repr = models.CharField(_("đối tượng"), max_length=255)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    message = models.TextField(_("ghi chú"), blank=True)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký hoạt động")
        verbose_name_plural = _("nhật ký hoạt động")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.verb} {self.target_repr}"

    def save(self, *args, **kwargs):
        """Append-only: a row is written once (activity_record) and never rewritten."""
        if not self._state.adding:
            raise PermissionDenied("The activity log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The activity log is append-only.")


class OutboxMessage(models.Model):
    """A rendered notification, stored before it is sent so that nothing is lost if the mailer fails."""

    event = models.CharField(_("sự kiện"), max_length=60)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )
    email = models.EmailField(_("email"), blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=40, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("hộp thư đi")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created_at"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.email or self.recipient}"


class Effect(models.Model):
    """A Celery task that must follow a committed write (a PDF, a report file, a mail).

    It is recorded in the same transaction as the write and handed to the broker once that commits; if the
    broker is down the row stays "queued" and the periodic sweep hands it over later. The task run marks it
    done. At most one open effect per key, so the same work is never queued twice from the database."""

    task = models.CharField(_("tác vụ"), max_length=200)
    kwargs = models.JSONField(_("tham số"), default=dict)
    key = models.CharField(_("khóa chống trùng"), max_length=255)
    status = models.CharField(_("trạng thái"), max_length=10, choices=EffectStatus.choices,
                              default=EffectStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần chuyển"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("chuyển lúc"), null=True, blank=True)
    done_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tác vụ sau ghi")
        verbose_name_plural = _("tác vụ sau ghi")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(status__in=OPEN_EFFECT_STATES),
                                    name="effect_key_unique_while_open",
                                    violation_error_message=_("Việc này đang chờ thực hiện.")),
            models.CheckConstraint(condition=Q(status__in=EffectStatus.values), name="effect_status_valid",
                                   violation_error_message=_("Trạng thái không hợp lệ.")),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="effect_status_created")]

    def __str__(self) -> str:
        return f"{self.task} {self.kwargs} ({self.get_status_display()})"
