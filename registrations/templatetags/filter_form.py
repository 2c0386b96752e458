"""The fields of a list's filter form, rendered in Python (issue 13).

Rendering a filter form through Django's widget templates costs a template render per <option>: a province's
hundred communes made the form most of a list page's time. `filter_fields` writes the same HTML as the
project's widget templates (templates/django/forms/widgets/attrs.html and Django's input, select and
checkbox templates) for the widgets a filter form uses: text-like inputs, a single <select> and a group of
checkboxes. Any other widget, or grouped choices, falls back to Django's own rendering.
"""
import html

import django_filters.fields
from django import forms, template
from django.forms.models import ModelChoiceIterator
from django.forms.widgets import Input
from django.utils.functional import Promise
from django.utils.safestring import mark_safe

register = template.Library()

_INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "input", "text", "number", "email", "url", "search", "tel", "date", "datetime", "time"))

_CHECKBOX_OPTION = "django/forms/widgets/checkbox_option.html"
_MODEL_ITERATORS = (ModelChoiceIterator, django_filters.fields.ModelChoiceIterator)


def conditional_escape(value) -> str:
    """django.utils.html.conditional_escape (its HTML, via the same html.escape) without the lazy-argument check
    that costs more than the escaping for a few hundred short strings."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs_html(attrs: dict, *, default_class: str = "") -> str:
    """attrs.html: the default class when the widget sets none, then each attribute (False: left out, True: bare)."""
    out = [f' class="{default_class}"'] if default_class and "class" not in attrs else []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"')
    return "".join(out)


def _widget_attrs(bf) -> dict:
    """BoundField.as_widget's attributes, then the widget's own (Widget.build_attrs)."""
    widget = bf.field.widget
    attrs = bf.build_widget_attrs({}, widget)
    if bf.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bf.auto_id)
    return {**widget.attrs, **attrs}


def _model_choices(iterator):
    """A ModelChoiceIterator's choices (django-filters' adds the null choice after the empty one) from one plain
    query: the iterator's own queryset.iterator() declares a server-side cursor and fetches it in round trips."""
    field = iterator.field
    head = [("", field.empty_label)] if field.empty_label is not None else []
    if getattr(field, "null_label", None) is not None:
        head.append((field.null_value, field.null_label))
    return head + [iterator.choice(obj) for obj in list(iterator.queryset)]


def _simple_choices(widget):
    """The widget's choices as (value, label) pairs, or None when they are grouped (Django renders those)."""
    choices = []
    source = widget.choices
    if type(source) in _MODEL_ITERATORS:
        source = _model_choices(source)
    for value, label in source:
        if isinstance(label, (list, tuple)):
            return None
        choices.append(("" if value is None else value, label))
    return choices


def _input(bf) -> str:
    widget = bf.field.widget
    context = widget.get_context(bf.html_name, bf.value(), _widget_attrs(bf))["widget"]
    value = context["value"]
    value_html = "" if value is None else f' value="{conditional_escape(str(value))}"'
    default = "" if context["type"] == "hidden" else (
        "form-check-input" if context["type"] in ("checkbox", "radio") else "form-control")
    return (f'<input type="{context["type"]}" name="{conditional_escape(bf.html_name)}"{value_html}'
            f'{_attrs_html(context["attrs"], default_class=default)}>')


def _select(bf, choices) -> str:
    widget = bf.field.widget
    selected_values = set(widget.format_value(bf.value()))
    options, has_selected = [], False
    for value, label in choices:
        selected = not has_selected and str(value) in selected_values
        has_selected |= selected
        options.append(f'<option value="{conditional_escape(str(value))}"{" selected" if selected else ""}>'
                       f"{conditional_escape(label)}</option>")
    return (f'<select name="{conditional_escape(bf.html_name)}"{_attrs_html(_widget_attrs(bf), default_class="form-select")}>\n  '
            + "\n  ".join(options) + "\n</select>")


def _checkboxes(bf, choices) -> str:
    widget = bf.field.widget
    selected_values = set(widget.format_value(bf.value()))
    attrs = _widget_attrs(bf)
    out = []
    for index, (value, label) in enumerate(choices):
        option_attrs = dict(attrs)
        if str(value) in selected_values:
            option_attrs["checked"] = True
        option_id = option_attrs.get("id")
        if option_id:
            option_attrs["id"] = option_id = f"{option_id}_{index}"
        label_for = conditional_escape(option_id) if option_id else ""
        out.append(f'<div class="form-check"><input type="checkbox" name="{conditional_escape(bf.html_name)}" '
                   f'value="{conditional_escape(str(value))}"{_attrs_html(option_attrs, default_class="form-check-input")}>'
                   f'<label class="form-check-label small" for="{label_for}">{conditional_escape(label)}</label></div>')
    return "".join(out)


@register.simple_tag
def filter_fields(filterset) -> list[dict]:
    """Per field of the filter form: `field` (the BoundField), `label`, `id` (the label's target), `group` (a
    group of checkboxes: its options' HTML, to be put in a fieldset) or `html` (the widget's HTML)."""
    fields = []
    for bf in filterset.form:
        widget = bf.field.widget
        item = {"field": bf, "label": bf.label, "group": None, "html": None}
        if bf.widget_type == "checkboxselectmultiple":
            choices = _simple_choices(widget) if widget.option_template_name == _CHECKBOX_OPTION else None
            item["id"] = bf.auto_id
            item["group"] = mark_safe(_checkboxes(bf, choices)) if choices is not None else None
            item["checkboxes"] = True
        else:
            item["id"] = bf.id_for_label
            if isinstance(widget, forms.Select) and not widget.allow_multiple_selected \
                    and widget.template_name == "django/forms/widgets/select.html":
                choices = _simple_choices(widget)
                item["html"] = mark_safe(_select(bf, choices)) if choices is not None else bf
            elif isinstance(widget, Input) and widget.template_name in _INPUT_TEMPLATES:
                item["html"] = mark_safe(_input(bf))
            else:
                item["html"] = bf
        fields.append(item)
    return fields
