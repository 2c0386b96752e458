"""A <select> of many model choices (a province's ~500 communes) printed in one pass: the same HTML as Django's
Select templates (select.html, select_option.html and the project's attrs.html), without a template render and
a model instance per option. The choices are read as (pk, label field) pairs in the one query the field makes."""
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import escape
from django.utils.safestring import mark_safe


class ManyOptionsSelect(forms.Select):
    def __init__(self, attrs=None, choices=(), *, label_field="name"):
        super().__init__(attrs, choices)
        self.label_field = label_field  # the model's __str__ is this field

    def optgroups(self, name, value, attrs=None):
        return []  # the options are printed by render()

    def _pairs(self):
        choices = self.choices
        if isinstance(choices, ModelChoiceIterator):
            if choices.field.empty_label is not None:
                yield "", choices.field.empty_label
            yield from choices.queryset.values_list("pk", self.label_field)
        else:
            yield from choices

    def render(self, name, value, attrs=None, renderer=None):
        html = str(super().render(name, value, attrs, renderer))  # <select …>\n</select>
        values = self.format_value(value)
        parts, has_selected = [], False
        for option_value, label in self._pairs():
            option_value = "" if option_value is None else str(option_value)
            selected = not has_selected and option_value in values
            has_selected |= selected
            parts.append(f'\n  <option value="{escape(option_value)}"{" selected" if selected else ""}>'
                         f"{escape(label)}</option>\n")
        cut = html.index(">") + 1
        return mark_safe(html[:cut] + "".join(parts) + html[cut:])
