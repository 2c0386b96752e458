"""Every constraint of the portal's models explains itself in Vietnamese (issue 14, item 1): without a
violation_error_message a wrong entry shows Django's raw "Constraint “name” is violated."."""
from django.apps import apps
from django.db.models import BaseConstraint
from django.utils import translation

# reports' plan tables are being moved out of reports by another change; its constraints get their messages there.
APPS = ("units", "accounts", "activity", "registrations", "evaluations", "products")


def _constraints():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            for constraint in model._meta.constraints:
                yield f"{model._meta.label}.{constraint.name}", constraint


def test_every_constraint_has_a_vietnamese_message():
    raw = BaseConstraint.default_violation_error_message
    with translation.override("vi"):
        missing = [name for name, c in _constraints() if c.violation_error_message == raw]
        messages = {name: str(c.get_violation_error_message()) for name, c in _constraints()}
    assert missing == []
    assert len(messages) > 80
    assert [name for name, text in messages.items() if "Constraint" in text or "_" in text or not text.endswith(".")] == []
