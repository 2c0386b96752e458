"""Autosaved drafts of long forms (Form 01, the self-assessment): the page's script (static/js/forms.js)
posts the form with the header `X-Autosave: 1` while the user types; the view answers with
`autosave_response` instead of saving the record, and shows the draft again on the next visit from any
device, until the form is saved for real (`form_draft_discard`)."""
from django.http import JsonResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import FormDraft
from .selectors import form_draft_of
from .services import form_draft_discard, form_draft_save

__all__ = ["autosave_response", "draft_initial", "form_draft_discard", "form_draft_of", "is_autosave", "saved_message"]

NOT_DRAFTED = {"csrfmiddlewaretoken", "action"}


def is_autosave(request) -> bool:
    return request.method == "POST" and request.headers.get("X-Autosave") == "1"


def autosave_response(request, key: str) -> JsonResponse:
    data = {name: values for name, values in request.POST.lists() if name not in NOT_DRAFTED}
    try:
        draft = form_draft_save(user=request.user, key=key, data=data)
    except ValueError:
        return JsonResponse({"message": _("Bản nháp quá lớn, không tự động lưu được.")}, status=400)
    return JsonResponse({"saved_at": draft.saved_at.isoformat(), "message": saved_message(draft)})


def saved_message(draft: FormDraft) -> str:
    when = formats.time_format(timezone.localtime(draft.saved_at), "H:i")
    return _("Đã tự động lưu bản nháp lúc %(time)s.") % {"time": when}


def draft_initial(draft: FormDraft | None) -> dict:
    """The draft as a form's `initial`: one value per field, or the list for a multiple choice."""
    if draft is None:
        return {}
    return {name: values[0] if len(values) == 1 else values for name, values in draft.data.items()}
