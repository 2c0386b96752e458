from django.contrib import admin

from activity.admin import ActivityLoggedAdmin

from .models import (
    BudgetLine, CommunityOrganisation, ManualActual, NewRuralRecognition, Plan, Showroom, Stage, Target, Training,
)


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    raw_id_fields = ["unit"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class ManualActualInline(admin.TabularInline):
    model = ManualActual
    extra = 0
    raw_id_fields = ["unit", "entered_by"]


@admin.register(Plan)
class PlanAdmin(ActivityLoggedAdmin):
    list_display = ["title", "document_number", "issuing_unit", "year_from", "year_to", "status"]
    list_filter = ["status", "year_from"]
    search_fields = ["title", "document_number"]
    raw_id_fields = ["issuing_unit", "replaced_by"]
    readonly_fields = ["status"]  # moves only through plans' transition service (the activity log records it)
    inlines = [StageInline, TargetInline, BudgetLineInline, ManualActualInline]


@admin.register(Showroom)
class ShowroomAdmin(ActivityLoggedAdmin):
    list_display = ["name", "commune", "owner_name", "opened_on", "closed_on"]
    search_fields = ["name", "owner_name"]
    raw_id_fields = ["commune", "owner"]


@admin.register(Training)
class TrainingAdmin(ActivityLoggedAdmin):
    list_display = ["title", "commune", "held_on", "participants", "managers"]
    search_fields = ["title", "organiser"]
    raw_id_fields = ["commune"]


@admin.register(CommunityOrganisation)
class CommunityOrganisationAdmin(ActivityLoggedAdmin):
    list_display = ["name", "commune", "kind", "happened_on"]
    search_fields = ["name"]
    raw_id_fields = ["commune"]


@admin.register(NewRuralRecognition)
class NewRuralRecognitionAdmin(ActivityLoggedAdmin):
    list_display = ["commune", "level", "year", "decision_number"]
    list_filter = ["level", "year"]
    raw_id_fields = ["commune"]
