"""Reads of imports: the batches a user may see, a batch's rows by verdict, the provinces a user imports into."""
from django.db.models import QuerySet

from accounts.enums import Role
from accounts.selectors import user_provinces, user_scope

from .models import ImportBatch, ImportRow


def batches_visible_to(user) -> QuerySet:
    scope = user_scope(user)
    qs = ImportBatch.objects.select_related("province", "created_by", "applied_by")
    if scope.is_admin:
        return qs
    return qs.filter(province__in=scope.unit_ids(Role.PROVINCE_STAFF))


def import_provinces(user) -> QuerySet:
    return user_provinces(user, Role.PROVINCE_STAFF).order_by("name")


def batch_rows(batch: ImportBatch, *, status: str = "") -> QuerySet:
    qs = ImportRow.objects.filter(batch=batch).order_by("sheet", "line")
    return qs.filter(status=status) if status else qs


SUGGESTIONS = 15


def suggestions(user, *, kind: str, query: str) -> list[str]:
    """Up to 15 values to offer in a search box; every folded word typed must appear. Two queries at most."""
    from ocop_portal.text import fold, matching
    from registrations.models import Producer, ProductSet
    from units.models import AdministrativeUnit

    words = fold(query).split()
    if not words:
        return []
    provinces = list(import_provinces(user).values_list("pk", flat=True))
    if kind == "producer":
        qs = matching(Producer.objects.filter(commune__current_province__in=provinces), query)
        return [f"{name} — {tax}" for name, tax in qs.order_by("name").values_list("name", "tax_code")[:SUGGESTIONS]]
    if kind == "product_set":
        sets = ProductSet.objects.order_by("-classification", "number").values_list("name", "code")
        return [name for name, code in sets if all(w in fold(f"{name} {code}") for w in words)][:SUGGESTIONS]
    if kind not in ("commune", "issuer"):
        return []
    levels = ["commune"] if kind == "commune" else ["district", "province"]
    units = (AdministrativeUnit.objects.filter(current_province__in=provinces, level__in=levels)
             .select_related("parent", "province").order_by("valid_to", "name"))
    out = []
    for unit in units.iterator():
        parts = [unit.name]
        if unit.parent_id and unit.parent.level == "district":
            parts.append(unit.parent.name)
        if unit.province_id and unit.province_id != unit.pk:
            parts.append(unit.province.name)
        label = ", ".join(parts)
        if all(w in fold(label) for w in words):
            out.append(label)
            if len(out) == SUGGESTIONS:
                break
    return out
