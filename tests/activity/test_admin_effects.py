"""activity/admin.py: the administrator sees the durable effects (read-only), to watch and retry them."""
import pytest
from django.urls import reverse

from activity.enums import EffectStatus
from tests.factories import UserFactory

from .factories import EffectFactory

pytestmark = pytest.mark.django_db


def test_the_administrator_sees_effects_and_filters_the_given_up_ones(client):
    EffectFactory(kwargs={"message_id": 1}, status=EffectStatus.DONE)
    given_up = EffectFactory(task="products.tasks.certificate_render", kwargs={"certificate_id": 77},
                             status=EffectStatus.FAILED, attempts=8, last_error="gave up after 8 attempts")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:activity_effect_changelist"), {"status__exact": "failed"})

    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [given_up]
    assert "products.tasks.certificate_render" in page.content.decode() and "Bỏ cuộc" in page.content.decode()
    assert client.get(reverse("admin:activity_effect_add")).status_code == 403
    detail = client.get(reverse("admin:activity_effect_change", args=[given_up.pk]))
    assert detail.status_code == 200 and "gave up after 8 attempts" in detail.content.decode()
