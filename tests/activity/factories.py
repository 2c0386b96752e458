"""Factories for the activity app: outbox mails and durable effects."""
import factory
from factory.django import DjangoModelFactory

from activity.enums import OutboxStatus
from activity.models import Effect, OutboxMessage
from activity.services import effect_key


class OutboxMessageFactory(DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    event = "test_event"
    email = factory.Sequence(lambda n: f"nguoi-nhan-{n}@example.gov.vn")
    subject = factory.Sequence(lambda n: f"Thông báo thử {n}")
    body = "Nội dung thông báo thử."
    status = OutboxStatus.PENDING


class EffectFactory(DjangoModelFactory):
    """An effect that sends an outbox mail (give `kwargs={"message_id": ...}`)."""

    class Meta:
        model = Effect

    task = "activity.tasks.outbox_send"
    kwargs = factory.LazyFunction(dict)
    key = factory.LazyAttribute(lambda o: effect_key(o.task, o.kwargs))
