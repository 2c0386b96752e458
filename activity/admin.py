from django.contrib import admin

from .models import ActivityLog, Effect, OutboxMessage


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "verb", "target_repr"]
    list_filter = ["verb"]
    search_fields = ["target_repr", "message"]
    list_select_related = ["actor"]
    readonly_fields = [f.name for f in ActivityLog._meta.fields]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "email", "status", "attempts"]
    list_filter = ["status", "event"]
    search_fields = ["email", "subject"]


@admin.register(Effect)
class EffectAdmin(admin.ModelAdmin):
    """Read-only: effects are written by services and tasks; the sweep retries them."""

    list_display = ["created_at", "task", "kwargs", "status", "attempts", "dispatched_at", "done_at"]
    list_filter = ["status", "task"]
    search_fields = ["key", "last_error"]
    readonly_fields = [f.name for f in Effect._meta.fields]

    def has_add_permission(self, request):
        return False
