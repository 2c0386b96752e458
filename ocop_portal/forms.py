"""Form pieces every app shares: dates are typed dd/mm/yyyy (ISO accepted), errors in Vietnamese."""
from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT = ["%d/%m/%Y", "%Y-%m-%d"]

# The empty choice of every select in Vietnamese: Django 6.1's "- Select an option -" is replaced by this in
# OcopPortalConfig.ready(); form classes built before then (admin.py) pass it as their empty_label.
BLANK_CHOICE_LABEL = _("— Chọn —")
# The empty choice of a list filter: no restriction.
FILTER_ALL_LABEL = _("Tất cả")


def date_field(label, required=True, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_INPUT,
                           widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
                           error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")}, **kwargs)


def preselect_single_choices(form: forms.Form) -> None:
    """A required model choice with exactly one possible value is chosen already: nobody picks from a list
    of one (the province of a province's staff, its only council). Call at the end of a form's __init__."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField):
            continue
        if not field.required or field.queryset is None or form.initial.get(name) or form.is_bound:
            continue
        only = list(field.queryset.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            form.initial[name] = only[0]
