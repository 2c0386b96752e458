from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organisation, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ["unit", "organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((None, {"fields": ("full_name", "phone")}),)
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    inlines = [RoleAssignmentInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["unit"]
    list_select_related = ["unit"]
