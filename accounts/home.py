"""The home page's "what to do next" list: each app registers a provider in its AppConfig.ready().

A provider is `fn(user) -> list[Todo]`. Lower layers own this registry, so higher apps plug in
without the accounts app importing them.
"""
import functools
from dataclasses import dataclass

_providers = []


@dataclass(frozen=True)
class Todo:
    title: str
    url: str
    count: int = 0
    overdue: int = 0
    priority: int = 50
    detail: str = ""  # what tells two items of one kind apart, e.g. the round's name


def register_todo_provider(fn):
    if fn not in _providers:
        _providers.append(fn)
    return fn


def todos_for(user) -> list[Todo]:
    items = []
    for provider in _providers:
        items.extend(provider(user))
    return sorted(items, key=lambda t: (-t.overdue, t.priority, t.title))


# --- dashboard ---------------------------------------------------------------------------------------
# A provider is `fn(user) -> object | None` giving the charts of the user's home page (reports registers one);
# the first provider with an answer wins. The object has a `title` and its rendered `html` (safe), shown as is.
_dashboard_providers = []


def register_dashboard_provider(fn):
    if fn not in _dashboard_providers:
        _dashboard_providers.append(fn)
    return fn


def dashboard_for(user):
    for provider in _dashboard_providers:
        dashboard = provider(user)
        if dashboard is not None:
            return dashboard
    return None


# --- navigation ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class NavLink:
    title: str
    url_name: str
    visible: object  # a predicate: fn(user) -> bool (a django-rules predicate works)
    order: int = 50


_nav_links: list[NavLink] = []


def register_nav_link(link: NavLink) -> NavLink:
    if all(existing.url_name != link.url_name for existing in _nav_links):
        _nav_links.append(link)
    return link


@functools.lru_cache(maxsize=256)
def reverse_once(url_name: str, script_prefix: str) -> str:
    from django.urls import reverse

    return reverse(url_name)


def nav_links_for(user, path: str = "") -> list[dict]:
    """The sections the user may open, the one holding `path` (the longest URL it starts with) marked current."""
    from django.urls import get_script_prefix

    prefix = get_script_prefix()  # the URLs are reversed once per process (and prefix), not on every page
    links = [
        {"title": link.title, "url": reverse_once(link.url_name, prefix), "current": False}
        for link in sorted(_nav_links, key=lambda link: link.order)
        if link.visible(user)
    ]
    holding = [link for link in links if path.startswith(link["url"])]
    if holding:
        max(holding, key=lambda link: len(link["url"]))["current"] = True
    return links
