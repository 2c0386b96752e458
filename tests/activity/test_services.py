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
