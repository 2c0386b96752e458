"""The search_text migrations fill the rows that existed before them (registrations 0007, products 0006)."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ocop_portal import versions
from products.models import Certificate, Product
from registrations.models import Dossier, Producer
from tests.factories import user_with_role
from tests.products.factories import closed_round, province_with_committee, published_decision

BEFORE = [("registrations", "0006_council_withdrawn_from"), ("products", "0005_certs_one_draft_per_round")]
AFTER = [("registrations", "0007_search_text"), ("products", "0006_search_text")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_get_their_search_text(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from accounts.enums import Role

    province = province_with_committee()
    staff = user_with_role(Role.PROVINCE_STAFF, province)
    published_decision(closed_round(province, [4], product_names=["Bưởi da xanh Chợ Lách"]), staff)
    Producer.objects.update(name="HTX Đường phèn Đông Hải")  # a write that skips save(): search_text is stale

    executor = MigrationExecutor(connection)
    versions.suspend()  # as `migrate` does (ocop_portal.apps): no data-version events pending during a migration
    try:
        executor.migrate(BEFORE)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        # Read only the columns these migrations know: later migrations add others (e.g. craft_village).
        producer = Producer.objects.values("search_text", "tax_code").get()
        dossier = Dossier.objects.values("search_text", "registration_number").get()
        product = Product.objects.values("search_text", "code").get()
        certificate = Certificate.objects.values("search_text", "number").get()
    finally:  # every later test runs against the whole schema again
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        versions.resume()
    assert producer["search_text"] == f"htx duong phen dong hai {producer['tax_code']}"
    assert dossier["search_text"] == (
        f"buoi da xanh cho lach {dossier['registration_number'].lower()}".replace("đ", "d"))
    assert product["search_text"] == f"buoi da xanh cho lach {product['code'].lower()}"
    assert certificate["search_text"] == certificate["number"].lower().replace("đ", "d")
