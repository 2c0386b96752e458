from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import OutboxStatus


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
