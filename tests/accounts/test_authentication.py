"""The API takes a session or a token, never a password; a wrong token counts as a failed login
against the address it came from (django-axes), so guessing tokens locks the address out."""
import base64

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from accounts.enums import Role
from accounts.services import api_token_issue
from tests.factories import PASSWORD, CommuneFactory, user_with_role
from tests.registrations.factories import ProducerFactory

LIMIT = settings.AXES_FAILURE_LIMIT
PRODUCERS = "/api/producers/"


def forget_requests(throttle, ident):
    """DRF counts requests in the cache (Redis in CI, shared with the broker: never flushed whole)."""
    cache.delete(throttle.cache_format % {"scope": throttle.scope, "ident": ident})


@pytest.fixture
def officer():
    commune = CommuneFactory()
    user = user_with_role(Role.COMMUNE_OFFICER, commune, username="canbo")
    ProducerFactory(commune=commune, name="HTX Dừa Chợ Lách")
    ProducerFactory(name="HTX ở xã khác")  # out of the officer's scope
    return user


def get(path, key=None, address="127.0.0.1", **headers):
    if key is not None:
        headers["HTTP_AUTHORIZATION"] = f"Token {key}"
    return Client().get(path, REMOTE_ADDR=address, **headers)


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_a_token_reads_the_api_with_the_users_own_scope(officer):
    token = api_token_issue(user=officer)

    assert names(get(PRODUCERS, token.key)) == ["HTX Dừa Chợ Lách"]


@pytest.mark.django_db
def test_without_credentials_the_api_answers_401_asking_for_a_token(officer):
    response = get(PRODUCERS)

    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_http_basic_with_the_right_password_is_not_accepted(officer):
    basic = base64.b64encode(f"canbo:{PASSWORD}".encode()).decode()

    response = get(PRODUCERS, HTTP_AUTHORIZATION=f"Basic {basic}")

    assert response.status_code == 401


@pytest.mark.django_db
def test_the_session_of_a_signed_in_user_still_reads_the_api(client, officer):
    client.force_login(officer)

    assert names(client.get(PRODUCERS)) == ["HTX Dừa Chợ Lách"]


@pytest.mark.django_db
def test_a_revoked_or_replaced_token_stops_working(officer):
    old = api_token_issue(user=officer)
    new = api_token_issue(user=officer)

    assert get(PRODUCERS, old.key).status_code == 401
    assert names(get(PRODUCERS, new.key)) == ["HTX Dừa Chợ Lách"]

    from accounts.services import api_token_revoke

    assert api_token_revoke(user=officer) is True
    assert get(PRODUCERS, new.key).status_code == 401
    assert api_token_revoke(user=officer) is False


@pytest.mark.django_db
def test_a_deactivated_users_token_is_refused(officer):
    token = api_token_issue(user=officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])

    assert get(PRODUCERS, token.key).status_code == 401


@pytest.mark.django_db
def test_twenty_wrong_tokens_lock_the_address_for_tokens_and_for_the_login_page(officer):
    token = api_token_issue(user=officer)

    answers = [get(PRODUCERS, f"{n:040x}", address="10.0.0.66").status_code for n in range(LIMIT)]
    right_token = get(PRODUCERS, token.key, address="10.0.0.66")
    login_page = Client().post(reverse("login"), {"username": "canbo", "password": PASSWORD}, REMOTE_ADDR="10.0.0.66")

    assert answers == [401] * (LIMIT - 1) + [429]
    assert right_token.status_code == 429
    assert right_token.json() == {"detail": "Quá nhiều lần đăng nhập sai từ địa chỉ này. Vui lòng thử lại sau."}
    assert login_page.status_code == 429
    # Another address is not affected, and the account itself was never named, so it is not locked.
    assert names(get(PRODUCERS, token.key, address="10.0.0.7")) == ["HTX Dừa Chợ Lách"]


@pytest.mark.django_db
def test_the_lockout_answer_on_the_api_is_json_in_vietnamese(officer):
    for n in range(LIMIT - 1):
        get(PRODUCERS, f"{n:040x}", address="10.0.0.66")

    response = get(PRODUCERS, "f" * 40, address="10.0.0.66")

    assert response.status_code == 429 and response["Retry-After"] == "1800"
    assert response.json() == {"detail": "Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau 30 phút."}


@pytest.mark.django_db
def test_wrong_tokens_from_different_addresses_do_not_add_up(officer):
    token = api_token_issue(user=officer)
    for n in range(LIMIT - 1):
        get(PRODUCERS, f"{n:040x}", address=f"10.0.1.{n + 1}")

    assert get(PRODUCERS, "e" * 40, address="10.0.2.1").status_code == 401  # not 429: a fresh address
    assert names(get(PRODUCERS, token.key, address="10.0.2.1")) == ["HTX Dừa Chợ Lách"]


@pytest.mark.django_db
def test_a_signed_in_user_is_throttled_at_the_user_rate(officer, monkeypatch):
    # DRF reads the rates when it is imported; three a minute stands in for the configured rate.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    token = api_token_issue(user=officer)
    forget_requests(UserRateThrottle, officer.pk)

    answers = [get(PRODUCERS, token.key).status_code for _ in range(4)]
    forget_requests(UserRateThrottle, officer.pk)

    assert answers == [200, 200, 200, 429]


@pytest.mark.django_db
def test_anonymous_calls_are_throttled_at_the_anonymous_rate():
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]
    allowed = int(rate.split("/")[0])

    forget_requests(AnonRateThrottle, "10.77.0.1")

    answers = [get(reverse("api-docs"), address="10.77.0.1").status_code for _ in range(allowed + 1)]
    forget_requests(AnonRateThrottle, "10.77.0.1")

    assert rate == "60/minute"
    assert answers == [200] * allowed + [429]


def test_the_api_rates_are_in_the_settings():
    rest = settings.REST_FRAMEWORK
    assert rest["DEFAULT_AUTHENTICATION_CLASSES"] == [
        "accounts.authentication.ApiTokenAuthentication", "rest_framework.authentication.SessionAuthentication",
    ]
    assert rest["DEFAULT_THROTTLE_RATES"] == {"anon": "60/minute", "user": "1200/minute"}
    # DRF's rates and axes count the same client address (accounts.throttling.client_ip).
    assert rest["NUM_PROXIES"] == settings.OCOP_TRUSTED_PROXY_COUNT == 0


@pytest.mark.django_db
def test_an_administrator_issues_a_token_for_an_integration_account_in_the_admin(client, officer):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    add = client.post(reverse("admin:authtoken_tokenproxy_add"), {"user": officer.pk})

    assert add.status_code == 302
    key = Token.objects.get(user=officer).key
    assert key in client.get(reverse("admin:authtoken_tokenproxy_changelist")).content.decode()
    assert names(get(PRODUCERS, key)) == ["HTX Dừa Chợ Lách"]
