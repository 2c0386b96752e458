"""Roll-up areas across the 2025 reform (units.selectors.area_communes), on ReportWorld:
Bến Tre (old) › Chợ Lách › Hòa Nghĩa (→ A), Sơn Định (→ A and B); old Vĩnh Long › Mang Thít › Mỹ An (→ B)."""
import datetime

import pytest

from tests.reports.factories import ReportWorld
from units.models import AdministrativeUnit
from units.selectors import area_communes, shared_successors, unit_valid_on


@pytest.fixture
def world(db):
    return ReportWorld()


def names(unit):
    return sorted(AdministrativeUnit.objects.filter(pk__in=area_communes(unit)).values_list("name", flat=True))


def test_an_old_district_counts_its_old_communes_and_the_current_communes_descending_from_them(world):
    assert names(world.cho_lach) == ["Xã Chợ Lách", "Xã Hòa Nghĩa", "Xã Mỏ Cày", "Xã Sơn Định"]


def test_an_old_province_counts_its_own_history_and_its_descendants_only(world):
    assert names(world.old_vinh_long) == ["Xã Mỏ Cày", "Xã Mỹ An"]


def test_a_current_province_counts_the_merged_provinces_history(world):
    assert names(world.province) == ["Xã Chợ Lách", "Xã Hòa Nghĩa", "Xã Mỏ Cày", "Xã Mỹ An", "Xã Sơn Định"]


def test_a_current_commune_counts_its_predecessors(world):
    assert names(world.b) == ["Xã Mỏ Cày", "Xã Mỹ An", "Xã Sơn Định"]


def test_an_old_commune_counts_its_successors(world):
    assert names(world.hoa_nghia) == ["Xã Chợ Lách", "Xã Hòa Nghĩa"]


def test_shared_successors_are_counted_for_the_note(world):
    # Mỏ Cày (B) descends from Sơn Định (Chợ Lách) and Mỹ An (Mang Thít).
    assert (shared_successors(world.cho_lach), shared_successors(world.mang_thit), shared_successors(world.province)) == (
        1, 1, 0)


@pytest.mark.parametrize("day, expected", [(datetime.date(2024, 5, 1), (True, False)),
                                           (datetime.date(2025, 7, 1), (False, True))])
def test_unit_valid_on(world, day, expected):
    assert (unit_valid_on(world.cho_lach, day), unit_valid_on(world.a, day)) == expected
