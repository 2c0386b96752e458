from .enums import Role
from django.urls import get_script_prefix

from .home import nav_links_for, reverse_once

CHROME_URLS = ("home", "set_language", "profile", "inbox", "logout")


def chrome(request):
    """`chrome_urls`: the URLs of the layout's fixed links, reversed once per process, not on every page."""
    prefix = get_script_prefix()
    return {"chrome_urls": {name: reverse_once(name, prefix) for name in CHROME_URLS}}
from .selectors import user_scope


def roles(request):
    """`user_roles`: the codes of the user's active roles; `user_role_labels`: their names."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset(), "user_role_labels": [], "nav_links": []}
    scope = user_scope(user)
    codes = set(scope.units)
    if scope.is_admin:
        codes.add(Role.ADMINISTRATOR)
    return {
        "user_roles": frozenset(str(c) for c in codes),
        "user_role_labels": [Role(c).label for c in Role.values if c in codes],
        "nav_links": nav_links_for(user, request.path),
    }
