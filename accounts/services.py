"""Writes on accounts: the user's own API token, the user's autosaved form drafts."""
import unicodedata

from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import FormDraft, User


@transaction.atomic
def api_token_issue(*, user: User) -> Token:
    """A new API token for the user; the one they held before stops working at once."""
    User.objects.select_for_update().only("pk").get(pk=user.pk)  # two clicks at once issue one token
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    """Deletes the user's API token; False when they held none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


DRAFT_MAX_FIELDS = 500
DRAFT_MAX_CHARS = 200_000


@transaction.atomic
def form_draft_save(*, user: User, key: str, data: dict[str, list[str]]) -> FormDraft:
    """Keep what the user has typed into a form (field name → values) until the form is saved for real.
    Too large a draft is refused with ValueError: it is no form of ours."""
    data = {str(name): [unicodedata.normalize("NFC", str(v)) for v in values] for name, values in data.items()}
    if len(data) > DRAFT_MAX_FIELDS or sum(len(v) for values in data.values() for v in values) > DRAFT_MAX_CHARS:
        raise ValueError("draft too large")
    draft, _created = FormDraft.objects.select_for_update().update_or_create(user=user, key=key, defaults={"data": data})
    return draft


def form_draft_discard(*, user: User, key: str) -> None:
    FormDraft.objects.filter(user=user, key=key).delete()
