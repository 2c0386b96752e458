import pytest
from django.core import mail

from activity.enums import OutboxStatus
from activity.models import ActivityLog, OutboxMessage
from activity.selectors import activity_for
from activity.services import activity_record, notify
from tests.factories import ProvinceFactory, UserFactory


@pytest.mark.django_db
def test_activity_record_keeps_before_and_after():
    actor = UserFactory()
    target = ProvinceFactory(name="Tỉnh Thử")

    activity_record(actor=actor, verb="đổi tên", target=target, before={"name": "A"}, after={"name": "B"})

    entry = activity_for(target).get()
    assert (entry.actor, entry.verb, entry.before, entry.after, entry.target_repr) == (
        actor, "đổi tên", {"name": "A"}, {"name": "B"}, "Tỉnh Thử"
    )


@pytest.mark.django_db
def test_notify_stores_one_rendered_mail_per_recipient_and_sends_it_after_commit(django_capture_on_commit_callbacks):
    a, b = UserFactory(full_name="Nguyễn Văn A"), UserFactory()
    target = ProvinceFactory()

    with django_capture_on_commit_callbacks(execute=True):
        notify(event="test_event", recipients=[a, b, a], context={"target": target}, target=target)

    messages = OutboxMessage.objects.order_by("pk")
    assert messages.count() == 2
    assert messages[0].subject == f"Thông báo thử: {target.name}"
    assert "Nguyễn Văn A" in messages[0].body
    assert set(messages.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])


@pytest.mark.django_db
def test_sending_twice_sends_once():
    from activity.services import outbox_message_send

    user = UserFactory()
    message = notify(event="test_event", recipients=[user], context={"target": user}, target=user)[0]

    outbox_message_send(message_id=message.pk)
    outbox_message_send(message_id=message.pk)

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_outbox(celery_worker):
    import time

    user = UserFactory()
    from django.db import transaction

    with transaction.atomic():
        message = notify(event="test_event", recipients=[user], context={"target": user}, target=user)[0]

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.status == OutboxStatus.SENT:
            break
        time.sleep(0.1)
    assert message.status == OutboxStatus.SENT
    assert ActivityLog.objects.count() == 0


@pytest.mark.django_db
def test_history_shows_each_changed_field_with_its_vietnamese_label():
    from django.template.loader import render_to_string

    target = ProvinceFactory()
    activity_record(actor=None, verb="Chuyển hồ sơ lên tỉnh", target=target,
                    before={"status": "Xã đang đánh giá", "kind": "x"}, after={"status": "Đã chuyển lên tỉnh", "kind": "x"})

    html = render_to_string("activity/_history.html", {"history": activity_for(target)})

    assert "trạng thái: <span class=\"text-muted\">Xã đang đánh giá</span> → Đã chuyển lên tỉnh" in html
    assert "loại:" not in html


@pytest.mark.django_db
def test_a_failed_send_is_recorded_and_left_for_the_retry(settings):
    from activity.enums import OutboxStatus
    from activity.services import outbox_message_send

    user = UserFactory()
    message = notify(event="test_event", recipients=[user], context={"target": user}, target=user)[0]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2}}}

    with pytest.raises(OSError):
        outbox_message_send(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1) and message.last_error
    assert message.subject and message.body  # the rendered mail is kept for the next attempt

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    outbox_message_send(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 2, "")


# --- durable effects -----------------------------------------------------------------------------
def _ago(**kw):
    import datetime

    from django.utils import timezone

    return timezone.now() - datetime.timedelta(**kw)


@pytest.mark.django_db
def test_an_effect_is_recorded_with_its_write_and_rolled_back_with_it(django_capture_on_commit_callbacks):
    from django.db import transaction

    from activity.models import Effect
    from activity.services import effect_record
    from activity.tasks import outbox_send

    from .factories import OutboxMessageFactory

    message = OutboxMessageFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            effect_record(task=outbox_send, kwargs={"message_id": message.pk})
            raise RuntimeError("the write fails")
    assert (Effect.objects.count(), len(callbacks), len(mail.outbox)) == (0, 0, 0)


