from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .home import todos_for
from .selectors import role_assignments_of


@login_required
def home(request):
    return render(request, "accounts/home.html", {"todos": todos_for(request.user)})


@login_required
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {"assignments": role_assignments_of(request.user), "today": timezone.localdate()},
    )
