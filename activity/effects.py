"""Work the activity app's records still owe, found by the periodic effects sweep: mails left pending (their
hand-over to the broker was lost) or failed within their retry budget."""
from django.conf import settings

from .enums import OutboxStatus
from .models import OutboxMessage
from .services import effect_sweeper


@effect_sweeper
def outbox_unsent(*, before, limit):
    from .tasks import outbox_send

    ids = (OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED], created_at__lt=before,
                                        attempts__lt=settings.OCOP_OUTBOX_MAX_ATTEMPTS)
           .exclude(email="").order_by("pk").values_list("pk", flat=True)[:limit])
    return [(outbox_send, {"message_id": pk}) for pk in ids]
