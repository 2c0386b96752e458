import pytest
from django.urls import reverse

from activity.models import OutboxMessage
from activity.services import notify
from tests.factories import ProvinceFactory, UserFactory


@pytest.mark.django_db
def test_inbox_lists_the_users_own_notifications_and_nobody_elses(client):
    target = ProvinceFactory(name="Tỉnh Vĩnh Long")
    me, other = UserFactory(full_name="Nguyễn Văn A"), UserFactory(full_name="Trần Thị B")
    notify(event="test_event", recipients=[me], context={"target": target}, target=target)
    notify(event="test_event", recipients=[other], context={"target": ProvinceFactory(name="Tỉnh Cà Mau")})
    client.force_login(me)

    page = client.get(reverse("inbox")).content.decode()

    assert "Thông báo thử: Tỉnh Vĩnh Long" in page and "Nguyễn Văn A" in page
    assert "Tỉnh Cà Mau" not in page and "Trần Thị B" not in page


# --- unread count, links, read on opening (issue 14, item 9) ------------------------------------------
def _badge(page):
    start = page.index('id="unread-badge">') + len('id="unread-badge">')
    return page[start:page.index("<", start)]


@pytest.mark.django_db
def test_the_account_menu_counts_unread_notifications_and_opening_the_inbox_reads_them(client):
    from django.utils import timezone

    from tests.activity.factories import OutboxMessageFactory

    me, other = UserFactory(), UserFactory()
    OutboxMessageFactory.create_batch(3, recipient=me)
    OutboxMessageFactory(recipient=me, read_at=timezone.now())
    OutboxMessageFactory.create_batch(2, recipient=other)
    client.force_login(me)

    home = client.get(reverse("home")).content.decode()
    assert _badge(home) == "3"
    assert "3 chưa đọc" in home

    inbox = client.get(reverse("inbox")).content.decode()
    assert inbox.count('<span class="badge bg-primary me-1">Mới</span>') == 3  # shown as new this once
    assert inbox.count("inbox-unread") == 3
    assert 'id="unread-badge"' not in inbox  # the page itself read them
    assert list(OutboxMessage.objects.filter(read_at__isnull=True).values_list("recipient", flat=True)) == [
        other.pk, other.pk]

    home = client.get(reverse("home")).content.decode()
    assert 'id="unread-badge"' not in home and "chưa đọc" not in home
    assert "Mới</span>" not in client.get(reverse("inbox")).content.decode()


@pytest.mark.django_db
def test_the_inbox_reads_only_the_page_it_shows(client):
    from tests.activity.factories import OutboxMessageFactory

    me = UserFactory()
    OutboxMessageFactory.create_batch(27, recipient=me)
    client.force_login(me)
    client.get(reverse("inbox"))
    assert OutboxMessage.objects.filter(recipient=me, read_at__isnull=True).count() == 2
    assert _badge(client.get(reverse("profile")).content.decode()) == "2"


@pytest.mark.django_db
def test_portal_links_in_a_body_are_links_and_other_urls_stay_text(client, settings):
    from tests.activity.factories import OutboxMessageFactory

    settings.OCOP_PUBLIC_BASE_URL = "https://ocop.vinhlong.gov.vn"
    me = UserFactory()
    OutboxMessageFactory(recipient=me, body=(
        "Xem hồ sơ: https://ocop.vinhlong.gov.vn/ho-so/12/.\n"
        "Không phải cổng: https://ocop.vinhlong.gov.vn.evil.example/x và https://evil.example/ho-so/\n"
        "<b>đậm</b> https://ocop.vinhlong.gov.vn//evil.example"))
    client.force_login(me)
    page = client.get(reverse("inbox")).content.decode()
    assert ('Xem hồ sơ: <a href="/ho-so/12/">https://ocop.vinhlong.gov.vn/ho-so/12/</a>.<br>'
            "Không phải cổng: https://ocop.vinhlong.gov.vn.evil.example/x và https://evil.example/ho-so/<br>"
            "&lt;b&gt;đậm&lt;/b&gt; https://ocop.vinhlong.gov.vn//evil.example") in page
    assert page.count('href="/ho-so/12/"') == 1 and "evil.example\"" not in page


@pytest.mark.django_db
def test_the_inbox_costs_the_same_queries_for_one_message_and_many(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.activity.factories import OutboxMessageFactory

    me = UserFactory()
    client.force_login(me)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("inbox")).status_code == 200
        return len(ctx.captured_queries)

    OutboxMessageFactory(recipient=me)
    client.get(reverse("inbox"))  # warm the caches (session, content types)
    OutboxMessageFactory(recipient=me)
    one = queries()
    OutboxMessageFactory.create_batch(20, recipient=me)
    assert queries() == one
