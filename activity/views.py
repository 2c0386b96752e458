from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .selectors import inbox_for


@login_required
def inbox(request):
    page = Paginator(inbox_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "activity/inbox.html", {"page": page})
