"""The active filters of a list, said in words above it ("Đang lọc: …"), so a list reached from a link never
looks unfiltered."""
from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


def _is_empty(value) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, (list, tuple, set)):
        return not value
    return False


def _display(field: forms.Field, value) -> str:
    if isinstance(field, forms.NullBooleanField):
        return _("Có") if value else _("Không")
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): label for key, label in field.choices}
        values = value if isinstance(value, (list, tuple, set)) else [value]
        return ", ".join(str(labels.get(str(v), v)) for v in values)
    return str(value)


@register.simple_tag
def active_filters(filterset) -> list[tuple[str, str]]:
    """(label, value) for each filter the request sets, in the form's order; nothing for an invalid form."""
    form = filterset.form
    if not form.is_valid():
        return []
    return [(str(field.label), _display(field, form.cleaned_data.get(name)))
            for name, field in form.fields.items() if not _is_empty(form.cleaned_data.get(name))]
