from django.contrib import admin

from .models import (
    AuthorityRule, Council, LegalDocument, Membership, Result, Round, Rubric,
)


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "date", "effective_from", "effective_to", "part_a_max", "part_b_max", "part_c_max"]


@admin.register(AuthorityRule)
class AuthorityRuleAdmin(admin.ModelAdmin):
    list_display = ["legal_basis", "star", "level", "effective_from", "effective_to"]


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["product_set", "legal_document"]
    list_filter = ["legal_document"]


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "province"]
    inlines = [MembershipInline]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "province", "phase", "opens_on", "closes_on"]
    readonly_fields = ["phase", "closed_at", "minutes_pdf", "legal_document", "authority_basis"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["dossier", "round", "mean", "final_star", "frozen_at"]

    def has_change_permission(self, request, obj=None):
        return False
