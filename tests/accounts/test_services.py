import re

import pytest
from rest_framework.authtoken.models import Token

from accounts.services import api_token_issue, api_token_revoke
from tests.factories import UserFactory


@pytest.mark.django_db
def test_issuing_a_token_gives_a_random_forty_hex_key():
    user = UserFactory()

    token = api_token_issue(user=user)

    assert re.fullmatch(r"[0-9a-f]{40}", token.key)
    assert list(Token.objects.filter(user=user).values_list("key", flat=True)) == [token.key]


@pytest.mark.django_db
def test_issuing_again_replaces_the_token():
    user = UserFactory()
    first = api_token_issue(user=user)

    second = api_token_issue(user=user)

    assert second.key != first.key
    assert list(Token.objects.filter(user=user).values_list("key", flat=True)) == [second.key]


@pytest.mark.django_db
def test_revoking_deletes_the_token_and_says_whether_there_was_one():
    user, other = UserFactory(), UserFactory()
    api_token_issue(user=user)
    kept = api_token_issue(user=other)

    assert api_token_revoke(user=user) is True
    assert api_token_revoke(user=user) is False
    assert list(Token.objects.values_list("key", flat=True)) == [kept.key]
