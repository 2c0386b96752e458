from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class EffectStatus(models.TextChoices):
    """A durable effect's life: recorded with the write, handed to the broker, carried out (or given up)."""

    QUEUED = "queued", _("Chờ chuyển")
    DISPATCHED = "dispatched", _("Đã chuyển cho hàng đợi")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Bỏ cuộc")


# Not yet carried out: the sweep re-dispatches these, and a dedupe key is unique among them.
OPEN_EFFECT_STATES = (EffectStatus.QUEUED, EffectStatus.DISPATCHED)
