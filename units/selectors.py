from .enums import Level
from .models import AdministrativeUnit


def unit_predecessor_ids(unit: AdministrativeUnit) -> list[int]:
    """Pre-reform units whose area now lies (wholly or partly) in `unit`."""
    return list(unit.predecessor_links.values_list("old_id", flat=True))


def current_provinces():
    return AdministrativeUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by("name")


def communes_of(province: AdministrativeUnit):
    return AdministrativeUnit.objects.filter(level=Level.COMMUNE, province=province).order_by("name")
