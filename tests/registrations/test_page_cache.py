"""Pages cached on the data versions of the tables they read (ocop_portal.pagecache, ocop_portal.versions)."""
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from ocop_portal import versions
from ocop_portal.pagecache import PLACEHOLDER
from registrations.models import Dossier, Producer, ProductGroup
from tests.factories import OrganisationFactory
from tests.registrations.factories import DossierFactory

LIST = "registrations:dossier_list"
_TOKENS = re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"')


def _page(response) -> str:
    assert response.status_code == 200
    return _TOKENS.sub(r"\1", response.content.decode())


@pytest.fixture
def cached():
    """A client that asks as a browser does (the suite's `client` asks for every page afresh)."""
    return Client()


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


# --- the versions ---------------------------------------------------------------------------------------------
def test_every_kind_of_write_moves_the_version_of_its_table_and_of_no_other(world):
    dossier = DossierFactory(producer=world.producer)
    before = versions.current()
    Dossier.objects.filter(pk=dossier.pk).update(product_name="Bánh phồng tôm")  # a queryset update
    after_update = versions.current()
    assert after_update["registrations_dossier"] != before["registrations_dossier"]
    assert after_update["registrations_producer"] == before["registrations_producer"]
    with connection.cursor() as cursor:  # raw SQL, as psql or a data migration would write
        cursor.execute("UPDATE registrations_producer SET name = %s WHERE id = %s", ["HTX Dừa", world.producer.pk])
    after_raw = versions.current()
    assert after_raw["registrations_producer"] != after_update["registrations_producer"]
    assert after_raw["registrations_dossier"] == after_update["registrations_dossier"]
    Dossier.objects.filter(pk=dossier.pk).delete()
    assert versions.current()["registrations_dossier"] != after_raw["registrations_dossier"]


@pytest.mark.django_db(transaction=True)
def test_a_version_moves_once_at_the_commit_and_never_for_a_rollback():
    if connection.vendor != "postgresql":
        pytest.skip("the deferred triggers are PostgreSQL's (SQLite sets a random number per row)")
    import psycopg2

    params = connection.get_connection_params()
    other = psycopg2.connect(**params)  # another session: sees only what is committed
    other.autocommit = True

    def seen():
        with other.cursor() as cursor:
            cursor.execute("SELECT v FROM ocop_data_version WHERE name = 'registrations_productgroup'")
            (v,), = cursor.fetchall()
            cursor.execute("SELECT last_value FROM ocop_data_version_seq")
            (last,), = cursor.fetchall()
        return v, last

    start, start_last = seen()
    with transaction.atomic():
        ProductGroup.objects.bulk_create([ProductGroup(classification="THU", level="group", code=f"T{i:03}", name=f"Nhóm {i}") for i in range(300)])
        ProductGroup.objects.filter(code__startswith="T0").update(name="Nhóm thử")
        assert seen() == (start, start_last)  # nothing before the commit
    committed, committed_last = seen()
    assert committed != start
    assert committed_last == start_last + 1  # 300 rows and an update: one bump at the commit
    with pytest.raises(RuntimeError), transaction.atomic():
        ProductGroup.objects.filter(code__startswith="T").delete()
        raise RuntimeError
    assert seen()[0] == committed  # rolled back: the version stays
    other.close()


# --- pages ----------------------------------------------------------------------------------------------------
def test_a_list_is_answered_from_the_cache_until_a_write_changes_its_data(cached, world):
    dossier = DossierFactory(producer=world.producer, product_name="Kẹo dừa sáp")
    cached.force_login(world.officer)
    first, computed = _get(cached, reverse(LIST))
    second, answered = _get(cached, reverse(LIST))
    assert _page(second) == _page(first) and "Kẹo dừa sáp" in _page(second)
    assert answered == 1 < computed  # the user (with the versions); the session is in the cache
    Dossier.objects.filter(pk=dossier.pk).update(product_name="Bánh phồng tôm")
    third, recomputed = _get(cached, reverse(LIST))
    assert "Bánh phồng tôm" in _page(third) and "Kẹo dừa sáp" not in _page(third)
    assert recomputed == computed


def test_a_write_to_a_table_the_page_did_not_read_keeps_it(cached, world):
    DossierFactory(producer=world.producer)
    cached.force_login(world.officer)
    cached.get(reverse(LIST))
    OrganisationFactory(unit=world.province)  # departments that receive reports: nothing of the dossier list
    assert _get(cached, reverse(LIST))[1] == 1


def test_each_user_has_their_own_page(cached, world):
    DossierFactory(producer=world.producer, product_name="Hồ sơ của xã Chợ Lách")
    cached.force_login(world.officer)
    assert "Hồ sơ của xã Chợ Lách" in _page(cached.get(reverse(LIST)))
    cached.force_login(world.other_officer)  # the same address, another commune
    assert "Hồ sơ của xã Chợ Lách" not in _page(cached.get(reverse(LIST)))


