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


# --- the takeover: province B names province A's certificate (issue 8, item 1) ----------------------------
@pytest.fixture
def province_b(db):
    from accounts.enums import Role
    from tests.factories import CommuneFactory, user_with_role

    from .factories import province_with_committee

    province = province_with_committee()
    commune = CommuneFactory(parent=province)

    class B:
        pass

    b = B()
    b.province, b.commune = province, commune
    b.officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    b.staff = user_with_role(Role.PROVINCE_STAFF, province)
    b.producer = ProducerFactory(commune=commune)
    return b


def _untouched(cert):
    fresh = Certificate.objects.get(pk=cert.pk)
    assert (fresh.status, fresh.ended_on, fresh.product_id) == ("active", None, cert.product_id)
    assert not Certificate.objects.filter(supersedes=cert).exists()
    assert Certificate.objects.filter(product=cert.product).count() == 1


TAKEOVER_REFUSAL = "Không nhận số giấy chứng nhận"


def test_province_b_cannot_file_a_dossier_naming_province_as_certificate(client, cert, province_b):
    from registrations.models import Dossier

    client.force_login(province_b.officer)
    response = client.post(reverse("registrations:dossier_create"), {
        "producer": province_b.producer.pk, "kind": DossierKind.UPGRADE, "product_name": "Bánh phồng Sơn Đốc",
        "previous_certificate": cert.number,
    })

    assert response.status_code == 400
    assert TAKEOVER_REFUSAL in response.content.decode()
    assert Dossier.objects.filter(producer=province_b.producer).count() == 0
    _untouched(cert)


def test_a_draft_cannot_be_switched_to_name_province_as_certificate(client, cert, province_b):
    from tests.registrations.test_views import _dossier_post

    dossier = DossierFactory(producer=province_b.producer)
    client.force_login(province_b.officer)
    response = client.post(reverse("registrations:dossier_edit", args=[dossier.pk]),
                           _dossier_post(dossier, kind=DossierKind.UPGRADE, previous_certificate=cert.number))

    assert response.status_code == 400
    assert TAKEOVER_REFUSAL in response.content.decode()
    dossier.refresh_from_db()
    assert (dossier.kind, dossier.previous_certificate) == (DossierKind.FIRST, "")


