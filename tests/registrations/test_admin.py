"""The admin's search box on producers and dossiers matches with or without diacritics, like the pages."""
from django.urls import reverse

from accounts.models import User
from tests.registrations.factories import DossierFactory, ProducerFactory


def _found(client, url_name, query):
    response = client.get(reverse(url_name), {"q": query})
    assert response.status_code == 200
    return sorted(row.pk for row in response.context["cl"].result_list)


def test_admin_search_finds_producers_and_dossiers_with_or_without_diacritics(client, world):
    sugar_maker = ProducerFactory(commune=world.commune, name="Cơ sở Đường phèn Đông Hải", tax_code="1300777888")
    pomelo = DossierFactory(producer=world.producer, product_name="Bưởi da xanh")
    sugar = DossierFactory(producer=sugar_maker, product_name="Đường phèn")
    client.force_login(User.objects.create_superuser("quantri", "qt@example.vn", "x"))
    for query in ("Đường phèn", "duong phen", "DONG HAI"):
        assert (query, _found(client, "admin:registrations_producer_changelist", query)) == (query, [sugar_maker.pk])
    for query, expected in [("Bưởi da xanh", [pomelo.pk]), ("buoi", [pomelo.pk]), ("dua xiem buoi", [pomelo.pk]),
                            ("duong phen", [sugar.pk]), ("1300777888", [sugar.pk]), ("buoi duong", [])]:
        assert (query, _found(client, "admin:registrations_dossier_changelist", query)) == (query, expected)
