import pytest
from django.urls import reverse

from activity.services import notify
from tests.factories import ProvinceFactory, UserFactory


@pytest.mark.django_db
def test_inbox_lists_the_users_own_notifications_and_nobody_elses(client):
    target = ProvinceFactory(name="Tỉnh Vĩnh Long")
    me, other = UserFactory(full_name="Nguyễn Văn A"), UserFactory(full_name="Trần Thị B")
    notify(event="test_event", recipients=[me], context={"target": target}, target=target)
    notify(event="test_event", recipients=[other], context={"target": ProvinceFactory(name="Tỉnh Cà Mau")})
    client.force_login(me)

    page = client.get(reverse("inbox")).content.decode()

    assert "Thông báo thử: Tỉnh Vĩnh Long" in page and "Nguyễn Văn A" in page
    assert "Tỉnh Cà Mau" not in page and "Trần Thị B" not in page
