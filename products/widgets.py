"""A <select> printed in one pass: the same HTML as Django's Select templates (select.html, select_option.html and
the project's attrs.html) without a template render per option, and, given `label_field` (the model's __str__),
without a model instance per option: the choices are read as (pk, label) pairs in the one query the field makes.
For the long lists of the filters and report forms (a province's ~500 communes, the evaluation rounds)."""
from django import forms
from django.forms.models import ModelChoiceIterator
from html import escape
from django.utils.safestring import mark_safe


def _escaped(text) -> str:
    """django.utils.html.conditional_escape without its lazy-string wrapper (hundreds of options a page)."""
    return text.__html__() if hasattr(text, "__html__") else escape(str(text))


class ManyOptionsSelect(forms.Select):
    def __init__(self, attrs=None, choices=(), *, label_field=None):
        super().__init__(attrs, choices)
        self.label_field = label_field

    printing = False

    def optgroups(self, name, value, attrs=None):
        return [] if self.printing else super().optgroups(name, value, attrs)  # printed by render()

    _read = None  # (the choices read, their pairs): read once for the required check and the options

    def _pairs(self) -> list:
        choices = self.choices
        if self._read is not None and self._read[0] is choices:
            return self._read[1]
        if self.label_field and isinstance(choices, ModelChoiceIterator):
            pairs = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
            pairs += choices.queryset.values_list("pk", self.label_field)
        else:
            pairs = list(iter(choices))  # iter(): a ModelChoiceIterator would count its rows for list()
        self._read = (choices, pairs)
        return pairs

    def use_required_attribute(self, initial):
        """Select's rule (required unless hidden, multiple, or the first option has a value) on the pairs read
        once, not on a query of its own for the first choice."""
        if not super(forms.Select, self).use_required_attribute(initial):
            return False
        if self.allow_multiple_selected:
            return True
        pairs = self._pairs()
        return bool(pairs) and self._choice_has_empty_value(pairs[0])

    def render(self, name, value, attrs=None, renderer=None):
        pairs = self._pairs()
        if any(isinstance(label, (list, tuple)) for _value, label in pairs):  # option groups: Django's own way
            return super().render(name, value, attrs, renderer)
        self.printing = True
        try:
            html = str(super().render(name, value, attrs, renderer))  # <select …>\n</select>
        finally:
            self.printing = False
        values = self.format_value(value)
        parts, has_selected = [], False
        for option_value, label in pairs:
            option_value = "" if option_value is None else str(option_value)
            selected = not has_selected and option_value in values
            has_selected |= selected
            parts.append(f'\n  <option value="{escape(option_value)}"{" selected" if selected else ""}>'
                         f"{_escaped(label)}</option>\n")
        cut = html.index(">") + 1
        return mark_safe(html[:cut] + "".join(parts) + html[cut:])