@pytest.mark.django_db
def test_an_effect_is_handed_over_after_commit_and_its_task_run_marks_it_done(django_capture_on_commit_callbacks):
    from activity.models import Effect
    from activity.services import effect_record
    from activity.tasks import outbox_send

    from .factories import OutboxMessageFactory

    message = OutboxMessageFactory(email="chu-the@example.gov.vn")
    with django_capture_on_commit_callbacks(execute=True):
        effect = effect_record(task=outbox_send, kwargs={"message_id": message.pk})
        assert (Effect.objects.get().status, len(mail.outbox)) == ("queued", 0)  # nothing before the commit
    effect.refresh_from_db()
    assert (effect.task, effect.kwargs, effect.status, effect.attempts, effect.last_error) == (
        "activity.tasks.outbox_send", {"message_id": message.pk}, "done", 1, "")
    assert effect.created_at <= effect.dispatched_at <= effect.done_at
    assert [m.to for m in mail.outbox] == [["chu-the@example.gov.vn"]]


@pytest.mark.django_db
def test_the_same_effect_recorded_twice_while_open_is_one_row():
    from activity.enums import EffectStatus
    from activity.models import Effect
    from activity.services import effect_record
    from activity.tasks import outbox_send

    first = effect_record(task=outbox_send, kwargs={"message_id": 7})
    again = effect_record(task="activity.tasks.outbox_send", kwargs={"message_id": 7})
    other = effect_record(task=outbox_send, kwargs={"message_id": 8})
    assert (again.pk, other.pk != first.pk, Effect.objects.count()) == (first.pk, True, 2)
    Effect.objects.filter(pk=first.pk).update(status=EffectStatus.DONE)
    later = effect_record(task=outbox_send, kwargs={"message_id": 7})  # done: the same work may be owed again
    assert later.pk not in (first.pk, other.pk) and first.key == later.key == 'activity.tasks.outbox_send:{"message_id":7}'


@pytest.mark.django_db
def test_the_database_refuses_two_open_effects_with_one_key():
    from django.db import IntegrityError, transaction

    from activity.enums import EffectStatus

    from .factories import EffectFactory

    EffectFactory(kwargs={"message_id": 1}, status=EffectStatus.DONE)
    EffectFactory(kwargs={"message_id": 1}, status=EffectStatus.FAILED)
    EffectFactory(kwargs={"message_id": 1}, status=EffectStatus.QUEUED)
    with pytest.raises(IntegrityError), transaction.atomic():
        EffectFactory(kwargs={"message_id": 1}, status=EffectStatus.DISPATCHED)


@pytest.mark.django_db
def test_with_the_broker_down_the_write_stands_and_the_sweep_hands_the_effect_over_later(
        django_capture_on_commit_callbacks, caplog):
    from activity.models import Effect
    from activity.services import effect_record, effects_sweep
    from activity.tasks import outbox_send
    from tests.brokers import broker_down

    from .factories import OutboxMessageFactory

    message = OutboxMessageFactory(email="chu-the@example.gov.vn")
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        effect_record(task=outbox_send, kwargs={"message_id": message.pk})  # no exception reaches the caller
    effect = Effect.objects.get()
    assert (effect.status, effect.attempts, effect.done_at) == ("queued", 1, None)
    assert "Connection refused" in effect.last_error and "6399" in effect.last_error
    assert f"effect {effect.pk} (activity.tasks.outbox_send) not handed to the broker" in caplog.text
    assert (OutboxMessage.objects.get().status, len(mail.outbox)) == (OutboxStatus.PENDING, 0)

    import datetime

    counts = effects_sweep(grace=datetime.timedelta(0))  # the broker is back (tasks run in-process here)
    effect.refresh_from_db()
    assert counts == {"recorded": 0, "redispatched": 1, "failed": 0, "purged": 0}
    assert (effect.status, effect.attempts, effect.last_error) == ("done", 2, "")
    assert effects_sweep(grace=datetime.timedelta(0)) == {"recorded": 0, "redispatched": 0, "failed": 0, "purged": 0}
    assert ([m.to for m in mail.outbox], OutboxMessage.objects.get().status) == (
        [["chu-the@example.gov.vn"]], OutboxStatus.SENT)


