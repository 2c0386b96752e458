"""Pages of the registrations app. A record the user may not see is a 404, never a 403."""
import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.selectors import unit_in_scope
from accounts.drafts import autosave_response, draft_initial, form_draft_discard, form_draft_of, is_autosave, saved_message
from activity.selectors import activity_for
from ocop_portal.documents import document_response
from ocop_portal.uploads import (
    handles_oversized_uploads,
    oversized_upload_message,
    oversized_uploads,
    redirect_after_upload,
    stored_file_response,
)

from ocop_portal.pagecache import cached_page

from . import documents, panels
from .confidential import label_statuses
from .enums import (
    BUSINESS_PLAN_TRANSITIONS,
    DOSSIER_TRANSITIONS,
    EDITABLE_STATES,
    IDEA_TRANSITIONS,
    REQUIRED_EVIDENCE,
    BusinessPlanStatus,
    DossierStatus,
    EvidenceKind,
    IdeaStatus,
)
from .forms import (
    BusinessPlanForm,
    CommuneAssessmentForm,
    DossierCreateForm,
    DossierForm,
    EvidenceUploadForm,
    ProducerAccountForm,
    ProducerForm,
    ProductIdeaForm,
    SupportStepStatusForm,
    TransitionForm,
)
from .models import CommuneAssessment, ProductIdea
from .rules import can_assess_dossier, can_change_producer, can_edit_dossier, may_move_support_step, may_transition
from .selectors import (
    assessments_of,
    business_plan_visible_to,
    dossier_detail_queryset,
    dossier_history,
    dossier_list,
    dossier_page_queryset,
    dossier_rows,
    evidence_visible_to,
    producer_list,
    producer_rows,
    producer_visible_to,
    product_idea_visible_to,
    revision_diff,
    revisions_of,
    support_step_counts,
)
from .services import (
    DossierIncomplete,
    TransitionNotAllowed,
    business_plan_save,
    commune_assessment_record,
    current_revision,
    dossier_create,
    dossier_missing_items,
    dossier_transition,
    dossier_update,
    evidence_delete,
    evidence_upload,
    producer_account_link,
    producer_create,
    producer_update,
    product_idea_save,
    support_step_transition,
)

PAGE_SIZE = 50

# The buttons offered for each target state (evaluation states are moved by the evaluations app).
ACTION_LABELS = {
    DossierStatus.SUBMITTED: _("Nộp hồ sơ"),
    DossierStatus.COMMUNE_REVIEW: _("Tiếp nhận hồ sơ"),
    DossierStatus.FORWARDED: _("Chuyển lên tỉnh"),
    DossierStatus.INTAKE: _("Kiểm tra hồ sơ"),
    DossierStatus.ACCEPTED: _("Hồ sơ đầy đủ, hợp lệ"),
    DossierStatus.RETURNED: _("Trả lại để hoàn thiện"),
    DossierStatus.WITHDRAWN: _("Rút hồ sơ"),
}


# Steps that cannot be taken back by the one who takes them ask first, saying what will happen.
CONFIRM_FIRST = {
    DossierStatus.WITHDRAWN: {
        "title": _("Rút hồ sơ?"),
        "consequences": [
            _("Hồ sơ dừng mọi bước xử lý; chủ thể và cán bộ xã không sửa, không nộp tiếp được."),
            _("Chủ thể và cán bộ xã được thông báo kèm lý do rút."),
            _("Chỉ cán bộ tỉnh khôi phục được hồ sơ rút nhầm."),
        ],
        "confirm": _("Xác nhận rút hồ sơ"),
        "note_label": _("Lý do rút hồ sơ (bắt buộc)"),
        "note_required": True,
    },
    DossierStatus.FORWARDED: {
        "title": _("Chuyển hồ sơ lên tỉnh?"),
        "consequences": [
            _("Hồ sơ cùng báo cáo Mẫu 03 được chuyển lên tỉnh và được cấp số phiếu đăng ký."),
            _("Xã và chủ thể không sửa được hồ sơ nữa, trừ khi tỉnh trả lại để hoàn thiện."),
            _("Cán bộ tỉnh và chủ thể được thông báo."),
        ],
        "confirm": _("Xác nhận chuyển lên tỉnh"),
        "note_label": _("Ghi chú"),
        "note_required": False,
    },
}
RESTORE = {
    "title": _("Khôi phục hồ sơ đã rút?"),
    "consequences": [
        _("Hồ sơ trở lại trạng thái trước khi rút; số tiếp nhận, số phiếu đăng ký, các hạn và phiên bản giữ nguyên."),
        _("Chủ thể và cán bộ xã được thông báo kèm lý do khôi phục."),
    ],
    "confirm": _("Xác nhận khôi phục hồ sơ"),
    "note_label": _("Lý do khôi phục (bắt buộc)"),
    "note_required": True,
}


