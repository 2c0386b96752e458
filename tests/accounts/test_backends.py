"""Login throttling (django-axes behind accounts.backends.LoginThrottleBackend): twenty wrong passwords
lock the account, and separately the address they came from, for the cool-off period, also for the
right password; the lockout page is Vietnamese; an administrator unlocks in the admin."""
import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, username, password, address="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limit_is_twenty_wrong_passwords_and_the_cool_off_thirty_minutes():
    assert (settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME) == (20, datetime.timedelta(minutes=30))


@pytest.mark.django_db
def test_twenty_wrong_passwords_lock_the_account_also_for_the_right_password(client):
    UserFactory(username="canbo")

    answers = [login(client, "canbo", f"sai-{n}").status_code for n in range(LIMIT)]
    right = login(client, "canbo", PASSWORD)

    assert answers == [200] * (LIMIT - 1) + [429]
    assert right.status_code == 429 and not logged_in(client)
    page = right.content.decode()
    assert "Tạm khoá đăng nhập" in page
    assert "đã bị tạm khoá vì nhập sai mật khẩu quá nhiều lần" in page
    assert "Vui lòng thử lại sau 30 phút" in page
    assert right["Retry-After"] == "1800"


@pytest.mark.django_db
def test_nineteen_wrong_passwords_still_let_the_right_one_in(client):
    UserFactory(username="canbo")
    for n in range(LIMIT - 1):
        login(client, "canbo", f"sai-{n}")

    response = login(client, "canbo", PASSWORD)

    assert response.status_code == 302 and response.url == reverse("home") and logged_in(client)


@pytest.mark.django_db
def test_the_account_stays_locked_from_another_address(client):
    UserFactory(username="canbo")
    for n in range(LIMIT):
        login(client, "canbo", f"sai-{n}", address=f"10.0.0.{n + 1}")  # spread over twenty addresses

    response = login(client, "canbo", PASSWORD, address="10.9.9.9")

    assert response.status_code == 429 and not logged_in(client)


@pytest.mark.django_db
def test_an_address_guessing_many_accounts_is_locked_but_others_are_not(client):
    UserFactory(username="canbo")
    for n in range(LIMIT):
        login(client, f"khong-co-{n}", "sai", address="10.0.0.66")  # one wrong password per account name

    from_guesser = login(client, "canbo", PASSWORD, address="10.0.0.66")
    from_elsewhere = login(client, "canbo", PASSWORD, address="10.0.0.7")

    assert from_guesser.status_code == 429
    assert from_elsewhere.status_code == 302 and logged_in(client)


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client):
    UserFactory(username="canbo")
    for n in range(LIMIT):
        login(client, "canbo", f"sai-{n}")
    assert login(client, "canbo", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    response = login(client, "canbo", PASSWORD)

    assert response.status_code == 302 and logged_in(client)


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too(client):
    UserFactory(username="quantri", is_staff=True, is_superuser=True)
    for n in range(LIMIT):
        client.post("/quan-tri/login/", {"username": "quantri", "password": f"sai-{n}"})

    response = client.post("/quan-tri/login/", {"username": "quantri", "password": PASSWORD})

    assert response.status_code == 429 and not logged_in(client)


@pytest.mark.django_db
def test_an_administrator_unlocks_an_account_in_the_admin(client):
    UserFactory(username="canbo")
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    for n in range(LIMIT):
        login(client, "canbo", f"sai-{n}", address="10.0.0.5")
    attempt = AccessAttempt.objects.get(username="canbo")
    assert attempt.failures_since_start == LIMIT

    client.force_login(admin)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "canbo" in listing.content.decode()
    confirm = client.get(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]))
    assert confirm.status_code == 200
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    client.logout()

    assert AccessAttempt.objects.count() == 0
    response = login(client, "canbo", PASSWORD, address="10.0.0.5")
    assert response.status_code == 302 and logged_in(client)


@pytest.mark.django_db
def test_a_login_without_a_request_is_not_throttled(client):
    """The shell and the test client's login() pass no request: there is no address to count."""
    UserFactory(username="canbo")
    for n in range(LIMIT):
        login(client, "canbo", f"sai-{n}")

    from django.contrib.auth import authenticate

    assert authenticate(username="canbo", password=PASSWORD).username == "canbo"
    assert authenticate(username="canbo", password="sai") is None
