"""Blocks evaluations adds to registrations' dossier page: the producer's self-assessment (Form 02 Part III)
and the frozen results of the rounds the dossier went through."""
from django.urls import reverse
from django.utils.translation import gettext as _

from registrations.confidential import CONFIDENTIAL_STATES
from registrations.panels import Panel


def self_assessment_panel(request, dossier):
    from .models import Result, SelfAssessment

    assessment = SelfAssessment.objects.filter(dossier=dossier).order_by("-revision__number").first()
    # The council's results only for those who may see them: producers and communes after the decision.
    results, pending = [], False
    if not request.user.has_perm("evaluations.view_result", dossier):
        pending = dossier.status in CONFIDENTIAL_STATES
    else:
        results = list(Result.objects.filter(dossier=dossier).select_related("round", "authority").order_by("frozen_at"))
    return Panel(
        title=_("Tự đánh giá và kết quả phân hạng"), template="evaluations/_dossier_panel.html", order=40,
        context={
            "assessment": assessment, "results": results, "pending": pending,
            "url": reverse("evaluations:self_assessment", args=[dossier.pk]),
            "pdf_url": reverse("evaluations:self_assessment_pdf", args=[dossier.pk]),
            "can_edit": request.user.has_perm("registrations.change_dossier", dossier),
        },
    )
