"""Loading the administrative-unit tree from the `vietnam-provinces` data package.

`units_load()` is idempotent: it inserts what is missing, updates names and kinds that changed and
never deletes, so records made in a unit keep it.
"""
from dataclasses import dataclass

from django.db import transaction

from .enums import LEGACY_VALID_TO, REFORM_DATE, Kind, Level
from .models import AdministrativeUnit, UnitLineage

_KIND_BY_DIVISION_TYPE = {
    "thành phố trung ương": Kind.CENTRAL_CITY,
    "tỉnh": Kind.PROVINCE,
    "quận": Kind.URBAN_DISTRICT,
    "huyện": Kind.RURAL_DISTRICT,
    "thị xã": Kind.TOWN,
    "thành phố": Kind.PROVINCIAL_CITY,
    "xã": Kind.COMMUNE,
    "phường": Kind.WARD,
    "thị trấn": Kind.TOWNSHIP,
    "đặc khu": Kind.SPECIAL_ZONE,
}
_CODE_WIDTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}


def unit_code(level: str, number: int) -> str:
    return str(int(number)).zfill(_CODE_WIDTH[level])


@dataclass(frozen=True)
class LoadSummary:
    created: int
    updated: int
    lineage_created: int


class _Upserter:
    """Keeps one dict of existing units per (level, code, valid_to) and batches the writes."""

    def __init__(self):
        self.by_key = {(u.level, u.code, u.valid_to): u for u in AdministrativeUnit.objects.all()}
        self.created = 0
        self.updated = 0

    def upsert(self, *, level, code, name, kind, valid_from, valid_to, parent=None, province=None) -> AdministrativeUnit:
        key = (level, code, valid_to)
        unit = self.by_key.get(key)
        fields = {"name": name, "kind": kind, "valid_from": valid_from, "parent": parent, "province": province}
        if level == Level.PROVINCE:
            fields.pop("province")  # a province is its own province; set once after its first save
        if unit is None:
            unit = AdministrativeUnit(level=level, code=code, valid_to=valid_to, **fields)
            unit._dirty = True
            self.by_key[key] = unit
            return unit
        changed = False
        for field, value in fields.items():
            current = getattr(unit, field + "_id") if field in ("parent", "province") else getattr(unit, field)
            new = value.pk if field in ("parent", "province") and value is not None else value
            if current != new:
                setattr(unit, field, value)
                changed = True
        unit._dirty = unit.pk is None or changed
        return unit

    def flush(self, units):
        new = [u for u in units if u.pk is None]
        old = [u for u in units if u.pk is not None and getattr(u, "_dirty", False)]
        for u in new:  # parent/province set on unsaved objects must be re-bound after save
            u.parent_id = u.parent.pk if u.parent else None
            u.province_id = u.province.pk if u.province else None
        AdministrativeUnit.objects.bulk_create(new, batch_size=2000)
        if old:
            AdministrativeUnit.objects.bulk_update(
                old, ["name", "kind", "valid_from", "parent", "province"], batch_size=2000
            )
        self.created += len(new)
        self.updated += len(old)
        for u in units:
            u._dirty = False


