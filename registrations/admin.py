from django.contrib import admin

from activity.admin import ActivityLoggedAdmin, TransitionManagedAdmin
from ocop_portal.text import FoldedSearchAdminMixin

from .models import (
    BusinessPlan,
    CommuneAssessment,
    Dossier,
    DossierRevision,
    EvidenceFile,
    Holiday,
    Producer,
    ProductGroup,
    ProductIdea,
    ProductSet,
    RegistrationCounter,
)


@admin.register(Producer)
class ProducerAdmin(FoldedSearchAdminMixin, ActivityLoggedAdmin):
    list_display = ["name", "kind", "tax_code", "commune"]
    list_filter = ["kind"]
    search_fields = ["name", "tax_code"]
    raw_id_fields = ["commune"]
    filter_horizontal = ["accounts"]


@admin.register(Dossier)
class DossierAdmin(FoldedSearchAdminMixin, TransitionManagedAdmin):
    """Read-mostly: the status moves only through the transition service (the pages)."""

    folded_search = ("search_text", "producer__search_text")

    state_fields = ("status", "returned_from")

    list_display = ["product_name", "producer", "commune", "kind", "status", "registration_number", "commune_due_on"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["product_name", "producer__name", "producer__tax_code", "registration_number"]
    raw_id_fields = ["producer", "commune", "product_set"]
    readonly_fields = ["status", "returned_from", "revision_number", "registration_number", "commune_receipt_number",
                       "received_on", "commune_due_on", "forwarded_at", "accepted_at"]


@admin.register(Holiday)
class HolidayAdmin(ActivityLoggedAdmin):
    list_display = ["date", "name", "is_day_off"]
    list_filter = ["is_day_off"]
    date_hierarchy = "date"


@admin.register(ProductIdea, BusinessPlan)
class SupportStepAdmin(TransitionManagedAdmin):
    """The status moves only through services.support_step_transition (issue 8, item 10)."""


admin.site.register([ProductGroup, ProductSet, DossierRevision, EvidenceFile, CommuneAssessment, RegistrationCounter],
                    ActivityLoggedAdmin)
