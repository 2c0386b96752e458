"""API authentication by token (header `Authorization: Token <key>`), throttled like the login page.

A wrong token is a failed login for django-axes, counted against the address it came from; once
the address is locked out (the same limit and cool-off as wrong passwords), every token from it,
right or wrong, is refused with 429 until the cool-off ends or an administrator unlocks it.
"""
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header


def _no_account() -> dict:
    """A token names no account: axes counts its failures by address only (accounts.throttling)."""
    return {"username": None}


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None  # no token offered: another authentication (the session) may apply
        http_request = request._request
        if not AxesProxyHandler.is_allowed(http_request, _no_account()):
            raise exceptions.Throttled(detail=_("Quá nhiều lần đăng nhập sai từ địa chỉ này. Vui lòng thử lại sau."))
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            user_login_failed.send(sender=__name__, credentials=_no_account(), request=http_request)
            raise