@transaction.atomic
def units_load() -> LoadSummary:
    """Load current (two-tier) and pre-reform (three-tier) units and the lineage between them."""
    from vietnam_provinces import Province, Ward, legacy

    up = _Upserter()

    # Current provinces and communes.
    provinces = {}
    for p in Province.iter_all():
        code = unit_code(Level.PROVINCE, p.code.value)
        unit = up.upsert(level=Level.PROVINCE, code=code, name=p.name, kind=_KIND_BY_DIVISION_TYPE[p.division_type.value],
                         valid_from=REFORM_DATE, valid_to=None)
        provinces[p.code.value] = unit
    up.flush(list(provinces.values()))
    for unit in provinces.values():
        if unit.province_id != unit.pk:
            unit.province = unit
            unit._dirty = True
    up.flush(list(provinces.values()))

    communes = {}
    for w in Ward.iter_all():
        prov = provinces[w.province_code.value]
        communes[w.code.value] = up.upsert(
            level=Level.COMMUNE, code=unit_code(Level.COMMUNE, w.code.value), name=w.name,
            kind=_KIND_BY_DIVISION_TYPE[w.division_type.value], valid_from=REFORM_DATE, valid_to=None,
            parent=prov, province=prov,
        )
    up.flush(list(communes.values()))

    # Pre-reform provinces, districts, communes.
    old_provinces = {}
    for p in legacy.Province.iter_all():
        old_provinces[p.code.value] = up.upsert(
            level=Level.PROVINCE, code=unit_code(Level.PROVINCE, p.code.value), name=p.name,
            kind=_KIND_BY_DIVISION_TYPE[p.division_type.value], valid_from=None, valid_to=LEGACY_VALID_TO,
        )
    up.flush(list(old_provinces.values()))
    for unit in old_provinces.values():
        if unit.province_id != unit.pk:
            unit.province = unit
            unit._dirty = True
    up.flush(list(old_provinces.values()))

    old_districts = {}
    for d in legacy.District.iter_all():
        prov = old_provinces[d.province_code.value]
        old_districts[d.code.value] = up.upsert(
            level=Level.DISTRICT, code=unit_code(Level.DISTRICT, d.code.value), name=d.name,
            kind=_KIND_BY_DIVISION_TYPE[d.division_type.value], valid_from=None, valid_to=LEGACY_VALID_TO,
            parent=prov, province=prov,
        )
    up.flush(list(old_districts.values()))

    old_communes = {}
    for w in legacy.Ward.iter_all():
        district = old_districts[w.district_code.value]
        old_communes[w.code.value] = up.upsert(
            level=Level.COMMUNE, code=unit_code(Level.COMMUNE, w.code.value), name=w.name,
            kind=_KIND_BY_DIVISION_TYPE[w.division_type.value], valid_from=None, valid_to=LEGACY_VALID_TO,
            parent=district, province=district.province,
        )
    up.flush(list(old_communes.values()))

    # Lineage, from codes only (the package's name searches are fuzzy and never used here).
    links = set()
    old_to_new_province = {}
    for p in Province.iter_all():
        for source in p.get_legacy_sources():
            links.add((old_provinces[source.code.value].pk, provinces[p.code.value].pk))
            old_to_new_province[source.code.value] = provinces[p.code.value]
    for w in Ward.iter_all():
        for source in w.get_legacy_sources():
            old = old_communes.get(source.code.value)
            if old is not None:
                links.add((old.pk, communes[w.code.value].pk))
    existing = set(UnitLineage.objects.values_list("old_id", "new_id"))
    missing = [UnitLineage(old_id=o, new_id=n, effective_on=REFORM_DATE) for o, n in links - existing]
    UnitLineage.objects.bulk_create(missing, batch_size=2000)

    # Roll-up target: every unit's current province.
    changed = []
    for unit in provinces.values():
        if unit.current_province_id != unit.pk:
            unit.current_province_id = unit.pk
            changed.append(unit)
    for unit in communes.values():
        if unit.current_province_id != unit.province_id:
            unit.current_province_id = unit.province_id
            changed.append(unit)
    legacy_target = {code: old_to_new_province.get(code) for code in old_provinces}
    by_old_province_pk = {old_provinces[c].pk: t.pk for c, t in legacy_target.items() if t is not None}
    for unit in list(old_provinces.values()) + list(old_districts.values()) + list(old_communes.values()):
        target = by_old_province_pk.get(unit.province_id)
        if unit.current_province_id != target:
            unit.current_province_id = target
            changed.append(unit)
    AdministrativeUnit.objects.bulk_update(changed, ["current_province"], batch_size=2000)

    return LoadSummary(created=up.created, updated=up.updated, lineage_created=len(missing))
