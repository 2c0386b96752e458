"""Writes of the activity log, the notification outbox and the durable effects. Every transition service calls
these."""
import datetime
import decimal
import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from .enums import OPEN_EFFECT_STATES, EffectStatus, OutboxStatus
from .models import ActivityLog, Effect, OutboxMessage

logger = logging.getLogger(__name__)


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
            effect_record(task=outbox_send, kwargs={"message_id": message.pk})
    return created


def outbox_attachments(message: OutboxMessage) -> list:
    """The files a mail carries: those its target offers through `mail_attachments()` (a report run offers its
    stored file), read when the mail is sent, so a resent mail carries them too. A lower app never imports the
    higher one that made the target."""
    if message.content_type_id is None or not message.object_id:
        return []
    model = message.content_type.model_class()
    if model is None or not hasattr(model, "mail_attachments"):
        return []
    target = model._default_manager.filter(pk=message.object_id).first()
    return target.mail_attachments() if target is not None else []


def outbox_resend(*, messages: Iterable[OutboxMessage], by) -> int:
    """The admin's "send again": each message not sent yet (or sent, on request) is set pending with a fresh
    retry budget and handed to the mailer. Returns how many were queued."""
    from .tasks import outbox_send

    queued = 0
    for message in messages:
        if not message.email:
            continue
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.PENDING, attempts=0, last_error="")
            activity_record(actor=by, verb=gettext_lazy("Gửi lại thông báo"), target=message, before={"status": message.status})
            effect_record(task=outbox_send, kwargs={"message_id": message.pk})
        queued += 1
    return queued


def outbox_message_send(*, message_id: int) -> OutboxMessage | None:
    """Send one stored message. Idempotent: a message already sent is left alone.

    A failure is recorded (status, attempts, error) and then re-raised for the task to retry; it is
    raised only after the row lock's transaction has committed, or the record would be rolled back.
    """
    from django.core.mail import EmailMessage

    error = None
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status == OutboxStatus.SENT or not message.email:
            return message
        message.attempts += 1
        try:
            mail = EmailMessage(message.subject, message.body, None, [message.email])
            for name, content, mimetype in outbox_attachments(message):
                mail.attach(name, content, mimetype)
            mail.send()
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


# --- durable effects -----------------------------------------------------------------------------
# An effect is a Celery task that must follow a committed write. It is stored with the write, handed to the
# broker when the write commits, marked done by the task run (see ActivityConfig.ready), and handed over
# again by the periodic sweep while it is not done. A broker that is down never costs the user the write.

SweeperFn = Callable[..., Iterable[tuple[object, dict]]]
EFFECT_SWEEPERS: list[SweeperFn] = []


def effect_sweeper(func: SweeperFn) -> SweeperFn:
    """Register `func(*, before, limit) -> [(task, kwargs), ...]`: at most `limit` pieces of work that records
    written before `before` still owe (a certificate without its PDF, a report run still queued). Each app
    declares its own in `<app>/effects.py`, which ActivityConfig.ready imports; the sweep records an effect
    for each."""
    EFFECT_SWEEPERS.append(func)
    return func


def effect_key(task: str, kwargs: dict) -> str:
    """The dedupe key of `task(**kwargs)`: the task name and its arguments as canonical JSON."""
    key = f"{task}:{json.dumps(kwargs, sort_keys=True, separators=(',', ':'), default=str)}"
    if len(key) > 255:
        key = f"{task[:180]}:sha256={hashlib.sha256(key.encode()).hexdigest()}"
    return key


def _task_name(task) -> str:
    return task if isinstance(task, str) else task.name


def _effect_create(*, task, kwargs: dict, unless_given_up: bool = False) -> tuple[Effect, bool]:
    name = _task_name(task)
    key = effect_key(name, kwargs)
    states = (*OPEN_EFFECT_STATES, EffectStatus.FAILED) if unless_given_up else OPEN_EFFECT_STATES
    existing = Effect.objects.filter(key=key, status__in=states).order_by("-pk").first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            effect = Effect.objects.create(task=name, kwargs=kwargs, key=key)
    except IntegrityError:  # a concurrent transaction recorded the same effect first: that one will do
        return Effect.objects.filter(key=key).order_by("-pk").first(), False
    transaction.on_commit(lambda pk=effect.pk: effect_dispatch(effect_id=pk))
    return effect, True


def effect_record(*, task, kwargs: dict) -> Effect:
    """Record that `task(**kwargs)` must run after the current transaction commits, and hand it to the broker
    then. Call it inside the transaction of the write it follows, in place of
    `transaction.on_commit(lambda: task.delay(...))`. An open effect with the same task and arguments is
    returned instead of recording a second one."""
    return _effect_create(task=task, kwargs=kwargs)[0]


