from django.contrib import admin

from activity.admin import ActivityLoggedAdmin

from .models import ReportRun, Subscription


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
