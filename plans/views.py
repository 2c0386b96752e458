"""Plan pages: the list, create / edit (the plan with formsets of stages, targets, budget and entered actuals),
the detail with its progress and budget, the records behind one actual, and status changes (confirmed)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from activity.selectors import activity_for
from units.models import AdministrativeUnit

from . import rules, selectors, services
from .enums import PLAN_TRANSITIONS, PlanStatus
from .forms import (
    CommunityOrganisationForm, NewRuralRecognitionForm, PlanForm, ShowroomForm, TrainingForm, TransitionForm,
    plan_formsets,
)
from .indicators import all_indicators
from .models import CommunityOrganisation, NewRuralRecognition, Plan, Showroom, Training


def _plan_or_404(user, pk) -> Plan:
    return get_object_or_404(selectors.plans_visible_to(user), pk=pk)


@login_required
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
        "budget": selectors.budget_summary(plan), "stages": list(plan.stages.all()),
        "may_edit": request.user.has_perm("plans.change_plan", plan),
        "next_states": [PlanStatus(s) for s in sorted(PLAN_TRANSITIONS[PlanStatus(plan.status)])],
        "history": activity_for(plan),
        "may_export": request.user.has_perm("reports.run_report"),
    })


@login_required
def indicator_list_view(request):
    """The indicator catalogue with each indicator's definition: what is counted, by which date, how it rolls up."""
    if not rules.may_read_plans(request.user):
        raise Http404
    return render(request, "plans/indicator_list.html", {"indicators": all_indicators()})


@login_required
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


@login_required
def showroom_list_view(request):
    if not rules.may_read_plans(request.user):
        raise Http404
    showrooms = list(selectors.showrooms_visible_to(request.user).order_by("-opened_on", "name", "pk"))
    for showroom in showrooms:
        showroom.commune_label = selectors.unit_label(showroom.commune)
    return render(request, "plans/showroom_list.html", {
        "showrooms": showrooms, "may_create": request.user.has_perm("plans.add_plan")})


@login_required
@require_http_methods(["GET", "POST"])
def showroom_edit_view(request, pk=None):
    if not request.user.has_perm("plans.add_plan"):
        raise Http404
    showroom = Showroom() if pk is None else get_object_or_404(selectors.showrooms_visible_to(request.user), pk=pk)
    form = ShowroomForm(request.POST if request.method == "POST" else None, instance=showroom, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.showroom_record(showroom=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu điểm giới thiệu, bán sản phẩm."))
            return redirect("plans:showroom_list")
    return render(request, "plans/showroom_form.html", {"form": form, "showroom": showroom},
                  status=400 if request.method == "POST" else 200)


@login_required
def training_list_view(request):
    if not rules.may_read_plans(request.user):
        raise Http404
    trainings = list(selectors.trainings_visible_to(request.user).order_by("-held_on", "title", "pk"))
    for training in trainings:
        training.commune_label = selectors.unit_label(training.commune)
    return render(request, "plans/training_list.html", {
        "trainings": trainings, "may_create": request.user.has_perm("plans.add_plan")})


@login_required
@require_http_methods(["GET", "POST"])
def training_edit_view(request, pk=None):
    if not request.user.has_perm("plans.add_plan"):
        raise Http404
    training = Training() if pk is None else get_object_or_404(selectors.trainings_visible_to(request.user), pk=pk)
    form = TrainingForm(request.POST if request.method == "POST" else None, instance=training, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_record(training=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu lớp tập huấn."))
            return redirect("plans:training_list")
    return render(request, "plans/training_form.html", {"form": form, "training": training},
                  status=400 if request.method == "POST" else 200)


@login_required
def community_organisation_list_view(request):
    if not rules.may_read_plans(request.user):
        raise Http404
    organisations = list(selectors.community_organisations_visible_to(request.user).order_by("-happened_on", "name", "pk"))
    for organisation in organisations:
        organisation.commune_label = selectors.unit_label(organisation.commune)
    return render(request, "plans/community_organisation_list.html", {
        "organisations": organisations, "may_create": request.user.has_perm("plans.add_plan")})


@login_required
@require_http_methods(["GET", "POST"])
def community_organisation_edit_view(request, pk=None):
    if not request.user.has_perm("plans.add_plan"):
        raise Http404
    organisation = CommunityOrganisation() if pk is None else get_object_or_404(
        selectors.community_organisations_visible_to(request.user), pk=pk)
    form = CommunityOrganisationForm(request.POST if request.method == "POST" else None, instance=organisation,
                                     user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.community_organisation_record(organisation=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu tổ chức kinh tế cộng đồng."))
            return redirect("plans:community_organisation_list")
    return render(request, "plans/community_organisation_form.html", {"form": form, "organisation": organisation},
                  status=400 if request.method == "POST" else 200)


@login_required
def new_rural_list_view(request):
    if not rules.may_read_plans(request.user):
        raise Http404
    recognitions = list(selectors.new_rural_recognitions_visible_to(request.user).order_by("-year", "level", "pk"))
    for recognition in recognitions:
        recognition.commune_label = selectors.unit_label(recognition.commune)
    return render(request, "plans/new_rural_list.html", {
        "recognitions": recognitions, "may_create": request.user.has_perm("plans.add_plan")})


@login_required
@require_http_methods(["GET", "POST"])
def new_rural_edit_view(request, pk=None):
    if not request.user.has_perm("plans.add_plan"):
        raise Http404
    recognition = NewRuralRecognition() if pk is None else get_object_or_404(
        selectors.new_rural_recognitions_visible_to(request.user), pk=pk)
    form = NewRuralRecognitionForm(request.POST if request.method == "POST" else None, instance=recognition,
                                   user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.new_rural_recognition_record(recognition=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu xã đạt chuẩn nông thôn mới."))
            return redirect("plans:new_rural_list")
    return render(request, "plans/new_rural_form.html", {"form": form, "recognition": recognition},
                  status=400 if request.method == "POST" else 200)
