"""activity/tasks.py: the sweep task that beat runs every few minutes."""
import datetime

import pytest
from django.core import mail
from django.utils import timezone

from activity.models import OutboxMessage
from activity.tasks import effects_sweep

from .factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db(transaction=True)  # as under beat: outside any transaction


def test_the_sweep_task_hands_over_a_lost_mail_and_reports_its_counts():
    message = OutboxMessageFactory(email="bi-lo@example.gov.vn")
    OutboxMessage.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))

    assert effects_sweep.delay().get() == {"recorded": 1, "redispatched": 0, "failed": 0, "purged": 0}
    message.refresh_from_db()
    assert (message.status, [m.to for m in mail.outbox]) == ("sent", [["bi-lo@example.gov.vn"]])
    assert effects_sweep.delay().get() == {"recorded": 0, "redispatched": 0, "failed": 0, "purged": 0}
