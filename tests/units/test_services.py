from collections import Counter

import pytest

from accounts.enums import Role
from accounts.models import RoleAssignment
from tests.factories import UserFactory
from units.enums import LEGACY_VALID_TO, REFORM_DATE, Kind, Level
from units.models import AdministrativeUnit, UnitLineage
from units.services import units_load


def _counts():
    current = AdministrativeUnit.objects.filter(valid_to__isnull=True)
    old = AdministrativeUnit.objects.filter(valid_to=LEGACY_VALID_TO)
    return {
        "current_provinces": current.filter(level=Level.PROVINCE).count(),
        "current_districts": current.filter(level=Level.DISTRICT).count(),
        "current_communes": current.filter(level=Level.COMMUNE).count(),
        "old_provinces": old.filter(level=Level.PROVINCE).count(),
        "old_districts": old.filter(level=Level.DISTRICT).count(),
        "old_communes": old.filter(level=Level.COMMUNE).count(),
        "lineage": UnitLineage.objects.count(),
        "all": AdministrativeUnit.objects.count(),
    }


@pytest.mark.django_db
def test_loading_units_twice_gives_the_same_rows():
    first = units_load()
    counts = _counts()
    snapshot = set(AdministrativeUnit.objects.values_list("pk", "level", "code", "name", "parent_id", "current_province_id"))
    # Records made in a unit (here a role held in a pre-reform commune) keep it through a reload.
    old_commune = AdministrativeUnit.objects.get(level=Level.COMMUNE, code="28870", valid_to=LEGACY_VALID_TO)
    record = RoleAssignment.objects.create(user=UserFactory(), role=Role.COMMUNE_OFFICER, unit=old_commune)

    second = units_load()

    assert counts == {
        "current_provinces": 34,
        "current_districts": 0,
        "current_communes": 3321,
        "old_provinces": 63,
        "old_districts": 696,
        "old_communes": 10051,
        "lineage": counts["lineage"],
        "all": 34 + 3321 + 63 + 696 + 10051,
    }
    assert counts["lineage"] > 10000
    assert first.created == counts["all"]
    assert (second.created, second.updated, second.lineage_created) == (0, 0, 0)
    assert _counts() == counts
    assert set(AdministrativeUnit.objects.values_list("pk", "level", "code", "name", "parent_id", "current_province_id")) == snapshot
    record.refresh_from_db()
    assert (record.unit_id, record.unit.name) == (old_commune.pk, "Thị trấn Chợ Lách")


@pytest.mark.django_db
def test_units_carry_their_official_kind_and_validity_period():
    units_load()
    current = AdministrativeUnit.objects.filter(valid_to__isnull=True)
    old = AdministrativeUnit.objects.filter(valid_to=LEGACY_VALID_TO)

    def kinds(qs, level):
        return dict(Counter(qs.filter(level=level).values_list("kind", flat=True)))

    assert kinds(current, Level.PROVINCE) == {Kind.CENTRAL_CITY: 9, Kind.PROVINCE: 25}
    assert kinds(current, Level.COMMUNE) == {Kind.COMMUNE: 2621, Kind.WARD: 687, Kind.SPECIAL_ZONE: 13}
    assert kinds(old, Level.PROVINCE) == {Kind.CENTRAL_CITY: 6, Kind.PROVINCE: 57}
    assert set(kinds(old, Level.DISTRICT)) == {Kind.RURAL_DISTRICT, Kind.URBAN_DISTRICT, Kind.TOWN, Kind.PROVINCIAL_CITY}
    assert set(kinds(old, Level.COMMUNE)) == {Kind.COMMUNE, Kind.WARD, Kind.TOWNSHIP}
    assert set(current.values_list("valid_from", flat=True)) == {REFORM_DATE}
    assert AdministrativeUnit.objects.filter(valid_to__isnull=False).exclude(valid_to=LEGACY_VALID_TO).count() == 0
    assert AdministrativeUnit.objects.get(level=Level.PROVINCE, code="01", valid_to__isnull=True).name == "Thành phố Hà Nội"
    assert AdministrativeUnit.objects.get(level=Level.COMMUNE, name="Đặc khu Phú Quốc").kind == Kind.SPECIAL_ZONE


@pytest.mark.django_db
def test_pre_reform_commune_maps_to_its_current_commune_and_province():
    units_load()
    thi_tran_cho_lach = AdministrativeUnit.objects.get(level=Level.COMMUNE, code="28870", valid_to=LEGACY_VALID_TO)
    xa_cho_lach = AdministrativeUnit.objects.get(level=Level.COMMUNE, code="28870", valid_to__isnull=True)

    successors = list(thi_tran_cho_lach.successor_links.values_list("new__name", flat=True))
    predecessors = sorted(xa_cho_lach.predecessor_links.values_list("old__name", flat=True))

    assert successors == ["Xã Chợ Lách"]
    assert predecessors == ["Thị trấn Chợ Lách", "Xã Hòa Nghĩa", "Xã Long Thới"]
    assert thi_tran_cho_lach.parent.name == "Huyện Chợ Lách"
    assert thi_tran_cho_lach.province.name == "Tỉnh Bến Tre"
    assert thi_tran_cho_lach.current_province.name == "Tỉnh Vĩnh Long"
    assert xa_cho_lach.kind == "xa" and xa_cho_lach.parent.name == "Tỉnh Vĩnh Long"


@pytest.mark.django_db
def test_merged_provinces_roll_up_into_the_new_province():
    units_load()
    vinh_long = AdministrativeUnit.objects.get(level=Level.PROVINCE, code="86", valid_to__isnull=True)

    sources = sorted(vinh_long.predecessor_links.values_list("old__name", flat=True))

    assert sources == ["Tỉnh Bến Tre", "Tỉnh Trà Vinh", "Tỉnh Vĩnh Long"]
    old_districts = AdministrativeUnit.objects.filter(level=Level.DISTRICT, current_province=vinh_long)
    assert set(old_districts.values_list("province__name", flat=True)) == {"Tỉnh Bến Tre", "Tỉnh Trà Vinh", "Tỉnh Vĩnh Long"}