def test_a_role_that_ends_closes_the_cached_page(cached, world):
    dossier = DossierFactory(producer=world.producer)
    cached.force_login(world.officer)
    url = reverse("registrations:dossier_detail", args=[dossier.pk])
    assert cached.get(url).status_code == 200
    world.officer.role_assignments.all().delete()
    assert cached.get(url).status_code == 404


def test_the_form_token_of_a_cached_page_is_the_requests_own_and_is_accepted(world):
    DossierFactory(producer=world.producer)
    cached = Client(enforce_csrf_checks=True)
    cached.force_login(world.officer)
    cached.get(reverse(LIST))
    response, answered = _get(cached, reverse(LIST))
    assert answered == 1  # from the cache
    page = response.content.decode()
    assert PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page).group(1)
    assert f'"X-CSRFToken": "{token}"' in page
    assert cached.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" not in cached.session


def test_a_message_waiting_is_shown_once_even_on_a_page_in_the_cache(cached, world):
    dossier = DossierFactory(producer=world.producer)
    cached.force_login(world.officer)
    url = reverse("registrations:dossier_detail", args=[dossier.pk])
    cached.get(url)
    cached.post(reverse("registrations:dossier_transition", args=[dossier.pk, "submitted"]),
                {"received_on": "không phải ngày"})  # refused: nothing written, a message left
    shown = _page(cached.get(url))
    assert 'role="alert"' in shown or "alert-danger" in shown
    again = _page(cached.get(url))
    assert "alert-danger" not in again


def test_the_api_list_is_cached_per_token_user(world):
    DossierFactory(producer=world.producer, product_name="Hồ sơ của xã Chợ Lách")
    mine, theirs = Token.objects.create(user=world.officer), Token.objects.create(user=world.other_officer)
    url = reverse("registrations:api-dossier-list")
    first = Client().get(url, HTTP_AUTHORIZATION=f"Token {mine.key}").json()
    again = Client().get(url, HTTP_AUTHORIZATION=f"Token {mine.key}").json()
    other = Client().get(url, HTTP_AUTHORIZATION=f"Token {theirs.key}").json()
    assert [d["product_name"] for d in first["results"]] == ["Hồ sơ của xã Chợ Lách"] and again == first
    assert other["results"] == []
    anonymous = Client().get(url)
    assert anonymous.status_code in (401, 403)


def test_a_producer_renamed_shows_on_the_list_of_its_dossiers(cached, world):
    DossierFactory(producer=world.producer)
    cached.force_login(world.province_staff)
    url = reverse("registrations:producer_list")
    assert world.producer.name in _page(cached.get(url))
    Producer.objects.filter(pk=world.producer.pk).update(name="HTX Dừa Sáp Cầu Kè")
    assert "HTX Dừa Sáp Cầu Kè" in _page(cached.get(url))


def test_a_hard_reload_computes_the_page_afresh(cached, world):
    DossierFactory(producer=world.producer)
    cached.force_login(world.officer)
    first, computed = _get(cached, reverse(LIST))
    with CaptureQueriesContext(connection) as queries:
        reloaded = cached.get(reverse(LIST), headers={"Cache-Control": "no-cache"})
    assert len(queries) == computed and _page(reloaded) == _page(first)


def test_while_migrating_no_write_queues_a_bump_and_every_version_moves_after(world):
    """`migrate` suspends the triggers (a migration may write rows and then index the same table in one
    transaction: PostgreSQL refuses that with trigger events pending) and moves every version afterwards."""
    dossier = DossierFactory(producer=world.producer)
    before = versions.current()
    versions.suspend()
    try:
        Dossier.objects.filter(pk=dossier.pk).update(product_name="Bánh phồng tôm")
        if connection.vendor == "postgresql":
            assert versions.current() == before
    finally:
        versions.resume()
    after = versions.current()
    assert all(after[table] != v for table, v in before.items())


def test_a_changed_template_or_module_is_another_release(tmp_path):
    """Every cache key holds the release: pages of the old templates never answer after an upgrade."""
    import os

    from ocop_portal.pagecache import tree_digest

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>cũ</p>")
    (tmp_path / "views.py").write_text("x = 1\n")
    (tmp_path / "var").mkdir()
    before = tree_digest(tmp_path)
    (tmp_path / "var" / "db.sqlite3.html").write_text("data, not code")  # var/ is not part of a release
    assert tree_digest(tmp_path) == before
    page.write_text("<p>mới</p>")
    os.utime(page, ns=(1, 1))
    assert tree_digest(tmp_path) != before