def test_a_dossier_filed_before_the_check_is_refused_at_every_later_step(client, cert, province_b):
    """A dossier of B naming A's certificate that got in before the check (e.g. data from before this fix):
    forwarding, intake, the round, the decision and its publication each refuse it; A's certificate stays."""
    from evaluations.enums import RoundPhase
    from evaluations.models import RoundEntry
    from products.enums import DecisionStatus
    from products.models import Decision
    from registrations.enums import AssessmentConclusion, DossierStatus
    from tests.evaluations.factories import RoundFactory, small_rubric
    from tests.registrations.factories import CommuneAssessmentFactory

    from .factories import closed_round

    def stolen(status):
        numbered = status not in (DossierStatus.COMMUNE_REVIEW,)
        return DossierFactory(producer=province_b.producer, kind=DossierKind.UPGRADE, previous_certificate=cert.number,
                              status=status, registration_number=f"{status}/PĐK-B" if numbered else None)

    def step(user, dossier, to):
        client.force_login(user)
        page = client.post(reverse("registrations:dossier_transition", args=[dossier.pk, to]), {"confirmed": "1"},
                           follow=True)
        assert TAKEOVER_REFUSAL in page.content.decode()
        dossier.refresh_from_db()
        return dossier.status

    in_commune = stolen(DossierStatus.COMMUNE_REVIEW)
    CommuneAssessmentFactory(dossier=in_commune, conclusion=AssessmentConclusion.FORWARD)
    assert step(province_b.officer, in_commune, DossierStatus.FORWARDED) == DossierStatus.COMMUNE_REVIEW
    assert step(province_b.staff, stolen(DossierStatus.FORWARDED), DossierStatus.INTAKE) == DossierStatus.FORWARDED
    assert step(province_b.staff, stolen(DossierStatus.INTAKE), DossierStatus.ACCEPTED) == DossierStatus.INTAKE

    accepted = stolen(DossierStatus.ACCEPTED)
    small_rubric(accepted.product_set)
    round_ = RoundFactory(council__province=province_b.province, phase=RoundPhase.INTAKE)
    page = client.post(reverse("evaluations:round_place", args=[round_.pk]), {"dossier": [accepted.pk]}, follow=True)
    assert TAKEOVER_REFUSAL in page.content.decode(), [str(m) for m in page.context["messages"]]
    accepted.refresh_from_db()
    assert accepted.status == DossierStatus.ACCEPTED and not RoundEntry.objects.filter(dossier=accepted).exists()

    scored = closed_round(province_b.province, [4], commune=province_b.commune, kind=DossierKind.UPGRADE,
                          previous_certificate=cert.number, producer=province_b.producer)
    page = client.post(reverse("products:decision_create"), {"round": scored.pk, "level": "province"})
    assert page.status_code == 400 and TAKEOVER_REFUSAL in page.content.decode()
    assert not Decision.objects.filter(round=scored).exists()

    # A decision drafted and recorded before the dossier was changed to name A's certificate: publishing refuses.
    honest = closed_round(province_b.province, [4], commune=province_b.commune, producer=province_b.producer)
    from django.utils import timezone

    from products import services
    from registrations.models import Dossier

    decision = services.decision_create_from_round(round_=honest, by=province_b.staff)
    services.decision_transition(decision=decision, to=DecisionStatus.RECORDED, by=province_b.staff,
                                 number="88/QĐ-UBND", decided_on=timezone.localdate(), signer_name="Lê Văn Ba")
    Dossier.objects.filter(pk=decision.items.get().dossier_id).update(
        kind=DossierKind.UPGRADE, previous_certificate=cert.number)
    page = client.post(reverse("products:decision_transition", args=[decision.pk]),
                       {"to": DecisionStatus.PUBLISHED, "confirmed": "1"}, follow=True)
    assert TAKEOVER_REFUSAL in page.content.decode()
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.RECORDED
    assert not Certificate.objects.filter(decision=decision).exists()
    _untouched(cert)


def test_the_producers_own_certificate_of_its_province_passes_every_step(cert):
    from products.selectors import previous_certificate_refusals

    day = cert.renewal_opens_on
    dossier = _dossier(cert, DossierKind.RE_EVALUATION)
    assert previous_certificate_refusals(dossier, filing=True, day=day) == []
    assert previous_certificate_refusals(dossier, filing=False) == []
    # A revoked or replaced certificate is refused at every step, not only while filing.
    Certificate.objects.filter(pk=cert.pk).update(status="revoked")
    assert previous_certificate_refusals(dossier, filing=False) == [f"Giấy chứng nhận số {cert.number} đã thu hồi."]


# --- the panel discloses only what the viewer may see (issue 8, item 2) -----------------------------------
def test_the_panel_shows_nothing_of_a_certificate_the_viewer_may_not_see(client, cert, province_b):
    dossier = DossierFactory(producer=province_b.producer, kind=DossierKind.UPGRADE, previous_certificate=cert.number)
    client.force_login(province_b.officer)

    page = client.get(reverse("registrations:dossier_detail", args=[dossier.pk])).content.decode()
    panel = page[page.index('data-testid="previous-certificate"'):]
    panel = panel[:panel.index("</div>")]

    assert (f"Không tìm thấy giấy chứng nhận số {cert.number}, hoặc giấy chứng nhận không thuộc phạm vi của bạn."
            in panel)
    for secret in (cert.product.name, f"{cert.star}★", cert.valid_until.strftime("%d/%m/%Y"), "không phải của chủ thể",
                   cert.get_absolute_url()):
        assert secret not in panel
    # The province that issued it sees the certificate and what is wrong with the dossier.
    check = previous_certificate_check(dossier, user=cert_staff(cert))
    assert check["certificate"] == cert
    assert check["problems"][0] == f"Giấy chứng nhận số {cert.number} không phải của chủ thể này."


def cert_staff(cert):
    from accounts.enums import Role
    from tests.factories import user_with_role

    return user_with_role(Role.PROVINCE_STAFF, cert.product.province)
