from django.contrib import admin

from activity.admin import ActivityLoggedAdmin, TransitionManagedAdmin

from .models import (
    AuthorityRule, Council, LegalDocument, Membership, Result, Round, Rubric,
)


@admin.register(LegalDocument)
class LegalDocumentAdmin(ActivityLoggedAdmin):
    list_display = ["number", "date", "effective_from", "effective_to", "part_a_max", "part_b_max", "part_c_max"]


@admin.register(AuthorityRule)
class AuthorityRuleAdmin(ActivityLoggedAdmin):
    list_display = ["legal_basis", "star", "level", "effective_from", "effective_to"]


@admin.register(Rubric)
class RubricAdmin(ActivityLoggedAdmin):
    list_display = ["product_set", "legal_document"]
    list_filter = ["legal_document"]


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Council)
class CouncilAdmin(ActivityLoggedAdmin):
    list_display = ["name", "kind", "level", "province"]
    inlines = [MembershipInline]


@admin.register(Round)
class RoundAdmin(TransitionManagedAdmin):
    list_display = ["__str__", "province", "phase", "opens_on", "closes_on"]
    readonly_fields = ["phase", "closed_at", "minutes_pdf", "legal_document", "authority_basis"]
    state_fields = ("phase", "closed_at")


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    """Frozen when the round closes: read-only, never added or deleted here."""

    list_display = ["dossier", "round", "mean", "final_star", "frozen_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
