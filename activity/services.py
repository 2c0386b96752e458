"""Writes of the activity log and the notification outbox. Every transition service calls these."""
import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from .enums import OutboxStatus
from .models import ActivityLog, OutboxMessage


def in_vietnamese(text) -> str:
    """Render a (lazy) string in Vietnamese whatever the request's language: logs and mails are Vietnamese."""
    with translation.override("vi"):
        return str(text)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (Model, Promise)):
        return in_vietnamese(value)
    return value


def activity_record(*, actor, verb: str, target: Model, before=None, after=None, message: str = "") -> ActivityLog:
    return ActivityLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=in_vietnamese(verb),
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        target_repr=str(target)[:255],
        before=_jsonable(before),
        after=_jsonable(after),
        message=in_vietnamese(message),
    )


def notify(*, event: str, recipients, context: dict, target: Model | None = None) -> list[OutboxMessage]:
    """Render `notifications/<event>.subject.txt` / `.body.txt` for each recipient, store the mails and
    queue their sending once the surrounding transaction commits."""
    from .tasks import outbox_send

    content_type = ContentType.objects.get_for_model(target) if target is not None else None
    messages = []
    seen = set()
    with translation.override("vi"):
        for user in recipients:
            if user is None or user.pk in seen:
                continue
            seen.add(user.pk)
            ctx = {**context, "recipient": user}
            subject = " ".join(render_to_string(f"notifications/{event}.subject.txt", ctx).split())[:255]
            body = render_to_string(f"notifications/{event}.body.txt", ctx).strip()
            messages.append(
                OutboxMessage(
                    event=event, recipient=user, email=user.email or "", subject=subject, body=body,
                    content_type=content_type, object_id=str(target.pk) if target is not None else "",
                )
            )
    created = OutboxMessage.objects.bulk_create(messages)
    for message in created:
        if message.email:
            transaction.on_commit(lambda pk=message.pk: outbox_send.delay(message_id=pk))
    return created


def outbox_message_send(*, message_id: int) -> OutboxMessage | None:
    """Send one stored message. Idempotent: a message already sent is left alone.

    A failure is recorded (status, attempts, error) and then re-raised for the task to retry; it is
    raised only after the row lock's transaction has committed, or the record would be rolled back.
    """
    from django.core.mail import send_mail

    error = None
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status == OutboxStatus.SENT or not message.email:
            return message
        message.attempts += 1
        try:
            send_mail(message.subject, message.body, None, [message.email])
        except Exception as exc:  # noqa: BLE001 - recorded, then re-raised for the task to retry
            error = exc
            message.status = OutboxStatus.FAILED
            message.last_error = str(exc)[:2000]
            message.save(update_fields=["attempts", "status", "last_error"])
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    if error is not None:
        raise error
    return message
