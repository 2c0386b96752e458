"""The home page's "what to do next" list: each app registers a provider in its AppConfig.ready().

A provider is `fn(user) -> list[Todo]`. Lower layers own this registry, so higher apps plug in
without the accounts app importing them.
"""
from dataclasses import dataclass

_providers = []


@dataclass(frozen=True)
class Todo:
    title: str
    url: str
    count: int = 0
    overdue: int = 0
    priority: int = 50


def register_todo_provider(fn):
    if fn not in _providers:
        _providers.append(fn)
    return fn


def todos_for(user) -> list[Todo]:
    items = []
    for provider in _providers:
        items.extend(provider(user))
    return sorted(items, key=lambda t: (-t.overdue, t.priority, t.title))
