"""Writes on accounts: the user's own API token."""
from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import User


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