def _messages_of(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- producers ----------------------------------------------------------------------------------------------
@login_required
@cached_page
def producer_list_view(request):
    producers, filterset = producer_list(user=request.user, filters=request.GET)
    page, query = _page(request, producers)
    return render(request, "registrations/producer_list.html", {
        "page": page, "rows": producer_rows(page.object_list), "filter": filterset, "query": query,
    })


@login_required
def producer_create_view(request):
    if not request.user.has_perm("registrations.add_producer"):
        raise Http404
    form = ProducerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            producer = producer_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu chủ thể %(name)s.") % {"name": producer.name})
            return redirect(producer)
    return render(request, "registrations/producer_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@cached_page
def producer_detail_view(request, pk):
    producer = get_object_or_404(producer_visible_to(request.user).select_related("commune"), pk=pk)
    return render(request, "registrations/producer_detail.html", {
        "producer": producer,
        "dossiers": label_statuses(request.user, producer.dossiers.select_related("product_set").order_by("-created_at")),
        "ideas": producer.ideas.order_by("-year", "title"),
        "plans": producer.business_plans.select_related("idea").order_by("-year", "title"),
        "can_change": can_change_producer.test(request.user, producer),
        "history": activity_for(producer)[:50],
    })


@login_required
def producer_update_view(request, pk):
    producer = get_object_or_404(producer_visible_to(request.user), pk=pk)
    if not can_change_producer.test(request.user, producer):
        raise Http404
    # The form validates a copy: ModelForm writes the posted values onto its instance, and producer_update must
    # see the stored ones to log what changed.
    form = ProducerForm(request.POST or None, instance=copy.copy(producer), user=request.user)
    if request.method == "POST" and form.is_valid():
        producer_update(producer=producer, by=request.user, **form.cleaned_data)
        messages.success(request, _("Đã lưu chủ thể %(name)s.") % {"name": producer.name})
        return redirect(producer)
    return render(request, "registrations/producer_form.html", {"form": form, "producer": producer},
                  status=400 if form.errors else 200)


@login_required
def producer_account_view(request, pk):
    """The commune officer attaches a producer's login, so the producer can prepare its own dossiers."""
    producer = get_object_or_404(producer_visible_to(request.user).select_related("commune"), pk=pk)
    if not (can_change_producer.test(request.user, producer) and request.user.has_perm("registrations.add_producer")):
        raise Http404
    form = ProducerAccountForm(request.POST or None, producer=producer)
    if request.method == "POST" and form.is_valid():
        producer_account_link(producer=producer, user=form.user, by=request.user)
        messages.success(request, _("Đã gắn tài khoản %(username)s với chủ thể.") % {"username": form.user.username})
        return redirect(producer)
    return render(request, "registrations/producer_account.html", {
        "form": form, "producer": producer, "accounts": producer.accounts.order_by("username"),
    }, status=400 if form.errors else 200)


@login_required
def support_step_create_view(request, pk, step, item_pk=None):
    """Create or edit a product idea or a business plan of a producer (optional, commune-led steps)."""
    producer = get_object_or_404(producer_visible_to(request.user), pk=pk)
    if not can_change_producer.test(request.user, producer):
        raise Http404
    related = producer.ideas if step == "idea" else producer.business_plans
    instance = get_object_or_404(related.all(), pk=item_pk) if item_pk else None
    initial = {"year": timezone.localdate().year}
    if step == "idea":
        form = ProductIdeaForm(request.POST or None, instance=instance, initial=initial)
    else:
        form = BusinessPlanForm(request.POST or None, instance=instance, initial=initial, producer=producer)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if step == "idea":
            product_idea_save(by=request.user, idea=instance, producer=producer, commune=producer.commune, **data)
        else:
            business_plan_save(by=request.user, plan=instance, producer=producer, commune=producer.commune, **data)
        messages.success(request, _("Đã lưu."))
        return redirect(producer)
    title = _("Ý tưởng sản phẩm") if step == "idea" else _("Phương án kinh doanh")
    status_form = None
    if instance is not None:
        targets = _support_step_targets(request.user, instance)
        if targets:
            status_form = SupportStepStatusForm(targets=targets)
    return render(request, "registrations/support_step_form.html", {
        "form": form, "producer": producer, "title": title, "item": instance, "status_form": status_form,
        "status_url": reverse(f"registrations:{step}_status", args=[producer.pk, instance.pk]) if instance else "",
    }, status=400 if form.errors else 200)


def _support_step_targets(user, item) -> list[tuple[str, str]]:
    """The statuses `user` may move the idea or plan to from where it stands, as form choices."""
    table = IDEA_TRANSITIONS if step_of(item) == "idea" else BUSINESS_PLAN_TRANSITIONS
    allowed = table.get(item.status, set())
    return [(value, label) for value, label in type(item)._meta.get_field("status").choices
            if value in allowed and may_move_support_step(user, item.producer, value)]


def step_of(item) -> str:
    return "idea" if isinstance(item, ProductIdea) else "plan"


@login_required
@require_POST
def support_step_status_view(request, pk, step, item_pk):
    """Move a product idea or business plan: only through the transition service, never through its form."""
    producer = get_object_or_404(producer_visible_to(request.user), pk=pk)
    related = producer.ideas if step == "idea" else producer.business_plans
    item = get_object_or_404(related.all(), pk=item_pk)
    targets = _support_step_targets(request.user, item)
    if not targets:
        raise Http404
    form = SupportStepStatusForm(request.POST, targets=targets)
    if form.is_valid():
        try:
            support_step_transition(item=item, to=form.cleaned_data["to"], by=request.user,
                                    note=form.cleaned_data["note"])
            messages.success(request, _("Đã chuyển trạng thái."))
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Trạng thái chưa hợp lệ."))
    return redirect(producer)


@login_required
@cached_page
def support_step_list_view(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    counts = support_step_counts(user=request.user, year=year)
    return render(request, "registrations/support_steps.html", {
        "year": year,
        "idea_counts": [(IdeaStatus(k).label, v) for k, v in counts["ideas"].items()],
        "plan_counts": [(BusinessPlanStatus(k).label, v) for k, v in counts["plans"].items()],
        "ideas": product_idea_visible_to(request.user).filter(year=year).select_related("producer", "commune")[:200],
        "plans": business_plan_visible_to(request.user).filter(year=year).select_related("producer", "commune")[:200],
    })


# --- dossiers -----------------------------------------------------------------------------------------------
@login_required
@cached_page
def dossier_list_view(request):
    dossiers, filterset = dossier_list(user=request.user, filters=request.GET)
    page, query = _page(request, dossiers)
    page.object_list = label_statuses(request.user, page.object_list)
    return render(request, "registrations/dossier_list.html", {
        "page": page, "rows": dossier_rows(page.object_list), "filter": filterset, "query": query,
        "today": timezone.localdate(),
    })


@login_required
def dossier_create_view(request):
    if not request.user.has_perm("registrations.add_dossier"):
        raise Http404
    form = DossierCreateForm(request.POST or None, user=request.user, initial={"producer": request.GET.get("producer")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        producer = data.pop("producer")
        try:
            dossier = dossier_create(producer=producer, by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã tạo hồ sơ nháp. Hãy điền phiếu đăng ký và tải minh chứng lên."))
            return redirect("registrations:dossier_edit", pk=dossier.pk)
    return render(request, "registrations/dossier_create.html", {"form": form}, status=400 if form.errors else 200)


def _actions_for(user, dossier) -> list[dict]:
    actions = []
    if dossier.status == DossierStatus.WITHDRAWN:
        return actions  # a withdrawn dossier is only restored (dossier_restore_view)
    for to in sorted(DOSSIER_TRANSITIONS[dossier.status], key=lambda s: list(DossierStatus).index(s)):
        if to not in ACTION_LABELS or not may_transition(user, dossier, to):
            continue
        if dossier.status == DossierStatus.RETURNED:
            if to == DossierStatus.SUBMITTED and dossier.returned_from != DossierStatus.COMMUNE_REVIEW:
                continue
            if to == DossierStatus.FORWARDED and dossier.returned_from != DossierStatus.INTAKE:
                continue
        actions.append({
            "to": to, "label": ACTION_LABELS[to], "needs_note": to in (DossierStatus.RETURNED, DossierStatus.WITHDRAWN),
            # a commune officer entering a paper dossier gives the day it was received
            "paper_receipt": to == DossierStatus.SUBMITTED and unit_in_scope(user, dossier.commune, province_roles=()),
        })
    return actions


@login_required
@cached_page
def dossier_detail_view(request, pk):
    dossier = get_object_or_404(dossier_page_queryset(request.user), pk=pk)
    label_statuses(request.user, [dossier])
    revisions = revisions_of(dossier)
    diffs = []
    for older, newer in zip(revisions, revisions[1:]):
        diffs.append({"old": older, "new": newer, "diff": revision_diff(older, newer)})
    current = revisions[-1] if revisions else None
    return render(request, "registrations/dossier_detail.html", {
        "dossier": dossier,
        "revision": current,
        "revisions": revisions,
        "diffs": list(reversed(diffs)),
        "assessments": assessments_of(dossier),
        "actions": _actions_for(request.user, dossier),
        "can_edit": can_edit_dossier.test(request.user, dossier),
        "can_assess": can_assess_dossier.test(request.user, dossier) and (
            dossier.status in (DossierStatus.SUBMITTED, DossierStatus.COMMUNE_REVIEW)
            or (dossier.status == DossierStatus.RETURNED and dossier.returned_from == DossierStatus.INTAKE)
        ),
        "transition_form": TransitionForm(),
        "can_restore": dossier.status == DossierStatus.WITHDRAWN and bool(dossier.withdrawn_from)
        and may_transition(request.user, dossier, dossier.withdrawn_from),
        "history": dossier_history(dossier, hide_result=not request.user.has_perm("evaluations.view_result", dossier))[:100],
        "panels": panels.panels_for(request, dossier),
    })


def _evidence_checklist(evidence) -> list[dict]:
    """The evidence a submission needs, each with whether a file of that kind is already uploaded."""
    uploaded = {e.kind for e in evidence}
    return [{"kind": kind, "label": EvidenceKind(kind).label, "done": kind in uploaded} for kind in REQUIRED_EVIDENCE]


def _edit_context(dossier, form, upload_form, extra_errors=(), draft=None):
    revision = current_revision(dossier)
    evidence = list(revision.evidence_files.order_by("kind", "uploaded_at", "pk"))
    return {
        "dossier": dossier, "form": form, "upload_form": upload_form, "revision": revision,
        "evidence": evidence, "checklist": _evidence_checklist(evidence), "missing": dossier_missing_items(dossier, evidence=False),
        "submit_errors": list(extra_errors), "draft": draft, "draft_message": saved_message(draft) if draft else "",
        "submit_label": ACTION_LABELS[DossierStatus.FORWARDED if dossier.returned_from == DossierStatus.INTAKE and dossier.status == DossierStatus.RETURNED else DossierStatus.SUBMITTED],
    }


def _dossier_draft_key(dossier) -> str:
    return f"dossier:{dossier.pk}"


def _upload_evidence(request, dossier, upload_form) -> list:
    """Every file of the upload, one by one: a refused file is an error beside the field, the others are kept."""
    for refused in oversized_uploads(request, "evidence_file"):  # skipped while streaming, never stored
        upload_form.add_error("evidence_file", oversized_upload_message(refused))
    if not upload_form.is_valid():
        return []
    saved = []
    for uploaded in upload_form.cleaned_data.get("evidence_file") or []:
        try:
            saved.append(evidence_upload(dossier=dossier, kind=upload_form.cleaned_data["evidence_kind"],
                                         uploaded=uploaded, by=request.user))
        except ValidationError as exc:
            upload_form.add_error("evidence_file", exc)
    return saved


def _uploaded_message(request, saved_files) -> None:
    if saved_files:
        messages.success(request, _("Đã tải lên tệp %(name)s.") % {"name": ", ".join(f.original_name for f in saved_files)})


@handles_oversized_uploads
@login_required
def dossier_edit_view(request, pk):
    """One form for Form 01/02 and the evidence files: every valid part is saved at once, so nothing is lost.
    While the user types, the page's script autosaves a server-side draft (accounts/drafts.py)."""
    dossier = get_object_or_404(dossier_detail_queryset(request.user), pk=pk)
    if not can_edit_dossier.test(request.user, dossier):
        if dossier.status not in EDITABLE_STATES:
            messages.info(request, _("Hồ sơ đã nộp, không còn sửa được."))
            return redirect(dossier)
        raise Http404
    draft_key = _dossier_draft_key(dossier)
    if is_autosave(request):
        return autosave_response(request, draft_key)
    revision = current_revision(dossier)
    if request.method != "POST":
        form = DossierForm(dossier=dossier, revision=revision)
        draft = form_draft_of(request.user, draft_key)
        form.initial.update({k: v for k, v in draft_initial(draft).items() if k in form.fields})
        return render(request, "registrations/dossier_edit.html",
                      _edit_context(dossier, form, EvidenceUploadForm(), draft=draft))

    form = DossierForm(request.POST, dossier=dossier, revision=revision)
    upload_form = EvidenceUploadForm(request.POST, request.FILES)
    saved_files = _upload_evidence(request, dossier, upload_form)
    form.is_valid()
    # Save every valid part, even when another field has an error: a later visit finds what was typed.
    try:
        dossier = dossier_update(dossier=dossier, by=request.user, revision_data=form.revision_data(), **form.dossier_data())
    except ValidationError as exc:
        for field, errors in (exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]):
            form.add_error(field if field in form.fields else None, errors)
    if form.errors or upload_form.errors:
        _uploaded_message(request, saved_files)
        # Keep what was typed: the bound form is shown again; a fresh upload form keeps the chosen kind.
        return render(request, "registrations/dossier_edit.html", _edit_context(dossier, form, upload_form), status=400)
    form_draft_discard(user=request.user, key=draft_key)

    if request.POST.get("action") == "submit":
        to = DossierStatus.FORWARDED if (dossier.status == DossierStatus.RETURNED and dossier.returned_from == DossierStatus.INTAKE) else DossierStatus.SUBMITTED
        try:
            dossier_transition(dossier=dossier, to=to, by=request.user)
        except (DossierIncomplete, TransitionNotAllowed) as exc:
            return render(
                request, "registrations/dossier_edit.html",
                _edit_context(dossier, DossierForm(request.POST, dossier=dossier, revision=current_revision(dossier)),
                              EvidenceUploadForm(), _messages_of(exc)),
                status=400,
            )
        messages.success(request, _("Đã chuyển hồ sơ: %(status)s.") % {"status": dossier.get_status_display()})
        return redirect_after_upload(request, dossier.get_absolute_url())
    if saved_files:
        _uploaded_message(request, saved_files)
    else:
        messages.success(request, _("Đã lưu nháp."))
    return redirect_after_upload(request, reverse("registrations:dossier_edit", kwargs={"pk": dossier.pk}))


@login_required
@require_POST
def evidence_delete_view(request, pk):
    evidence = get_object_or_404(evidence_visible_to(request.user).select_related("revision__dossier"), pk=pk)
    dossier = evidence.revision.dossier
    try:
        evidence_delete(evidence=evidence, by=request.user)
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect(dossier)
    messages.success(request, _("Đã xóa tệp %(name)s.") % {"name": evidence.original_name})
    return redirect("registrations:dossier_edit", pk=dossier.pk)


@login_required
def evidence_download_view(request, pk):
    evidence = get_object_or_404(evidence_visible_to(request.user), pk=pk)
    return stored_file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


@login_required
def dossier_form_01_view(request, pk):
    """Form 01 (Phiếu đăng ký) of the dossier's current revision, as a PDF for printing and signing."""
    dossier = get_object_or_404(dossier_detail_queryset(request.user).select_related("product_set__subgroup"), pk=pk)
    return document_response(folder="mau-01", template="documents/form_01.html",
                             context=documents.form_01_context(dossier, current_revision(dossier)),
                             filename=f"mau-01-{dossier.pk}.pdf")


@login_required
def commune_assessment_pdf_view(request, pk):
    """Form 03 (the commune's report) on the dossier's latest assessed revision."""
    dossier = get_object_or_404(dossier_detail_queryset(request.user), pk=pk)
    assessment = (CommuneAssessment.objects.filter(dossier=dossier).select_related("revision", "assessed_by")
                  .order_by("-revision__number").first())
    if assessment is None:
        raise Http404
    return document_response(folder="mau-03", template="documents/form_03.html",
                             context=documents.form_03_context(dossier, assessment),
                             filename=f"mau-03-{dossier.pk}.pdf")


@login_required
def commune_assessment_view(request, pk):
    dossier = get_object_or_404(dossier_detail_queryset(request.user), pk=pk)
    if not can_assess_dossier.test(request.user, dossier):
        raise Http404
    revision = current_revision(dossier)
    instance = CommuneAssessment.objects.filter(dossier=dossier, revision=revision).first()
    previous = None
    if instance is None:
        previous = CommuneAssessment.objects.filter(dossier=dossier).order_by("-revision__number").first()
    initial = {}
    if previous:
        initial = {name: getattr(previous, name) for name in CommuneAssessmentForm.Meta.fields}
    form = CommuneAssessmentForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            commune_assessment_record(dossier=dossier, by=request.user, **form.cleaned_data)
        except (TransitionNotAllowed, ValidationError) as exc:
            for message in _messages_of(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã lưu báo cáo đánh giá cấp xã (Mẫu 03)."))
            return redirect(dossier)
    return render(request, "registrations/assessment_form.html", {
        "dossier": dossier, "form": form, "revision": revision, "previous": previous,
        "due_on": dossier.commune_due_on,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def dossier_transition_view(request, pk, to):
    dossier = get_object_or_404(dossier_detail_queryset(request.user), pk=pk)
    if to not in DossierStatus.values or to not in ACTION_LABELS:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            for message in errors:
                messages.error(request, f"{form.fields[name].label}: {message}" if name in form.fields else message)
        return redirect(reverse("registrations:dossier_detail", args=[dossier.pk]))
    step = CONFIRM_FIRST.get(to)
    if step is not None and to in DOSSIER_TRANSITIONS[dossier.status] and may_transition(request.user, dossier, to):
        if request.POST.get("confirmed") != "1" or (step["note_required"] and not form.cleaned_data["note"].strip()):
            errors = [] if request.POST.get("confirmed") != "1" else [_("Hãy ghi lý do.")]
            return _confirm_page(request, dossier, step, reverse("registrations:dossier_transition", args=[dossier.pk, to]),
                                 form.cleaned_data["note"], errors)
    try:
        with transaction.atomic():
            dossier_transition(dossier=dossier, to=to, by=request.user, note=form.cleaned_data["note"],
                               received_on=form.cleaned_data["received_on"])
    except (DossierIncomplete, TransitionNotAllowed) as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Đã chuyển hồ sơ: %(status)s.") % {"status": dossier.get_status_display()})
    return redirect(reverse("registrations:dossier_detail", args=[dossier.pk]))


def _confirm_page(request, dossier, step, action, note="", errors=()):
    return render(request, "registrations/dossier_confirm.html", {
        "dossier": dossier, "step": step, "action": action, "note": note, "errors": list(errors),
    }, status=400 if errors else 200)


@login_required
def dossier_restore_view(request, pk):
    """Province staff restore a dossier withdrawn by mistake to the state it left, giving the reason."""
    dossier = get_object_or_404(dossier_detail_queryset(request.user), pk=pk)
    if dossier.status != DossierStatus.WITHDRAWN or not dossier.withdrawn_from or not may_transition(
            request.user, dossier, dossier.withdrawn_from):
        raise Http404
    action = reverse("registrations:dossier_restore", args=[dossier.pk])
    step = {**RESTORE, "target": DossierStatus(dossier.withdrawn_from).label}
    if request.method != "POST" or request.POST.get("confirmed") != "1":
        return _confirm_page(request, dossier, step, action, request.POST.get("note", ""))
    note = request.POST.get("note", "").strip()
    if not note:
        return _confirm_page(request, dossier, step, action, note, [_("Hãy ghi lý do.")])
    try:
        dossier_transition(dossier=dossier, to=dossier.withdrawn_from, by=request.user, note=note[:4000])
    except (DossierIncomplete, TransitionNotAllowed) as exc:
        return _confirm_page(request, dossier, step, action, note, _messages_of(exc))
    messages.success(request, _("Đã khôi phục hồ sơ: %(status)s.") % {"status": dossier.get_status_display()})
    return redirect(reverse("registrations:dossier_detail", args=[dossier.pk]))
