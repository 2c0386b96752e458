import datetime
import unicodedata

import pytest
from django.urls import reverse

from registrations.models import Dossier
from registrations.selectors import dossier_list, revision_diff, support_step_counts
from registrations.services import dossier_transition
from tests.registrations.factories import BusinessPlanFactory, DossierFactory, ProducerFactory, ProductIdeaFactory


def test_dossier_list_overdue_filter_counts_only_commune_stages(world):
    late = world.complete_dossier(product_name="Trễ hạn")
    dossier_transition(dossier=late, to="submitted", by=world.officer)
    Dossier.objects.filter(pk=late.pk).update(commune_due_on=datetime.date(2026, 1, 5))
    DossierFactory(producer=world.producer, product_name="Nháp")
    dossiers, _ = dossier_list(user=world.province_staff, filters={"overdue": "true"})
    assert [d.product_name for d in dossiers] == ["Trễ hạn"]


def test_old_communes_merged_into_the_officers_commune_stay_visible(world):
    from tests.factories import CommuneFactory
    from units.models import UnitLineage

    old = CommuneFactory(parent=world.province, name="Xã Hòa Nghĩa (cũ)", valid_from=datetime.date(2008, 1, 1), valid_to=datetime.date(2025, 6, 30))
    UnitLineage.objects.create(old=old, new=world.commune, effective_on=datetime.date(2025, 7, 1))
    legacy = DossierFactory(producer=ProducerFactory(commune=old), product_name="Hồ sơ xã cũ")
    dossiers, _ = dossier_list(user=world.officer, filters={})
    assert legacy in list(dossiers)


def test_revision_diff_names_changed_fields_and_files(world):
    dossier = world.complete_dossier()
    first = dossier.revisions.get()
    from registrations.services import _new_revision

    second = _new_revision(dossier, world.officer)
    second.markets = "Sàn Tiki"
    second.save()
    second.evidence_files.filter(kind="quality_declaration").delete()
    diff = revision_diff(first, second)
    assert [(f["name"], f["old"], f["new"]) for f in diff["fields"]] == [("markets", "", "Sàn Tiki")]
    assert [e.original_name for e in diff["removed"]] == ["cong-bo.pdf"] and diff["added"] == []


def test_support_steps_are_counted_by_status_for_the_province(world):
    ProductIdeaFactory(producer=world.producer, status="approved")
    ProductIdeaFactory(producer=world.producer, status="registered")
    ProductIdeaFactory(producer=ProducerFactory(commune=world.far_commune), status="approved")
    BusinessPlanFactory(producer=world.producer, status="implementing")
    counts = support_step_counts(user=world.province_staff, year=2026)
    assert counts == {"ideas": {"approved": 1, "registered": 1}, "plans": {"implementing": 1}}


# --- search with or without diacritics, on whichever database the suite runs (PostgreSQL or SQLite) ---------
@pytest.fixture
def searchable(world):
    """Two dossiers of the world's producer (HTX Dừa Xiêm Chợ Lách), one of another producer with "Đ"."""
    pomelo = DossierFactory(producer=world.producer, product_name="Bưởi da xanh Chợ Lách")
    candy = DossierFactory(producer=world.producer, product_name="Kẹo dừa sáp")
    sugar_maker = ProducerFactory(commune=world.commune, name="Cơ sở Đường phèn Đông Hải", tax_code="1300777888")
    sugar = DossierFactory(producer=sugar_maker, product_name="Đường phèn")
    return {"pomelo": pomelo, "candy": candy, "sugar": sugar, "sugar_maker": sugar_maker}


def _found(client, url_name, query):
    response = client.get(reverse(url_name), {"q": query})
    assert response.status_code == 200
    if url_name.startswith("registrations:api-"):
        return sorted(row["id"] for row in response.json()["results"])
    return sorted(row.pk for row in response.context["page"].object_list)


DOSSIER_QUERIES = [
    # (with diacritics, without, and how people also type it) → the dossiers found
    (("Bưởi da xanh", "Buoi da xanh", "buoi", "BƯỞI", "xanh buoi"), ["pomelo"]),
    (("Dừa Xiêm", "dua xiem", "DUA XIEM"), ["pomelo", "candy"]),  # the producer's name
    (("Đường phèn", "duong phen", "đuong phen", "Dong Hai"), ["sugar"]),
    (("chợ lách bưởi", "cho lach buoi"), ["pomelo"]),  # words of the producer's and of the product's name
    (("1300777888",), ["sugar"]),  # the producer's tax code
    (("bưởi đường", "sầu riêng"), []),
]


@pytest.mark.parametrize("url_name", ["registrations:dossier_list", "registrations:api-dossier-list"])
def test_dossier_search_finds_the_same_with_or_without_diacritics(client, world, searchable, url_name):
    client.force_login(world.province_staff)
    for queries, names in DOSSIER_QUERIES:
        expected = sorted(searchable[name].pk for name in names)
        for query in (*queries, unicodedata.normalize("NFD", queries[0])):
            assert (query, _found(client, url_name, query)) == (query, expected)


@pytest.mark.parametrize("url_name", ["registrations:producer_list", "registrations:api-producer-list"])
def test_producer_search_finds_the_same_with_or_without_diacritics(client, world, searchable, url_name):
    client.force_login(world.province_staff)
    sugar_maker = searchable["sugar_maker"].pk
    for query, expected in [("Đường phèn", [sugar_maker]), ("duong phen", [sugar_maker]), ("DONG hai", [sugar_maker]),
                            ("dừa xiêm", [world.producer.pk]), ("Dua Xiem Cho Lach", [world.producer.pk]),
                            ("1300123456", [world.producer.pk]), ("co so htx", [])]:
        assert (query, _found(client, url_name, query)) == (query, expected)


def test_search_keeps_the_scope_of_the_user(client, world, searchable):
    """A producer elsewhere whose product matches stays out of the officer's list."""
    far = DossierFactory(producer=ProducerFactory(commune=world.far_commune), product_name="Bưởi Năm Roi")
    dossiers, _ = dossier_list(user=world.officer, filters={"q": "buoi"})
    assert [d.pk for d in dossiers] == [searchable["pomelo"].pk]
    dossiers, _ = dossier_list(user=world.other_province_staff, filters={"q": "buoi"})
    assert [d.pk for d in dossiers] == [far.pk]
