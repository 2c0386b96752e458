"""Import pages for province staff: upload → preview (every row's verdict, reason and cell) → confirm →
progress → result, undo; the template; exports of the register; the public open-data export."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import user_scope

from . import exports, rules, selectors, services
from .enums import BatchState, RowStatus
from .forms import ExportForm, LegacyCertificateForm, RowFilterForm, UploadForm

PAGE_SIZE = 50
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def _require_importer(user):
    if not rules.can_import.test(user):
        raise Http404


def _batch_or_404(user, pk):
    return get_object_or_404(selectors.batches_visible_to(user), pk=pk)


def _download(content: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def batch_list_view(request):
    _require_importer(request.user)
    provinces = selectors.import_provinces(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.batch_create(province=form.cleaned_data["province"], file_name=upload.name,
                                          content=upload.read(), by=request.user)
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(batch)
    everything = user_scope(request.user).is_admin
    export_form = ExportForm(provinces=provinces, everything=everything, auto_id="export_%s")
    batches = list(selectors.batches_visible_to(request.user)[:20])
    return render(request, "imports/batch_list.html", {"form": form, "export_form": export_form,
                                                       "batches": batches},
                  status=400 if request.method == "POST" else 200)


@login_required
def batch_detail_view(request, pk):
    batch = _batch_or_404(request.user, pk)
    done = services.batch_progress(batch)
    context = {"batch": batch, "done": done, "BatchState": BatchState,
               "percent": int(100 * done / batch.rows_total) if batch.rows_total else 0}
    if request.headers.get("HX-Request"):
        if not batch.is_working:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "imports/_progress.html", context)
    filters = RowFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page = Paginator(selectors.batch_rows(batch, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/batch_detail.html", {
        **context, "filters": filters, "page": page, "rows": page.object_list, "RowStatus": RowStatus,
        "query": f"status={status}" if status else ""})


@login_required
@require_POST
def batch_confirm_view(request, pk):
    batch = _batch_or_404(request.user, pk)
    if not request.POST.get("confirmed"):
        messages.error(request, _("Hãy đánh dấu ô xác nhận."))
        return redirect(batch)
    try:
        services.batch_confirm(batch=batch, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(batch)


@login_required
@require_POST
def batch_undo_view(request, pk):
    batch = _batch_or_404(request.user, pk)
    if not request.POST.get("confirmed"):
        messages.error(request, _("Hãy đánh dấu ô xác nhận."))
        return redirect(batch)
    try:
        services.batch_undo(batch=batch, by=request.user)
        messages.success(request, _("Đã hoàn tác lần nhập."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(batch)


@login_required
def template_view(request):
    _require_importer(request.user)
    return _download(exports.to_xlsx({}), "mau-nhap-du-lieu-ocop.xlsx", "xlsx")


@login_required
def export_view(request):
    _require_importer(request.user)
    everything = user_scope(request.user).is_admin
    form = ExportForm(request.GET or None, provinces=selectors.import_provinces(request.user), everything=everything)
    if not form.is_valid():
        raise Http404
    province = form.cleaned_data["province"]
    fmt, sheet = form.cleaned_data["format"], form.cleaned_data["sheet"]
    rows = exports.register_rows(province)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%Hh%M")
    base = f"so-ocop-{province.code if province else 'ca-nuoc'}-{stamp}"
    if fmt == "csv":
        return _download(exports.to_csv(rows, sheet), f"{base}-{sheet}.csv", "csv")
    if fmt == "json":
        return _download(exports.to_json(rows), f"{base}.json", "json")
    return _download(exports.to_xlsx(rows), f"{base}.xlsx", "xlsx")


def open_data_view(request, fmt):
    """The public catalogue as open data: every certificate in force, with its stable product code."""
    if fmt not in ("csv", "json"):
        raise Http404
    content = exports.open_data(fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="san-pham-ocop.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
def certificate_entry_view(request):
    """Staff enter one certificate from before the portal; it becomes a one-row import (logged, undoable)."""
    _require_importer(request.user)
    provinces = selectors.import_provinces(request.user)
    province = provinces.first()
    if province is None:
        raise Http404
    form = LegacyCertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch, errors = services.certificate_enter(province=province, data=form.cleaned_data, by=request.user)
        for field, message in errors:
            form.add_error(field if field in form.fields else None, message)
        if batch is not None:
            messages.success(request, _("Đã nhập giấy chứng nhận %(n)s.") % {"n": form.cleaned_data["certificate_number"]})
            return redirect(batch)
    return render(request, "imports/certificate_entry.html", {"form": form, "province": province},
                  status=400 if request.method == "POST" else 200)


@login_required
def suggest_view(request):
    """<option>s for a search box (htmx): producers, communes, issuing units or product sets matching what was
    typed, with or without diacritics, in the user's province."""
    _require_importer(request.user)
    kind = request.GET.get("loai", "")
    field = {"producer": "producer", "commune": "commune", "issuer": "issuing_unit", "product_set": "product_set"}
    query = request.GET.get(field.get(kind, ""), "") or request.GET.get("q", "")
    options = selectors.suggestions(request.user, kind=kind, query=query)
    return render(request, "imports/_options.html", {"options": options})
