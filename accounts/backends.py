import json

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

UserModel = get_user_model()


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses any login, even with the right password, while the account or address is locked out.

    It authenticates nobody itself (ModelBackend does). A login without a request (the shell, the test
    client's `login()`) has no address and no page to answer with, so it is not throttled; every web
    login (the login page, the admin) passes its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PortalModelBackend(ModelBackend):
    """Django's ModelBackend, whose per-request `get_user` also reads the user's unread inbox count in the same
    query (a subquery), so the navigation's badge costs no query of its own (activity.selectors)."""

    def get_user(self, user_id):
        from django.db import connection

        from activity.models import OutboxMessage
        from ocop_portal import versions

        # Raw SQL: one round trip, and none of the ORM's query building on every page view. The tables' data
        # versions come in the same round trip, read before any of the page's data (ocop_portal.pagecache).
        user_table, inbox = UserModel._meta.db_table, OutboxMessage._meta.db_table
        with_versions = _versions_installed(connection)
        agg = "json_object_agg" if connection.vendor == "postgresql" else "json_group_object"
        extra = f", (SELECT {agg}(name, v) FROM {versions.TABLE}) AS data_versions" if with_versions else ""
        rows = list(UserModel._default_manager.raw(
            f'SELECT u.*, (SELECT COUNT(*) FROM "{inbox}" m WHERE m.recipient_id = u.id AND m.read_at IS NULL) '
            f'AS inbox_unread{extra} FROM "{user_table}" u WHERE u.id = %s', [user_id]))
        user = rows[0] if rows else None
        if user is not None and with_versions:
            found = user.__dict__.pop("data_versions", None)
            if isinstance(found, str):
                found = json.loads(found)
            user._data_versions = found or {}
        return user if user is not None and self.user_can_authenticate(user) else None


def _versions_installed(connection) -> bool:
    """Whether the data-version table exists: asked when the connection opened (ocop_portal.versions)."""
    return getattr(connection, "_ocop_versions_installed", False)
