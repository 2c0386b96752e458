"""Pages of products. Anything out of the user's reach is a 404, never a 403; the verification page and the
catalogue are public and show nothing private."""
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.enums import Role
from accounts.selectors import user_scope
from activity.selectors import activity_for
from evaluations.selectors import rounds_visible_to
from ocop_portal.documents import document_response
from units.models import AdministrativeUnit

from ocop_portal.pagecache import cached_page

from . import documents, selectors, services
from .enums import DECISION_TRANSITIONS, CertificateStatus, DecisionStatus
from .forms import DecisionCreateForm, DecisionRecordForm, InspectionForm, RevocationForm
from .models import GRACE_STATE, DecisionItem, Product

PAGE_SIZE = 25
logger = logging.getLogger(__name__)


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _page_in_two_reads(request, qs, related):
    """A page of `qs` read as its ids, then their rows with the `related` records: the scope's subquery and the
    joins in one statement cost PostgreSQL more to plan (~10 ms) than both statements take together.
    Returns the page (of ids, for the pagination) and its rows in order."""
    page = _page(request, qs.select_related(None).values_list("pk", flat=True))
    ids = list(page.object_list)
    rows = qs.model._default_manager.filter(pk__in=ids).select_related(*related).in_bulk()
    return page, [rows[pk] for pk in ids]


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _printed_once(template: str, name: str, values) -> dict:
    """{value: the template rendered with `name`=value} once per distinct value (a star badge, a state badge),
    so a list prints the same badge without an {% include %} per row."""
    from django.template.loader import render_to_string

    return {value: render_to_string(template, {name: value}) for value in set(values)}


def _row_urls(name: str, keys) -> list:
    """The URL of each row's page from one reverse() (what {% url name key %} gives per row)."""
    from urllib.parse import quote

    from django.urls import reverse

    marker = "987654321"  # survives every converter of a row key (an id, a code)
    prefix, found, suffix = reverse(name, args=[marker]).rpartition(marker)
    assert found, name
    return [f"{prefix}{quote(str(key), safe='!$&()*+,;=/~:@' + chr(39))}{suffix}" for key in keys]


def _error(request, exc):
    messages.error(request, " ".join(exc.messages))


# --- decisions -----------------------------------------------------------------------------------
def _decision_or_404(user, pk):
    return get_object_or_404(selectors.decision_visible_to(user).select_related("province", "round", "issuer"), pk=pk)


def _require_province_staff(user):
    scope = user_scope(user)
    if not (scope.is_admin or scope.unit_ids(Role.PROVINCE_STAFF)):
        raise Http404


@login_required
def decision_pdf_view(request, pk):
    """The decision for signing, with its annexed list of products ("DỰ THẢO" until recorded as signed)."""
    decision = _decision_or_404(request.user, pk)
    return document_response(folder="quyet-dinh", template="documents/decision.html",
                             context=documents.decision_context(decision),
                             filename=f"quyet-dinh-{decision.number or 'du-thao-' + str(decision.pk)}.pdf".replace("/", "-"))


@login_required
@cached_page
def decision_list_view(request):
    _require_province_staff(request.user)
    page = _page(request, selectors.decision_list(user=request.user))
    decisions = list(page.object_list)
    rows = list(zip(decisions, _row_urls("products:decision_detail", (d.pk for d in decisions))))
    return render(request, "products/decision_list.html", {"page": page, "decisions": decisions, "rows": rows,
                                                           "query": _query_without_page(request)})


@login_required
def decision_create_view(request):
    _require_province_staff(request.user)
    form = DecisionCreateForm(request.POST or None, rounds=rounds_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_create_from_round(round_=form.cleaned_data["round"], by=request.user,
                                                           level=form.cleaned_data["level"])
            messages.success(request, _("Đã lập dự thảo quyết định với %(n)s sản phẩm.") % {"n": decision.items.count()})
            return redirect(decision.get_absolute_url())
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "products/decision_create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@cached_page
def decision_detail_view(request, pk):
    decision = _decision_or_404(request.user, pk)
    can_manage = request.user.has_perm("products.manage_decision", decision)
    record_form = None
    if can_manage and decision.status == DecisionStatus.DRAFT:
        record_form = DecisionRecordForm(initial={
            "number": decision.number, "decided_on": decision.decided_on, "signer_name": decision.signer_name,
            "signer_title": decision.signer_title or DecisionRecordForm.base_fields["signer_title"].initial})
    return render(request, "products/decision_detail.html", {
        "decision": decision, "items": selectors.decision_items(decision), "can_manage": can_manage,
        "record_form": record_form, "next_states": [DecisionStatus(s) for s in DECISION_TRANSITIONS[decision.status]],
        "history": activity_for(decision),
    })


@login_required
@require_POST
def decision_record_view(request, pk):
    decision = _decision_or_404(request.user, pk)
    form = DecisionRecordForm(request.POST)
    if form.is_valid():
        try:
            services.decision_transition(decision=decision, to=DecisionStatus.RECORDED, by=request.user,
                                         **form.cleaned_data)
            messages.success(request, _("Đã vào sổ %(d)s.") % {"d": decision})
            return redirect(decision.get_absolute_url())
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "products/decision_detail.html", {
        "decision": decision, "items": selectors.decision_items(decision), "can_manage": True,
        "record_form": form, "next_states": [], "history": activity_for(decision),
    }, status=400)