@pytest.mark.django_db
def test_the_sweep_waits_the_grace_period_and_gives_up_after_the_attempt_budget(settings, caplog):
    from activity.enums import EffectStatus
    from activity.models import Effect
    from activity.services import effects_sweep

    from .factories import EffectFactory, OutboxMessageFactory

    settings.OCOP_EFFECT_GRACE_SECONDS, settings.OCOP_EFFECT_MAX_ATTEMPTS = 600, 3
    recent, late, spent, queued = OutboxMessageFactory.create_batch(4)
    EffectFactory(kwargs={"message_id": recent.pk}, status=EffectStatus.DISPATCHED, attempts=1, dispatched_at=_ago(minutes=1))
    EffectFactory(kwargs={"message_id": late.pk}, status=EffectStatus.DISPATCHED, attempts=1, dispatched_at=_ago(minutes=11))
    EffectFactory(kwargs={"message_id": spent.pk}, status=EffectStatus.DISPATCHED, attempts=3, dispatched_at=_ago(hours=1))
    young = EffectFactory(kwargs={"message_id": queued.pk})  # recorded a moment ago: its on-commit hand-over is due
    EffectFactory(task="nowhere.task", kwargs={"x": 1}, status=EffectStatus.DISPATCHED, dispatched_at=_ago(hours=1))
    Effect.objects.filter(pk=young.pk).update(created_at=_ago(seconds=30))

    assert effects_sweep() == {"recorded": 0, "redispatched": 1, "failed": 1, "purged": 0}
    state = {e.kwargs.get("message_id", e.task): (e.status, e.attempts, e.last_error) for e in Effect.objects.all()}
    assert state == {
        recent.pk: ("dispatched", 1, ""),
        late.pk: ("done", 2, ""),
        spent.pk: ("failed", 3, "gave up after 3 attempts"),
        queued.pk: ("queued", 0, ""),
        "nowhere.task": ("failed", 1, "unknown task nowhere.task"),
    }
    assert [m.to[0] for m in mail.outbox] == [late.email]
    assert "given up after 3 attempts" in caplog.text


@pytest.mark.django_db
def test_the_sweep_deletes_effects_done_more_than_30_days_ago():
    from activity.enums import EffectStatus
    from activity.models import Effect
    from activity.services import effects_sweep

    from .factories import EffectFactory

    old = EffectFactory(kwargs={"message_id": 1}, status=EffectStatus.DONE, done_at=_ago(days=31))
    recent = EffectFactory(kwargs={"message_id": 2}, status=EffectStatus.DONE, done_at=_ago(days=29))
    given_up = EffectFactory(kwargs={"message_id": 3}, status=EffectStatus.FAILED, dispatched_at=_ago(days=90))

    assert effects_sweep()["purged"] == 1
    assert sorted(Effect.objects.values_list("pk", flat=True)) == sorted([recent.pk, given_up.pk]) and old.pk


@pytest.mark.django_db(transaction=True)
def test_two_transactions_recording_the_same_effect_at_once_share_one_row():
    import threading

    from django.db import connection, connections, transaction

    from activity.models import Effect
    from activity.services import effect_record

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's blocking unique index")
    recorded, errors = [], []
    barrier = threading.Barrier(8)

    def record():
        try:
            barrier.wait()
            with transaction.atomic():
                recorded.append(effect_record(task="activity.tasks.outbox_send", kwargs={"message_id": 424242}).pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    from tests.brokers import broker_down

    # The broker is down, so the effect stays open: with tasks run in-process, a thread that started late could
    # otherwise find the first effect already done and rightly record new work.
    with broker_down():
        threads = [threading.Thread(target=record) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert (Effect.objects.count(), set(recorded)) == (1, {Effect.objects.get().pk})
