from django.test import RequestFactory

from accounts.throttling import client_ip, lockout_parameters


def request_from(peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_peer_is_the_client_and_x_forwarded_for_is_ignored(settings):
    settings.OCOP_TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from("203.0.113.5", forwarded="1.2.3.4")) == "203.0.113.5"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.OCOP_TRUSTED_PROXY_COUNT = 1

    # The client forged "1.2.3.4"; our proxy appended the address it really saw.
    assert client_ip(request_from("10.0.0.2", forwarded="1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.OCOP_TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_from("10.0.0.2", forwarded="1.2.3.4, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"


def test_behind_a_proxy_a_request_without_x_forwarded_for_falls_back_to_the_peer(settings):
    settings.OCOP_TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


def test_a_named_account_counts_by_account_and_address_a_wrong_token_by_address_only():
    request = request_from("10.0.0.2")

    assert lockout_parameters(request, {"username": "canbo", "password": "x"}) == ["username", "ip_address"]
    assert lockout_parameters(request, {"username": None}) == ["ip_address"]
