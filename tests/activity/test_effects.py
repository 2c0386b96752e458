"""activity/effects.py: the sweep sends again a mail whose hand-over was lost, never one already sent."""
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from activity.enums import OutboxStatus
from activity.models import Effect, OutboxMessage
from activity.services import effects_sweep

from .factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


def _an_hour_old():
    OutboxMessage.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))


def test_the_sweep_resends_a_mail_left_pending_and_not_one_already_sent(django_capture_on_commit_callbacks):
    pending = OutboxMessageFactory(email="cho-gui@example.gov.vn")
    sent = OutboxMessageFactory(email="da-gui@example.gov.vn", status=OutboxStatus.SENT, attempts=1,
                                sent_at=timezone.now())
    OutboxMessageFactory(email="")  # a recipient without an address is never sent
    _an_hour_old()

    with django_capture_on_commit_callbacks(execute=True):
        assert effects_sweep() == {"recorded": 1, "redispatched": 0, "failed": 0, "purged": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert effects_sweep() == {"recorded": 0, "redispatched": 0, "failed": 0, "purged": 0}

    assert [m.to for m in mail.outbox] == [["cho-gui@example.gov.vn"]]
    pending.refresh_from_db()
    sent.refresh_from_db()
    assert (pending.status, pending.attempts, sent.status, sent.attempts) == (OutboxStatus.SENT, 1, OutboxStatus.SENT, 1)
    assert list(Effect.objects.values_list("kwargs", "status")) == [({"message_id": pending.pk}, "done")]


def test_a_failed_mail_is_resent_within_its_budget_only(settings, django_capture_on_commit_callbacks):
    settings.OCOP_OUTBOX_MAX_ATTEMPTS = 12
    retry = OutboxMessageFactory(email="thu-lai@example.gov.vn", status=OutboxStatus.FAILED, attempts=11,
                                 last_error="SMTP 421")
    OutboxMessageFactory(email="het-luot@example.gov.vn", status=OutboxStatus.FAILED, attempts=12, last_error="SMTP 550")
    _an_hour_old()

    with django_capture_on_commit_callbacks(execute=True):
        effects_sweep()

    retry.refresh_from_db()
    assert [m.to for m in mail.outbox] == [["thu-lai@example.gov.vn"]]
    assert (retry.status, retry.attempts, retry.last_error) == (OutboxStatus.SENT, 12, "")


def test_a_mail_written_a_moment_ago_is_left_to_its_own_hand_over(django_capture_on_commit_callbacks):
    OutboxMessageFactory(email="moi@example.gov.vn")  # created now: within the grace period

    with django_capture_on_commit_callbacks(execute=True):
        assert effects_sweep() == {"recorded": 0, "redispatched": 0, "failed": 0, "purged": 0}
    assert (mail.outbox, Effect.objects.count()) == ([], 0)


def test_a_mail_whose_effect_was_given_up_is_not_recorded_again(django_capture_on_commit_callbacks):
    from activity.enums import EffectStatus

    from .factories import EffectFactory

    message = OutboxMessageFactory(email="bo-cuoc@example.gov.vn", status=OutboxStatus.FAILED, attempts=2)
    EffectFactory(kwargs={"message_id": message.pk}, status=EffectStatus.FAILED, attempts=8)
    _an_hour_old()

    with django_capture_on_commit_callbacks(execute=True):
        assert effects_sweep() == {"recorded": 0, "redispatched": 0, "failed": 0, "purged": 0}
    assert (mail.outbox, Effect.objects.count()) == ([], 1)
    Effect.objects.all().delete()  # the administrator deletes the given-up effect: the mail is tried again
    with django_capture_on_commit_callbacks(execute=True):
        assert effects_sweep()["recorded"] == 1
    assert [m.to for m in mail.outbox] == [["bo-cuoc@example.gov.vn"]]
