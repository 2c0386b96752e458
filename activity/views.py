from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .selectors import inbox_for
from .services import inbox_mark_read


@login_required
def inbox(request):
    page = Paginator(inbox_for(request.user), 25).get_page(request.GET.get("page"))
    messages = list(page.object_list)  # read_at as it was before this visit: the page marks what was new
    inbox_mark_read(user=request.user, messages=messages)
    return render(request, "activity/inbox.html", {"page": page, "inbox_messages": messages})
