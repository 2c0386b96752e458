from django.db.models import Q

from .enums import Level
from .models import AdministrativeUnit


def unit_predecessor_ids(unit: AdministrativeUnit) -> list[int]:
    """Pre-reform units whose area now lies (wholly or partly) in `unit`."""
    return list(unit.predecessor_links.values_list("old_id", flat=True))


def current_provinces():
    return AdministrativeUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by("name")


def communes_of(province: AdministrativeUnit):
    return AdministrativeUnit.objects.filter(level=Level.COMMUNE, province=province).order_by("name")


def unit_valid_on(unit: AdministrativeUnit, day) -> bool:
    """Whether the unit existed on `day` (pre-reform units have no start date; current ones no end)."""
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or day <= unit.valid_to)


def _own_communes(unit: AdministrativeUnit):
    """The communes that lay inside `unit` in the unit's own era (itself for a commune)."""
    communes = AdministrativeUnit.objects.filter(level=Level.COMMUNE)
    if unit.level == Level.COMMUNE:
        return communes.filter(pk=unit.pk)
    if unit.level == Level.DISTRICT:
        return communes.filter(parent=unit)
    if unit.is_current:  # a current province: everything whose area is in it now, old communes included
        return communes.filter(current_province=unit)
    return communes.filter(province=unit)


def area_communes(unit: AdministrativeUnit):
    """Communes, pre-reform and current, whose records count for `unit`, across the 1 July 2025 reform both ways.

    A pre-reform province, district or commune counts its own old communes and the current communes that
    descend from them (records made there after the reform); a current commune counts itself and the old
    communes it was formed from; a current province counts every unit now inside it. Returned as a queryset
    of primary keys, to be used as a subquery (`commune__in=area_communes(unit)`): no query of its own.
    """
    own = _own_communes(unit)
    if unit.level == Level.PROVINCE and unit.is_current:
        return own.values("pk")
    if unit.is_current:  # a current commune and its predecessors
        linked = AdministrativeUnit.objects.filter(successor_links__new=unit)
    else:  # an old unit's communes and their successors
        linked = AdministrativeUnit.objects.filter(predecessor_links__old__in=own.values("pk"))
    return AdministrativeUnit.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=linked.values("pk"))).values("pk")


def shared_successors(unit: AdministrativeUnit) -> int:
    """How many current communes counted for a pre-reform `unit` were also formed from old communes outside it
    (their post-reform records count in full for `unit`: reports say so). 0 for a current unit. One query."""
    if unit.is_current:
        return 0
    own = _own_communes(unit).values("pk")
    from .models import UnitLineage

    return (UnitLineage.objects.filter(new__in=UnitLineage.objects.filter(old__in=own).values("new"))
            .exclude(old__in=own).values("new").distinct().count())
