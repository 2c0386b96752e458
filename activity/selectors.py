from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from .models import ActivityLog, OutboxMessage


def activity_for(target: Model):
    return ActivityLog.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor")


def inbox_for(user):
    return OutboxMessage.objects.filter(recipient=user).order_by("-created_at")


def inbox_unread_count(user) -> int:
    """Read with the user at the start of the request (accounts.backends.PortalModelBackend), else counted."""
    count = getattr(user, "inbox_unread", None)
    if count is not None:
        return count
    return OutboxMessage.objects.filter(recipient=user, read_at__isnull=True).count()
