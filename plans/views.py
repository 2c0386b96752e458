"""Plan pages: the list, create / edit (the plan with formsets of stages, targets, budget and entered actuals),
the detail with its progress and budget, the records behind one actual, and status changes (confirmed)."""
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from activity.selectors import activity_for
from units.models import AdministrativeUnit

from ocop_portal.pagecache import cached_page

from . import rules, selectors, services
from .enums import PLAN_TRANSITIONS, PlanStatus
from .forms import (
    CommunityOrganisationForm, NewRuralRecognitionForm, PlanForm, ShowroomForm, TrainingForm, TransitionForm,
    plan_formsets,
)
from .indicators import all_indicators
from .models import Plan


def _plan_or_404(user, pk) -> Plan:
    return get_object_or_404(selectors.plans_visible_to(user), pk=pk)


@login_required
@cached_page
def plan_list_view(request):
    if not rules.may_read_plans(request.user):
        raise Http404
    plans = selectors.plans_visible_to(request.user).order_by("-year_from", "title", "pk")
    for plan in plans:
        plan.unit_label = selectors.unit_label(plan.issuing_unit)
    return render(request, "plans/plan_list.html", {
        "plans": plans, "may_create": request.user.has_perm("plans.add_plan")})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit_view(request, pk=None):
    if pk is None:
        if not request.user.has_perm("plans.add_plan"):
            raise Http404
        plan = Plan()
    else:
        plan = _plan_or_404(request.user, pk)
        if not request.user.has_perm("plans.change_plan", plan):
            raise Http404
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, instance=plan, user=request.user)
    formsets = plan_formsets(data, plan=plan)
    if request.method == "POST":
        valid = form.is_valid()
        valid = all([fs.is_valid() for fs in formsets.values()]) and valid
        if valid and not request.user.has_perm("plans.change_plan", form.instance.issuing_unit):
            form.add_error("issuing_unit", _("Bạn không được lập kế hoạch của đơn vị này."))
            valid = False
        if valid:
            plan = form.save(commit=False)
            rows, deleted = [], []
            for fs in formsets.values():
                rows += fs.save(commit=False)
                deleted += fs.deleted_objects
            for row in rows:
                if hasattr(row, "unit_id") and row.unit_id is None:
                    row.unit = plan.issuing_unit
            try:
                plan = services.plan_save(plan=plan, rows=rows, deleted=deleted, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã lưu kế hoạch."))
                return redirect(plan)
    return render(request, "plans/plan_form.html", {"plan": plan, "form": form, "formsets": formsets},
                  status=400 if request.method == "POST" else 200)


@login_required
@cached_page
def plan_detail_view(request, pk):
    plan = _plan_or_404(request.user, pk)
    progress = selectors.plan_progress(plan)
    rows = []
    for cell in progress.cells:
        if cell.target is None and cell.manual is None and cell.period.key != selectors.WHOLE:
            continue
        rows.append({"cell": cell, "unit_label": selectors.unit_label(cell.unit)})
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "unit_label": selectors.unit_label(plan.issuing_unit), "rows": rows, "notes": progress.notes,
        "budget": selectors.budget_summary(plan, periods=progress.periods), "stages": list(plan.stages.all()),
        "may_edit": request.user.has_perm("plans.change_plan", plan),
        "next_states": [PlanStatus(s) for s in sorted(PLAN_TRANSITIONS[PlanStatus(plan.status)])],
        "history": activity_for(plan),
        "may_export": request.user.has_perm("reports.run_report"),
    })


@login_required
@cached_page
def indicator_list_view(request):
    """The indicator catalogue with each indicator's definition: what is counted, by which date, how it rolls up."""
    if not rules.may_read_plans(request.user):
        raise Http404
    return render(request, "plans/indicator_list.html", {"indicators": all_indicators()})


