"""An upgrade or re-evaluation dossier names the certificate it builds on: the dossier page tells the
commune and the province whether that certificate is known, the producer's own, still in force, and
whether the re-evaluation is filed in its window (180 to 120 days before expiry, Art. 5; ≤ 180 days past
expiry under Art. 12)."""
import datetime

import pytest
from django.urls import reverse

from products.models import Certificate
from products.selectors import previous_certificate_check
from registrations.enums import DossierKind
from tests.registrations.factories import DossierFactory, ProducerFactory

from .factories import published_decision


@pytest.fixture
def cert(setup):
    published_decision(setup.round, setup.staff)
    return Certificate.objects.select_related("product").get(star=3)


def _dossier(cert, kind, **kwargs):
    kwargs.setdefault("producer", cert.product.producer)
    return DossierFactory(kind=kind, previous_certificate=cert.number, product_name=cert.product.name, **kwargs)


def _problems(dossier, day):
    return previous_certificate_check(dossier, day)["problems"]


def test_a_first_evaluation_names_no_certificate(cert):
    assert previous_certificate_check(DossierFactory(kind=DossierKind.FIRST)) is None


@pytest.mark.parametrize("offset,expected", [
    (lambda c: c.renewal_opens_on - datetime.timedelta(days=1), "Chưa đến thời hạn nộp hồ sơ đánh giá lại"),
    (lambda c: c.renewal_opens_on, None),
    (lambda c: c.renewal_closes_on, None),
    (lambda c: c.renewal_closes_on + datetime.timedelta(days=1), "Nộp muộn so với thời hạn"),
    (lambda c: c.valid_until + datetime.timedelta(days=180), "Nộp muộn so với thời hạn"),
    (lambda c: c.valid_until + datetime.timedelta(days=181), "hết hạn quá 180 ngày"),
], ids=["day-before-window", "window-opens", "window-closes", "day-after-window", "180-days-past", "181-days-past"])
def test_a_re_evaluation_is_filed_in_its_window(cert, offset, expected):
    problems = _problems(_dossier(cert, DossierKind.RE_EVALUATION), offset(cert))
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0]


def test_an_upgrade_needs_the_producers_own_certificate_in_force_below_5_stars(cert):
    today = cert.issued_on + datetime.timedelta(days=200)
    assert _problems(_dossier(cert, DossierKind.UPGRADE), today) == []

    other = _dossier(cert, DossierKind.UPGRADE, producer=ProducerFactory(commune=cert.product.commune))
    assert _problems(other, today) == [f"Giấy chứng nhận số {cert.number} không phải của chủ thể này."]

    after_expiry = cert.valid_until + datetime.timedelta(days=1)
    assert "đã hết hiệu lực" in _problems(_dossier(cert, DossierKind.UPGRADE), after_expiry)[0]


def test_an_unknown_certificate_number_is_named(cert):
    dossier = DossierFactory(kind=DossierKind.RE_EVALUATION, previous_certificate="99/2023/GCN-OCOP-XX")
    check = previous_certificate_check(dossier)
    assert check["certificate"] is None
    assert "Không tìm thấy giấy chứng nhận số 99/2023/GCN-OCOP-XX" in check["problems"][0]


def test_the_dossier_page_shows_the_certificate_and_what_is_wrong_with_it(client, setup, cert):
    dossier = _dossier(cert, DossierKind.RE_EVALUATION)
    client.force_login(setup.staff)

    page = client.get(reverse("registrations:dossier_detail", args=[dossier.pk])).content.decode()

    assert 'data-testid="previous-certificate"' in page
    assert cert.number in page and f'href="{cert.get_absolute_url()}"' in page
    assert "Chưa đến thời hạn nộp hồ sơ đánh giá lại" in page  # issued today: the window is years away
    assert cert.renewal_opens_on.strftime("%d/%m/%Y") in page
