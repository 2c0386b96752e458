from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from ocop_portal.pagecache import cached_page

from . import services
from .forms import ApiTokenIssueForm, ApiTokenRevokeForm
from .home import dashboard_for, todos_for
from .selectors import role_assignments_of

NEW_TOKEN_SESSION_KEY = "accounts.new_api_token"


@login_required
@cached_page
def home(request):
    return render(request, "accounts/home.html", {"todos": todos_for(request.user), "dashboard": dashboard_for(request.user)})


def _profile(request, *, issue_form=None, revoke_form=None, status=200):
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/profile.html",
        {
            "assignments": role_assignments_of(request.user),
            "today": timezone.localdate(),
            "token": token,
            # The key is shown once, on the page right after it was issued.
            "new_token_key": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
            "issue_form": issue_form or ApiTokenIssueForm(replacing=token is not None, prefix="issue"),
            "revoke_form": revoke_form or ApiTokenRevokeForm(prefix="revoke"),
        },
        status=status,
    )


@login_required
def profile(request):
    return _profile(request)


@login_required
@require_POST
def api_token_issue(request):
    replacing = Token.objects.filter(user=request.user).exists()
    form = ApiTokenIssueForm(request.POST, replacing=replacing, prefix="issue")
    if not form.is_valid():
        return _profile(request, issue_form=form, status=400)
    token = services.api_token_issue(user=request.user)
    request.session[NEW_TOKEN_SESSION_KEY] = token.key
    messages.success(request, _("Đã tạo khoá API mới."))
    return redirect("profile")


@login_required
@require_POST
def api_token_revoke(request):
    form = ApiTokenRevokeForm(request.POST, prefix="revoke")
    if not form.is_valid():
        return _profile(request, revoke_form=form, status=400)
    if services.api_token_revoke(user=request.user):
        messages.success(request, _("Đã thu hồi khoá API."))
    return redirect("profile")


def locked_out(request, original_response=None, credentials=None):
    """What a locked-out login sees (django-axes' AXES_LOCKOUT_CALLABLE): 429, in the user's language."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau %(minutes)s phút.") % {"minutes": minutes}},
            status=429,
        )
    else:
        response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
