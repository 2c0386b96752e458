from django.contrib import admin

from .models import AdministrativeUnit, UnitLineage


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "province", "valid_from", "valid_to"]
    list_filter = ["level", "kind", "valid_to"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "province", "current_province"]
    list_select_related = ["province"]


@admin.register(UnitLineage)
class UnitLineageAdmin(admin.ModelAdmin):
    list_display = ["old", "new", "effective_on"]
    raw_id_fields = ["old", "new"]
    search_fields = ["old__name", "new__name", "old__code", "new__code"]
    list_select_related = ["old", "new"]
