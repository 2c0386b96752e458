from django.contrib import admin

from activity.admin import ActivityLoggedAdmin

from .models import BudgetLine, Plan, ReportRun, Subscription, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(Plan)
class PlanAdmin(ActivityLoggedAdmin):
    list_display = ["title", "province", "year", "legal_reference"]
    list_filter = ["year", "province"]
    search_fields = ["title", "legal_reference"]
    autocomplete_fields = []
    raw_id_fields = ["province"]
    inlines = [TargetInline, BudgetLineInline]


@admin.register(ReportRun)
class ReportRunAdmin(ActivityLoggedAdmin):
    list_display = ["pk", "code", "province", "format", "status", "row_count", "requested_by", "created_at"]
    list_filter = ["status", "format", "code"]
    raw_id_fields = ["province", "requested_by"]
    readonly_fields = ["fingerprint", "data_version", "data_as_of", "created_at", "started_at", "finished_at"]


@admin.register(Subscription)
class SubscriptionAdmin(ActivityLoggedAdmin):
    list_display = ["user", "code", "province", "frequency", "format", "active", "last_period"]
    raw_id_fields = ["user", "province"]
