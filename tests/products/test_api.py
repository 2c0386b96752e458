from django.urls import reverse

from products.models import Certificate
from tests.factories import PASSWORD

from .factories import published_decision


def test_certificate_api_returns_values_and_derived_state(client, setup):
    decision = published_decision(setup.round, setup.staff, number="42/QĐ-UBND")
    assert client.login(username=setup.staff.username, password=PASSWORD)
    data = client.get(reverse("products:api-certificate-list"), {"star": 4}).json()
    cert = Certificate.objects.get(star=4)
    assert data["count"] == 1
    row = data["results"][0]
    assert (row["number"], row["star"], row["status"], row["state"], row["decision_number"]) == (
        cert.number, 4, "active", "active", "42/QĐ-UBND")
    assert row["issuer"] == decision.issuer_name
    assert row["valid_until"] == cert.valid_until.isoformat()
    assert row["verify_url"] == f"https://ocop.vinhlong.gov.vn/xac-minh/{cert.verify_code}/"
    assert row["product"]["code"] == cert.product.code


def test_product_api_lists_products_in_scope(client, setup):
    published_decision(setup.round, setup.staff)
    assert client.login(username=setup.officer.username, password=PASSWORD)
    data = client.get(reverse("products:api-product-list")).json()
    assert sorted(p["code"] for p in data["results"]) == sorted(Certificate.objects.values_list("product__code", flat=True))