@login_required
@cached_page
def plan_records_view(request, pk, indicator, unit, period):
    plan = _plan_or_404(request.user, pk)
    # The unit must be one the plan measures (its own or a sub-unit), else the records are none of its business.
    unit_obj = get_object_or_404(AdministrativeUnit.objects.select_related("province"),
                                 pk__in=selectors.plan_subunits(plan.issuing_unit).values("pk"), pk=unit)
    found = selectors.cell_records(plan=plan, indicator_code=indicator, unit=unit_obj, period_key_=period)
    if found is None:
        raise Http404
    return render(request, "plans/plan_records.html", {"plan": plan, "unit_label": selectors.unit_label(unit_obj),
                                                       **found})


@login_required
@require_http_methods(["GET", "POST"])
def plan_transition_view(request, pk, to):
    plan = _plan_or_404(request.user, pk)
    if not request.user.has_perm("plans.change_plan", plan) or to not in PlanStatus.values:
        raise Http404
    others = selectors.plans_visible_to(request.user).exclude(pk=plan.pk).order_by("-year_from", "title")
    form = TransitionForm(request.POST if request.method == "POST" else None, plans=others)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_transition(plan=plan, to=to, by=request.user, replaced_by=form.cleaned_data["replaced_by"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã chuyển kế hoạch sang “%(s)s”.") % {"s": PlanStatus(to).label})
        return redirect(plan)
    return render(request, "plans/plan_transition.html", {"plan": plan, "to": PlanStatus(to), "form": form})


@dataclass(frozen=True)
class RecordKind:
    """A kind of record a plan's indicators count (showrooms, trainings, …): its list and its edit form share one
    pair of views; the kinds differ only in these parts."""

    name: str  # URL names plans:<name>_list / _create / _edit, templates plans/<name>_list.html / _form.html
    visible: Callable  # user -> queryset
    order: tuple
    form: type
    record: Callable  # (instance, by) -> saved instance, through the app's service
    plural: str  # the list's context name
    singular: str  # the form's context name
    saved: str  # the message after saving


KINDS = {kind.name: kind for kind in (
    RecordKind("showroom", selectors.showrooms_visible_to, ("-opened_on", "name", "pk"), ShowroomForm,
               lambda obj, by: services.showroom_record(showroom=obj, by=by), "showrooms", "showroom",
               gettext_lazy("Đã lưu điểm giới thiệu, bán sản phẩm.")),
    RecordKind("training", selectors.trainings_visible_to, ("-held_on", "title", "pk"), TrainingForm,
               lambda obj, by: services.training_record(training=obj, by=by), "trainings", "training",
               gettext_lazy("Đã lưu lớp tập huấn.")),
    RecordKind("community_organisation", selectors.community_organisations_visible_to, ("-happened_on", "name", "pk"),
               CommunityOrganisationForm,
               lambda obj, by: services.community_organisation_record(organisation=obj, by=by), "organisations",
               "organisation", gettext_lazy("Đã lưu tổ chức kinh tế cộng đồng.")),
    RecordKind("new_rural", selectors.new_rural_recognitions_visible_to, ("-year", "level", "pk"),
               NewRuralRecognitionForm,
               lambda obj, by: services.new_rural_recognition_record(recognition=obj, by=by), "recognitions",
               "recognition", gettext_lazy("Đã lưu xã đạt chuẩn nông thôn mới.")),
)}


@login_required
@cached_page
def record_list_view(request, kind):
    kind = KINDS[kind]
    if not rules.may_read_plans(request.user):
        raise Http404
    records = list(kind.visible(request.user).order_by(*kind.order))
    for record in records:
        record.commune_label = selectors.unit_label(record.commune)
    return render(request, f"plans/{kind.name}_list.html", {
        kind.plural: records, "may_create": request.user.has_perm("plans.add_plan")})


@login_required
@require_http_methods(["GET", "POST"])
def record_edit_view(request, kind, pk=None):
    kind = KINDS[kind]
    if not request.user.has_perm("plans.add_plan"):
        raise Http404
    record = kind.form._meta.model() if pk is None else get_object_or_404(kind.visible(request.user), pk=pk)
    form = kind.form(request.POST if request.method == "POST" else None, instance=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            kind.record(form.save(commit=False), request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, kind.saved)
            return redirect(f"plans:{kind.name}_list")
    return render(request, f"plans/{kind.name}_form.html", {"form": form, kind.singular: record},
                  status=400 if request.method == "POST" else 200)