def _broker_errors(app) -> tuple[type[BaseException], ...]:
    from kombu.exceptions import KombuError

    connection = app.connection_for_write()  # lazy: no network
    return (KombuError, ConnectionError, TimeoutError, *connection.connection_errors, *connection.channel_errors)


def effect_dispatch(*, effect_id: int) -> bool:
    """Hand an open effect to the broker; True if it was handed over. A broker error is logged and leaves the
    effect queued for the sweep, so the caller (a request that has committed its write) still succeeds."""
    from celery import current_app

    row = (Effect.objects.filter(pk=effect_id, status__in=OPEN_EFFECT_STATES)
           .values("task", "kwargs", "dispatched_at").first())
    if row is None:
        return False
    # Claim it: of two sweeps racing for the same effect, only one hands it over.
    claimed = (Effect.objects.filter(pk=effect_id, status__in=OPEN_EFFECT_STATES, dispatched_at=row["dispatched_at"])
               .update(status=EffectStatus.DISPATCHED, dispatched_at=timezone.now(), attempts=F("attempts") + 1))
    if not claimed:
        return False
    task = current_app.tasks.get(row["task"])
    if task is None:
        Effect.objects.filter(pk=effect_id).update(status=EffectStatus.FAILED, last_error=f"unknown task {row['task']}")
        logger.error("effect %s: unknown task %s", effect_id, row["task"])
        return False
    try:
        task.apply_async(kwargs=row["kwargs"])
    except _broker_errors(current_app) as exc:
        logger.warning("effect %s (%s) not handed to the broker, the sweep will retry: %s", effect_id, row["task"], exc)
        Effect.objects.filter(pk=effect_id, status=EffectStatus.DISPATCHED).update(
            status=EffectStatus.QUEUED, last_error=str(exc)[:2000])
        return False
    return True


def effect_done(*, task: str, kwargs: dict) -> int:
    """Mark the effects of `task(**kwargs)` done (the task ran to its end). Called after every task run."""
    return (Effect.objects.filter(key=effect_key(task, kwargs)).exclude(status=EffectStatus.DONE)
            .update(status=EffectStatus.DONE, done_at=timezone.now(), last_error=""))


def effect_grace() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OCOP_EFFECT_GRACE_SECONDS)


# Effects done this long ago are deleted by the sweep.
EFFECT_KEEP = datetime.timedelta(days=30)


def effects_sweep(*, grace: datetime.timedelta | None = None, limit: int = 500) -> dict:
    """The periodic sweep. First, work that records owe (each app's sweepers) and that has no open effect
    gets one, handed over at once. Then every open effect last handed over (or recorded) more than `grace`
    ago is handed over again, or given up as failed once it has used OCOP_EFFECT_MAX_ATTEMPTS. Tasks are
    idempotent, so handing over twice costs a little work and never a second file. Work whose effect was
    given up is not recorded again (it would fail the same way): delete that effect in the admin to retry.

    Returns counts: recorded (new effects, handed over at once), redispatched, failed (given up), purged
    (done effects older than EFFECT_KEEP, deleted)."""
    grace = effect_grace() if grace is None else grace
    now = timezone.now()
    cutoff = now - grace
    recorded = dispatched = failed = 0
    for sweeper in EFFECT_SWEEPERS:
        for task, kwargs in sweeper(before=cutoff, limit=limit):
            # Outside a transaction (the sweep task), each new effect is handed over as soon as it is written.
            _effect, created = _effect_create(task=task, kwargs=kwargs, unless_given_up=True)
            recorded += created
    due = (Effect.objects.filter(status__in=OPEN_EFFECT_STATES)
           .filter(Q(dispatched_at__lt=cutoff) | Q(dispatched_at__isnull=True, created_at__lt=cutoff))
           .order_by("created_at", "pk").values_list("pk", "attempts", "task")[:limit])
    for pk, attempts, task in list(due):
        if attempts >= settings.OCOP_EFFECT_MAX_ATTEMPTS:
            failed += Effect.objects.filter(pk=pk, status__in=OPEN_EFFECT_STATES).update(
                status=EffectStatus.FAILED, last_error=f"gave up after {attempts} attempts")
            logger.error("effect %s (%s) given up after %s attempts", pk, task, attempts)
            continue
        dispatched += effect_dispatch(effect_id=pk)
    purged, _by_model = Effect.objects.filter(status=EffectStatus.DONE, done_at__lt=now - EFFECT_KEEP).delete()
    return {"recorded": recorded, "redispatched": dispatched, "failed": failed, "purged": purged}


def inbox_mark_read(*, user, messages: Iterable[OutboxMessage]) -> int:
    """Mark the user's messages as read (the inbox page showed them). Others' messages are never touched."""
    ids = [m.pk for m in messages if m.read_at is None]
    if not ids:
        return 0
    if getattr(user, "inbox_unread", None) is not None:
        del user.inbox_unread  # the count read with the user at the start of the request is now old
    return OutboxMessage.objects.filter(pk__in=ids, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())
