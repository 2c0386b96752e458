"""The filter forms' fields written in Python (issue 13) are the HTML Django's widget templates write."""
import django_filters
import pytest
from django import forms
from django.test.html import parse_html
from django.utils.html import conditional_escape as escape

from registrations.models import Dossier
from registrations.selectors import DossierFilter, ProducerFilter
from registrations.templatetags.filter_form import filter_fields
from units.models import AdministrativeUnit

GROUPED = [("Nhóm <A>", [("a1", "A & 1"), ("a2", "A2")]), ("b", 'B "c"')]


class _EveryWidget(django_filters.FilterSet):
    grouped = django_filters.MultipleChoiceFilter(choices=GROUPED, widget=forms.CheckboxSelectMultiple, label="G")
    flat = django_filters.MultipleChoiceFilter(choices=[("x", "X <x>"), ("y", "Y")], widget=forms.CheckboxSelectMultiple)
    select = django_filters.ChoiceFilter(choices=[("p", "P & p"), ("q", "Q")], label="Sel")
    select_grouped = django_filters.ChoiceFilter(choices=GROUPED)
    multiple = django_filters.MultipleChoiceFilter(choices=[("x", "X"), ("y", "Y")])
    day = django_filters.DateFilter(field_name="received_on")
    year = django_filters.NumberFilter(required=True)
    province = django_filters.ModelChoiceFilter(queryset=AdministrativeUnit.objects.filter(level="province"),
                                                null_label="Không có")

    class Meta:
        model = Dossier
        fields = []


def _django_html(bf) -> str:
    """What the list's filter template printed before (Django's widget templates)."""
    if bf.widget_type == "checkboxselectmultiple":
        return "".join(f'<div class="form-check">{option.tag()}<label class="form-check-label small" '
                       f'for="{escape(option.id_for_label)}">{escape(option.choice_label)}</label></div>'
                       for option in bf)
    return str(bf)


def _assert_same_as_django(filterset):
    fields = filter_fields(filterset)
    assert [f["field"].name for f in fields] == list(filterset.form.fields)
    compared = 0
    for item in fields:
        bf = item["field"]
        ours = item["group"] if item.get("checkboxes") else item["html"]
        if ours is None or ours is bf:
            continue  # left to Django (grouped choices, <select multiple>)
        assert parse_html(str(ours)) == parse_html(_django_html(bf)), bf.name
        assert item["id"] == (bf.auto_id if item.get("checkboxes") else bf.id_for_label)
        compared += 1
    assert compared >= len(fields) - 3  # at most the grouped and <select multiple> fields are left to Django


@pytest.mark.parametrize("data", [
    {}, None, {"flat": ["y"], "select": "p", "day": "2026-09-02", "year": "x<", "province": "null"},
    {"grouped": ["a1", "b"], "select_grouped": "a2", "multiple": ["x", "y"], "day": "hôm qua", "year": "2026"},
])
def test_every_widget_a_filter_uses_is_written_as_django_writes_it(db, data):
    _assert_same_as_django(_EveryWidget(data, queryset=Dossier.objects.none()))


@pytest.mark.parametrize("data", [
    {}, {"q": '<b>"&\'', "status": ["submitted", "scored"], "kind": "first", "overdue": "true", "year": "2026"},
    {"commune": "999999999", "product_group": "abc", "year": "-"},
])
def test_the_dossier_and_producer_filters_are_written_as_django_writes_them(world, data):
    _assert_same_as_django(DossierFilter(data, queryset=Dossier.objects.none(), user=world.province_staff))
    _assert_same_as_django(DossierFilter({**data, "commune": str(world.commune.pk)}, queryset=Dossier.objects.none(),
                                         user=world.province_staff))
    _assert_same_as_django(ProducerFilter(data, queryset=Dossier.objects.none()))
