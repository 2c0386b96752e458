"""An extension point of the dossier page: higher apps (evaluations: the self-assessment score sheet,
Form 02 Part III) add blocks without registrations importing them.

A provider is `fn(request, dossier) -> Panel | None`, registered in the app's AppConfig.ready().
"""
from dataclasses import dataclass, field

_providers = []


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def register_dossier_panel(fn):
    if fn not in _providers:
        _providers.append(fn)
    return fn


def panels_for(request, dossier) -> list[Panel]:
    panels = [p for p in (provider(request, dossier) for provider in _providers) if p is not None]
    return sorted(panels, key=lambda p: (p.order, str(p.title)))
