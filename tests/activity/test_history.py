"""The history block on every record page: each changed field in the reader's words."""
import datetime

import pytest
from django.template import Context, Template

from activity.selectors import activity_for
from activity.services import activity_record
from tests.factories import ProvinceFactory, UserFactory
from units.enums import Kind

HISTORY = Template("{% include 'activity/_history.html' %}")


@pytest.mark.django_db
def test_history_names_fields_by_their_labels_and_shows_choices_and_dates_as_people_read_them():
    target = ProvinceFactory(name="Tỉnh Thử")
    activity_record(
        actor=UserFactory(full_name="Lê Minh Tâm"), verb="Sửa đơn vị", target=target,
        before={"kind": Kind.PROVINCE, "valid_to": None},
        after={"kind": Kind.CENTRAL_CITY, "valid_to": datetime.date(2025, 6, 30), "note_only_in_log": "x"},
    )

    html = HISTORY.render(Context({"history": activity_for(target)}))

    assert "loại: <span class=\"text-muted\">Tỉnh</span> → Thành phố trực thuộc trung ương" in html
    assert "hiệu lực đến: " in html and "30/06/2025" in html
    assert "2025-06-30" not in html and "valid_to" not in html
    assert "note only in log: x" in html  # a key that is no field keeps a readable name


@pytest.mark.django_db
def test_history_costs_the_same_queries_for_one_entry_and_many(django_assert_num_queries):
    target = ProvinceFactory()
    actor = UserFactory()
    activity_record(actor=actor, verb="Sửa", target=target, before={"kind": Kind.PROVINCE}, after={"kind": Kind.CENTRAL_CITY})
    HISTORY.render(Context({"history": activity_for(target)}))  # fills the content-type cache
    with django_assert_num_queries(1):
        HISTORY.render(Context({"history": activity_for(target)}))
    for i in range(20):
        activity_record(actor=actor, verb="Sửa", target=target, before={"name": f"A{i}"}, after={"name": f"B{i}"})
    with django_assert_num_queries(1):
        html = HISTORY.render(Context({"history": activity_for(target)}))
    assert html.count("tên: ") == 20
