import pytest
from django.urls import reverse

from accounts.enums import Role
from products.models import Certificate, Decision
from tests.factories import PASSWORD, CommuneFactory, user_with_role

from .factories import closed_round, province_with_committee, published_decision


@pytest.fixture
def published(setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decision = published_decision(setup.round, setup.staff)
    return decision


def _get(client, user, url):
    assert client.login(username=user.username, password=PASSWORD)
    return client.get(url)


def _urls(decision, cert):
    return [reverse("products:certificate_detail", args=[cert.pk]), reverse("products:certificate_pdf", args=[cert.pk]),
            reverse("products:api-certificate-detail", args=[cert.pk]),
            reverse("products:api-product-detail", args=[cert.product_id])]


def test_officer_of_another_commune_gets_404_everywhere(client, setup, published):
    cert = Certificate.objects.first()
    stranger = user_with_role(Role.COMMUNE_OFFICER, CommuneFactory(parent=setup.province))
    assert [_get(client, stranger, url).status_code for url in _urls(published, cert)] == [404] * 4
    assert _get(client, stranger, reverse("products:decision_detail", args=[published.pk])).status_code == 404
    assert _get(client, stranger, reverse("products:api-certificate-list")).json()["count"] == 0


def test_staff_of_another_province_get_404_everywhere(client, setup, published):
    cert = Certificate.objects.first()
    stranger = user_with_role(Role.PROVINCE_STAFF, province_with_committee())
    assert [_get(client, stranger, url).status_code for url in _urls(published, cert)] == [404] * 4
    assert _get(client, stranger, reverse("products:decision_detail", args=[published.pk])).status_code == 404
    response = client.post(reverse("products:certificate_revoke", args=[cert.pk]), {"ground": "d_mark_misuse"})
    assert response.status_code == 404
    other_round = closed_round(setup.province, [3])
    response = client.post(reverse("products:decision_create"), {"round": other_round.pk, "level": "province"})
    assert "Chọn một kỳ đánh giá trong danh sách." in response.content.decode()
    assert Decision.objects.count() == 1


def test_commune_officer_reads_their_commune_but_cannot_manage(client, setup, published):
    cert = Certificate.objects.first()
    assert [_get(client, setup.officer, url).status_code for url in _urls(published, cert)] == [200] * 4
    assert _get(client, setup.officer, reverse("products:decision_list")).status_code == 404
    page = _get(client, setup.officer, reverse("products:certificate_detail", args=[cert.pk])).content.decode()
    assert "Thu hồi giấy chứng nhận" not in page
    assert client.post(reverse("products:certificate_revoke", args=[cert.pk]), {}).status_code == 404


def test_producer_account_sees_only_its_own(client, setup, published):
    mine, other = Certificate.objects.order_by("pk")
    owner = user_with_role(Role.PRODUCER, setup.commune)
    mine.product.producer.accounts.add(owner)
    assert _get(client, owner, reverse("products:certificate_detail", args=[mine.pk])).status_code == 200
    assert _get(client, owner, reverse("products:certificate_detail", args=[other.pk])).status_code == 404
    assert [c["id"] for c in _get(client, owner, reverse("products:api-certificate-list")).json()["results"]] == [mine.pk]


def test_anonymous_is_sent_to_login_for_private_pages(client, published):
    cert = Certificate.objects.first()
    assert client.get(reverse("products:certificate_pdf", args=[cert.pk])).status_code == 302
    api = client.get(reverse("products:api-certificate-list"))
    assert (api.status_code, api["WWW-Authenticate"]) == (401, "Token")  # the API asks for a token, never a password
    assert client.get(reverse("products:verify_pdf", args=[cert.verify_code]))["Content-Type"] == "application/pdf"
