import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from evaluations.selectors import round_plan_gaps, round_plan_gaps_of
from tests.factories import user_with_role

from .factories import CouncilFactory, RoundFactory

pytestmark = pytest.mark.django_db


def test_a_province_without_rounds_owes_both_statutory_rounds():
    council = CouncilFactory()

    gaps = round_plan_gaps(province=council.province, year=2026)

    assert [(g["number"], g["closes_by"], g["forward_by"]) for g in gaps] == [
        (1, datetime.date(2026, 6, 30), datetime.date(2026, 4, 30)),
        (2, datetime.date(2026, 12, 30), datetime.date(2026, 10, 30)),
    ]


def test_a_first_half_round_leaves_only_the_second_one_owed():
    council = CouncilFactory()
    RoundFactory(council=council, opens_on=datetime.date(2026, 3, 1), forward_deadline=datetime.date(2026, 4, 30),
                 closes_on=datetime.date(2026, 6, 25))

    assert [g["number"] for g in round_plan_gaps(province=council.province, year=2026)] == [2]
    assert [g["number"] for g in round_plan_gaps(province=council.province, year=2027)] == [1, 2]


def test_province_staff_are_reminded_of_a_round_still_due_this_year(client):
    today = timezone.localdate()
    council = CouncilFactory()
    staff = user_with_role(Role.PROVINCE_STAFF, council.province)
    client.force_login(staff)
    due = [g for g in round_plan_gaps(province=council.province, year=today.year) if g["closes_by"] >= today]

    page = client.get(reverse("home")).content.decode()

    for gap in due:
        assert f"Mở kỳ đánh giá đợt {gap['number']} năm {today.year}" in page
    RoundFactory(council=council, year=today.year, opens_on=datetime.date(today.year, 1, 2),
                 forward_deadline=datetime.date(today.year, 1, 2), closes_on=datetime.date(today.year, 6, 30))
    RoundFactory(council=council, year=today.year, opens_on=datetime.date(today.year, 7, 1),
                 forward_deadline=datetime.date(today.year, 7, 1), closes_on=datetime.date(today.year, 12, 30))
    assert "Mở kỳ đánh giá đợt" not in client.get(reverse("home")).content.decode()


def test_the_gaps_of_every_province_cost_one_query(django_assert_num_queries):
    """An administrator's home lists the gaps of all 34 provinces: one query, not one per province."""

    councils = [CouncilFactory() for _ in range(3)]
    RoundFactory(council=councils[0], year=2026, number=1, opens_on=datetime.date(2026, 2, 1),
                 forward_deadline=datetime.date(2026, 4, 1), closes_on=datetime.date(2026, 6, 1))
    provinces = [c.province for c in councils]

    with django_assert_num_queries(1):
        gaps = round_plan_gaps_of(provinces=provinces, year=2026)

    assert [[g["number"] for g in gaps[p.pk]] for p in provinces] == [[2], [1, 2], [1, 2]]
