"""Report pages: the list, a report's parameter form with an on-screen preview and export buttons, a run's
status (htmx polling, or a refresh link without JavaScript) and its permission-checked download."""
import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ocop_portal.pagecache import cached_page

from . import selectors, services
from .enums import RunFormat, RunStatus
from .forms import ExportForm
from .registry import get_report

PREVIEW_ROWS = 200


def _report_or_404(user, code):
    report = get_report(code)
    if report is None or not selectors.may_run_reports(user):
        raise Http404
    return report


@login_required
@cached_page
def report_list_view(request):
    if not selectors.may_run_reports(request.user):
        raise Http404
    runs = list(selectors.runs_visible_to(request.user)[:10])
    for run in runs:
        report = get_report(run.code)
        run.title = report.title if report else run.code
    return render(request, "reports/report_list.html", {"reports": selectors.reports_for(request.user), "runs": runs,
                                                        "may_manage_subscriptions": selectors.may_manage_subscriptions(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
@cached_page
def report_detail_view(request, code):
    report = _report_or_404(request.user, code)
    source = request.POST if request.method == "POST" else (request.GET or None)
    if source is None:
        source = report.form_class.initial_data(user=request.user, report=report)
    form = report.form_class(source, user=request.user, report=report)
    table = preview = None
    if form.is_valid():
        params = form.params()
        if request.method == "POST":
            export = ExportForm(request.POST)
            if export.is_valid():
                try:
                    run, created = services.report_run_request(code=report.code, params=params,
                                                               fmt=export.cleaned_data["format"], by=request.user)
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    if not created:
                        messages.info(request, _("Báo cáo với cùng tham số vừa được lập: dùng lại tệp đã có."))
                    return redirect(run)
            else:
                messages.error(request, _("Định dạng xuất không hợp lệ."))
        table = services.report_table(report=report, params=params)
        from .formatters import html_preview

        preview = html_preview(dataclasses.replace(table, rows=table.rows[:PREVIEW_ROWS]))
    return render(request, "reports/report_detail.html", {
        "report": report, "form": form, "table": table, "preview": preview, "formats": RunFormat.choices,
        "truncated": table is not None and len(table.rows) > PREVIEW_ROWS, "preview_rows": PREVIEW_ROWS,
    }, status=200 if form.is_valid() or request.method == "GET" else 400)


@login_required
def run_detail_view(request, pk):
    run = get_object_or_404(selectors.runs_visible_to(request.user), pk=pk)
    report = get_report(run.code)
    if request.headers.get("HX-Request"):
        return render(request, "reports/_run_status.html", {"run": run, "RunStatus": RunStatus})
    return render(request, "reports/run_detail.html", {"run": run, "report": report, "RunStatus": RunStatus,
                                                       "summary": services.run_summary(run)})


@login_required
def run_download_view(request, pk):
    run = get_object_or_404(selectors.runs_visible_to(request.user), pk=pk, status=RunStatus.DONE)
    if not run.file:
        raise Http404
    try:
        handle = run.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    from .formatters import CONTENT_TYPES

    response = FileResponse(handle, as_attachment=True, filename=services.report_file_name(run),
                            content_type=CONTENT_TYPES[run.format])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- standing orders: departments subscribed to reports (province staff) -------------------------------------
def _subscriptions_or_404(user):
    if not selectors.may_manage_subscriptions(user):
        raise Http404
    return selectors.subscriptions_visible_to(user)


@login_required
@cached_page
def subscription_list_view(request):
    subscriptions = list(_subscriptions_or_404(request.user))
    titles = {r.code: r.title for r in selectors.reports_for(request.user)}
    for sub in subscriptions:
        sub.title = titles.get(sub.code, sub.code)
    return render(request, "reports/subscription_list.html", {"subscriptions": subscriptions})


@login_required
@require_http_methods(["GET", "POST"])
def subscription_edit_view(request, pk=None):
    from .forms import SubscriptionForm
    from .models import Subscription

    visible = _subscriptions_or_404(request.user)
    subscription = get_object_or_404(visible, pk=pk) if pk is not None else Subscription()
    form = SubscriptionForm(request.POST or None, instance=subscription, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_save(subscription=form.save(commit=False), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu đăng ký nhận báo cáo."))
            return redirect("reports:subscription_list")
    return render(request, "reports/subscription_form.html", {"form": form, "subscription": subscription},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def subscription_delete_view(request, pk):
    subscription = get_object_or_404(_subscriptions_or_404(request.user), pk=pk)
    if request.method == "POST":
        services.subscription_delete(subscription=subscription, by=request.user)
        messages.success(request, _("Đã hủy đăng ký nhận báo cáo."))
        return redirect("reports:subscription_list")
    report = get_report(subscription.code)
    return render(request, "reports/subscription_confirm_delete.html",
                  {"subscription": subscription, "title": report.title if report else subscription.code})
