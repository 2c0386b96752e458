"""A database id in a URL is at most 18 digits: a longer number is a 404, never an integer overflow."""
import pytest

from accounts.enums import Role
from tests.factories import ProvinceFactory, user_with_role

HUGE = "9" * 25


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    f"/ho-so/{HUGE}/", f"/chu-the/{HUGE}/", f"/minh-chung/{HUGE}/", f"/danh-gia/ky/{HUGE}/",
    f"/danh-gia/ky/1/ho-so/{HUGE}/", f"/danh-gia/ky/{HUGE}/ho-so/1/", f"/api/dossiers/{HUGE}/",
])
def test_an_overlong_id_is_a_404(client, url):
    client.force_login(user_with_role(Role.PROVINCE_STAFF, ProvinceFactory()))

    assert client.get(url).status_code == 404


def test_the_id_converter_round_trips():
    from django.urls import reverse

    assert reverse("registrations:dossier_detail", args=[123456789012345678]) == "/ho-so/123456789012345678/"
