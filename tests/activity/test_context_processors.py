"""The unread count in the account menu: read with the signed-in user in the same query (no query of its own),
whatever the number of messages, and never older than the page."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.activity.factories import OutboxMessageFactory
from tests.factories import UserFactory

PROCESSOR = "activity.context_processors.notifications"


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _without_processor(settings):
    templates = [dict(t, OPTIONS=dict(t["OPTIONS"])) for t in settings.TEMPLATES]
    for t in templates:
        t["OPTIONS"]["context_processors"] = [p for p in t["OPTIONS"].get("context_processors", []) if p != PROCESSOR]
    settings.TEMPLATES = templates


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("home"), reverse("profile")])
def test_the_unread_count_is_read_with_the_user_and_adds_no_query(client, settings, url):
    me = UserFactory()
    OutboxMessageFactory.create_batch(5, recipient=me)
    OutboxMessageFactory.create_batch(2, recipient=UserFactory())  # another user's: not counted
    client.force_login(me)
    client.get(url)  # warm the caches
    with_badge = _queries(client, url)
    assert 'id="unread-badge">5<' in client.get(url).content.decode()
    _without_processor(settings)
    client.get(url)
    without = _queries(client, url)
    assert len(with_badge) == len(without)
    extra = [q for q in with_badge if "activity_outboxmessage" in q]
    assert len(extra) == 1 and "COUNT(" in extra[0].upper() and '"accounts_user"' in extra[0]


@pytest.mark.django_db
def test_the_inbox_page_shows_the_count_after_it_marked_the_messages_read(client):
    me = UserFactory()
    OutboxMessageFactory.create_batch(3, recipient=me)
    client.force_login(me)
    assert 'id="unread-badge">3<' in client.get(reverse("home")).content.decode()
    inbox = client.get(reverse("inbox")).content.decode()
    assert 'id="unread-badge"' not in inbox  # the messages it shows are read now: no stale badge on this page
    assert 'id="unread-badge"' not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_count_query_is_one_for_one_message_and_for_many(client):
    me = UserFactory()
    client.force_login(me)
    OutboxMessageFactory(recipient=me)
    client.get(reverse("home"))
    one = len(_queries(client, reverse("home")))
    OutboxMessageFactory.create_batch(30, recipient=me)
    assert len(_queries(client, reverse("home"))) == one


def test_anonymous_pages_do_not_count(client, db):
    queries = _queries(client, reverse("products:catalogue"))
    assert not [q for q in queries if "activity_outboxmessage" in q]
