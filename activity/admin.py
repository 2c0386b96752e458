from django.contrib import admin

from .models import ActivityLog, OutboxMessage


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
