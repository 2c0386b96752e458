"""Who is knocking: the client address and the lockout keys django-axes counts failures by.

A wrong password counts against the account and, separately, against the address it came from; a
wrong API token carries no account, so it counts against the address only (otherwise every wrong
token from anywhere would add up under one empty account name).
"""
from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the peer, or the entry our own proxies appended to X-Forwarded-For.

    Only the last OCOP_TRUSTED_PROXY_COUNT entries were written by proxies we run; anything to their
    left came from the client and may be forged, so it is never used.
    """
    trusted = settings.OCOP_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(trusted, len(hops))]
    return request.META.get("REMOTE_ADDR")


def lockout_parameters(request_or_attempt, credentials: dict | None = None) -> list:
    """By account and by address; by address alone when no account was named (a wrong API token)."""
    if credentials is not None and not credentials.get("username"):
        return ["ip_address"]
    return ["username", "ip_address"]