@login_required
@require_POST
def decision_transition_view(request, pk):
    decision = _decision_or_404(request.user, pk)
    to = request.POST.get("to", "")
    if to not in DecisionStatus.values or to == DecisionStatus.RECORDED:
        messages.error(request, _("Thao tác không hợp lệ."))
        return redirect(decision.get_absolute_url())
    if to == DecisionStatus.PUBLISHED and request.POST.get("confirmed") != "1":
        # Publishing issues the certificates and tells producers their results: it asks first.
        if not request.user.has_perm("products.manage_decision", decision):
            raise Http404
        return render(request, "products/decision_publish_confirm.html", {
            "decision": decision, "items": selectors.decision_items(decision),
        })
    try:
        services.decision_transition(decision=decision, to=to, by=request.user)
        if to == DecisionStatus.PUBLISHED:
            messages.success(request, _("Đã công bố quyết định và cấp giấy chứng nhận."))
        else:
            messages.success(request, _("Đã chuyển quyết định về dự thảo."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(decision.get_absolute_url())


@login_required
@require_POST
def decision_item_remove_view(request, pk, item_pk):
    decision = _decision_or_404(request.user, pk)
    item = get_object_or_404(DecisionItem, decision=decision, pk=item_pk)
    try:
        services.decision_item_remove(item=item, by=request.user)
        messages.success(request, _("Đã bỏ sản phẩm khỏi dự thảo."))
    except ValidationError as exc:
        _error(request, exc)
    return redirect(decision.get_absolute_url())


# --- certificates and products -------------------------------------------------------------------
@login_required
@cached_page
def certificate_list_view(request):
    certificates, filterset = selectors.certificate_list(user=request.user, filters=request.GET)
    page, certificates = _page_in_two_reads(request, certificates, selectors.CERT_RELATED)
    states = [c.public_state() for c in certificates]
    stars = _printed_once("products/_stars.html", "n", (c.star for c in certificates))
    badges = _printed_once("products/_state.html", "state", states)
    rows = [(c, url, stars[c.star], badges[state]) for c, url, state in
            zip(certificates, _row_urls("products:certificate_detail", (c.pk for c in certificates)), states)]
    return render(request, "products/certificate_list.html", {
        "page": page, "certificates": certificates, "rows": rows, "filter": filterset,
        "query": _query_without_page(request),
    })


def _certificate_or_404(user, pk):
    certificate = selectors.certificate_detail(user=user, pk=pk)
    if certificate is None:
        raise Http404
    return certificate


@login_required
@cached_page
def certificate_detail_view(request, pk, revoke_form=None, inspection_form=None, status=200):
    certificate = _certificate_or_404(request.user, pk)
    can_manage = request.user.has_perm("products.manage_certificate", certificate)
    active = certificate.status == CertificateStatus.ACTIVE
    revocation = getattr(certificate, "revocation", None)
    return render(request, "products/certificate_detail.html", {
        "certificate": certificate, "product": certificate.product, "can_manage": can_manage,
        "revocation": revocation,
        "ministry_revokes": certificate.star >= 5,
        "revoke_form": (revoke_form or RevocationForm(ministry=certificate.star >= 5, initial=(
            {"ground": revocation.ground, "finding_on": revocation.finding_on, "note": revocation.note}
            if revocation else None))) if can_manage and active else None,
        "inspection_form": (inspection_form or InspectionForm()) if can_manage else None,
        "inspections": certificate.inspections.all(),
        "history": activity_for(certificate),
        "lineage": certificate.product.certificates.select_related("decision").order_by("-issued_on", "-pk"),
        "renewal_authority": services.renewal_authority(certificate),
    }, status=status)


@login_required
@require_POST
def certificate_revoke_view(request, pk):
    certificate = _certificate_or_404(request.user, pk)
    if not request.user.has_perm("products.manage_certificate", certificate):
        raise Http404
    form = RevocationForm(request.POST, ministry=certificate.star >= 5)
    if form.is_valid():
        try:
            services.certificate_revoke(certificate=certificate, by=request.user, **form.cleaned_data)
            messages.success(request, _("Đã ghi nhận thu hồi giấy chứng nhận."))
            return redirect(certificate.get_absolute_url())
        except ValidationError as exc:
            form.add_error(None, exc)
    return certificate_detail_view(request, pk, revoke_form=form, status=400)


@login_required
@require_POST
def inspection_create_view(request, pk):
    certificate = _certificate_or_404(request.user, pk)
    if not request.user.has_perm("products.manage_certificate", certificate):
        raise Http404
    form = InspectionForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_record(certificate=certificate, by=request.user, **form.cleaned_data)
            messages.success(request, _("Đã ghi nhận kết quả hậu kiểm."))
            return redirect(certificate.get_absolute_url())
        except ValidationError as exc:
            form.add_error(None, exc)
    return certificate_detail_view(request, pk, inspection_form=form, status=400)


def _pdf_response(request, certificate):
    """Serve the stored PDF; a missing one (never rendered, or its file lost) is rendered now (about 0.1 s). If
    rendering fails the answer is a 404 saying it is being made again, never a 500."""
    from .certificate_pdf import certificate_render, pdf_present

    if not pdf_present(certificate):
        try:
            certificate = certificate_render(certificate_id=certificate.pk)
        except Exception:  # noqa: BLE001 - WeasyPrint or storage failed: the page says so, the log keeps the cause
            logger.exception("certificate %s: PDF could not be rendered", certificate.pk)
            return render(request, "products/pdf_regenerating.html", {"certificate": certificate}, status=404)
    response = FileResponse(certificate.pdf.open("rb"), as_attachment=False, content_type="application/pdf",
                            filename=f"giay-chung-nhan-ocop-{certificate.product.code}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def certificate_pdf_view(request, pk):
    return _pdf_response(request, _certificate_or_404(request.user, pk))


@login_required
@cached_page
def product_list_view(request):
    page = _page(request, selectors.product_list(user=request.user))
    return render(request, "products/product_list.html", {"page": page, "products": page.object_list,
                                                          "query": _query_without_page(request)})


# --- public --------------------------------------------------------------------------------------
@cached_page
def verify_view(request, code):
    certificate = selectors.certificate_by_code(code)  # None for a code with a NUL byte (PostgreSQL refuses one)
    if certificate is None:
        return render(request, "products/verify_not_found.html", {"code": code[:40]}, status=404)
    return render(request, "products/verify.html", {
        "certificate": certificate, "product": certificate.product, "state": certificate.public_state(),
        "revocation": getattr(certificate, "revocation", None) if certificate.status == CertificateStatus.REVOKED else None,
        "newer": getattr(certificate, "superseded_by", None),
    })


def verify_pdf_view(request, code):
    certificate = selectors.certificate_by_code(code)
    if certificate is None or certificate.public_state() not in (CertificateStatus.ACTIVE, "expiring", GRACE_STATE):
        return render(request, "products/verify_not_found.html", {"code": code[:40]}, status=404)
    return _pdf_response(request, certificate)


@cached_page
def catalogue_view(request, province_code=None):
    provinces = AdministrativeUnit.objects.filter(level="province", valid_to__isnull=True,
                                                  pk__in=Product.objects.values("province")).order_by("name")
    if province_code is None:
        if len(provinces) == 1:
            return redirect("products:catalogue_province", province_code=provinces[0].code)
        return render(request, "products/catalogue_index.html", {"provinces": provinces})
    if "\x00" in province_code:  # PostgreSQL refuses a NUL byte in a query: no such province
        raise Http404
    province = get_object_or_404(AdministrativeUnit, level="province", valid_to__isnull=True, code=province_code)
    certificates, filterset = selectors.catalogue(province=province, filters=request.GET)
    page = _page(request, certificates)
    certificates = list(page.object_list)
    stars = _printed_once("products/_stars.html", "n", (c.star for c in certificates))
    rows = [(c, url, stars[c.star]) for c, url in
            zip(certificates, _row_urls("products:verify", (c.verify_code for c in certificates)))]
    return render(request, "products/catalogue.html", {"province": province, "page": page, "filter": filterset,
                                                       "certificates": certificates, "rows": rows,
                                                       "query": _query_without_page(request)})
