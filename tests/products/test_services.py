import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from accounts.enums import OrganisationKind, Role
from accounts.models import Organisation
from activity.models import OutboxMessage
from evaluations.enums import RecognisingLevel
from evaluations.models import Result
from products import services
from products.enums import CertificateStatus, DecisionStatus, InspectionConclusion, RevocationGround
from products.models import Certificate, Decision, Product, ProductCounter
from registrations.enums import DossierKind
from tests.factories import CommuneFactory, user_with_role
from tests.registrations.factories import ProducerFactory, ProductSetFactory

from .factories import closed_round, legacy_setup, ministry, province_with_committee, published_decision

D = datetime.date


# --- validity and derived states ------------------------------------------------------------------
@pytest.mark.parametrize("issued, until", [
    (D(2026, 6, 16), D(2029, 6, 16)),
    (D(2028, 2, 29), D(2031, 2, 28)),
    (D(2026, 8, 31), D(2029, 8, 31)),
    (D(2025, 6, 16), D(2028, 6, 16)),
])
def test_validity_is_36_months_from_the_decision_date(issued, until):
    assert services.validity_end(issued) == until


def _certificate(valid_until, status=CertificateStatus.ACTIVE):
    return Certificate(valid_until=valid_until, issued_on=valid_until - datetime.timedelta(days=1096), status=status)


def test_renewal_window_opens_180_and_closes_120_days_before_expiry():
    cert = _certificate(D(2027, 6, 30))
    assert cert.renewal_opens_on == D(2027, 1, 1)
    assert cert.renewal_closes_on == D(2027, 3, 2)
    assert [cert.in_renewal_window(d) for d in (D(2026, 12, 31), D(2027, 1, 1), D(2027, 3, 2), D(2027, 3, 3))] == [
        False, True, True, False]


def test_expiring_and_expired_are_derived_from_the_dates():
    cert = _certificate(D(2027, 6, 30))
    assert cert.public_state(D(2026, 12, 31)) == "active"
    assert cert.public_state(D(2027, 1, 1)) == "expiring"
    assert cert.public_state(D(2027, 6, 30)) == "expiring"
    assert cert.public_state(D(2027, 7, 1)) == "expired"
    assert _certificate(D(2027, 6, 30), CertificateStatus.REVOKED).public_state(D(2027, 1, 1)) == "revoked"


# --- decisions ------------------------------------------------------------------------------------
def test_draft_from_round_lists_3_and_4_star_results_only(setup):
    closed = closed_round(setup.province, [4, 2, 3, 5], commune=setup.commune)
    decision = services.decision_create_from_round(round_=closed, by=setup.staff)
    assert decision.status == DecisionStatus.DRAFT
    assert sorted(decision.items.values_list("star", flat=True)) == [3, 4]


def test_a_five_star_result_cannot_go_in_a_provincial_decision(setup):
    only_five = closed_round(setup.province, [5], commune=setup.commune)
    with pytest.raises(services.ProductsError) as exc:
        services.decision_create_from_round(round_=only_five, by=setup.staff)
    assert "không còn sản phẩm nào đủ điều kiện" in exc.value.messages[0]
    decision = services.decision_create_from_round(round_=setup.round, by=setup.staff)
    decision.items.update(star=5)
    with pytest.raises(services.ProductsError) as exc:
        services.decision_transition(decision=decision, to=DecisionStatus.RECORDED, by=setup.staff, number="1/QĐ-UBND",
                                     decided_on=timezone.localdate(), signer_name="Nguyễn Văn Hưng", signer_title="")
    assert "không thuộc thẩm quyền công nhận của UBND cấp tỉnh" in exc.value.messages[0]


def test_five_star_only_from_a_recorded_central_result_and_a_lower_one_falls_back(setup):
    ministry()
    round_ = closed_round(setup.province, [5, 5], commune=setup.commune)
    first, second = Result.objects.filter(round=round_).order_by("pk")
    assert services.eligible_results(round_=round_, level=RecognisingLevel.MINISTRY) == []
    Result.objects.filter(pk=first.pk).update(central_mean=93, central_star=5, central_recorded_at=timezone.now())
    Result.objects.filter(pk=second.pk).update(central_mean=86, central_star=4, central_recorded_at=timezone.now())
    national = published_decision(round_, setup.staff, level=RecognisingLevel.MINISTRY, number="88/QĐ-BNNMT")
    assert national.issuer_name == "Bộ Nông nghiệp và Môi trường"
    assert list(national.items.values_list("result_id", "star")) == [(first.pk, 5)]
    provincial = published_decision(round_, setup.staff)
    assert list(provincial.items.values_list("result_id", "star")) == [(second.pk, 4)]


def test_recording_names_the_issuer_as_it_was_on_the_decision_date(setup):
    Organisation.objects.filter(unit=setup.province).update(valid_to=D(2026, 9, 30))
    Organisation.objects.create(kind=OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, unit=setup.province,
                                name="Ủy ban nhân dân tỉnh Tên Mới", valid_from=D(2026, 10, 1))
    round_ = closed_round(setup.province, [4], closed_at=timezone.make_aware(datetime.datetime(2026, 9, 1)))
    old = published_decision(round_, setup.staff, decided_on=D(2026, 9, 15))
    assert old.issuer_name == Organisation.objects.get(unit=setup.province, valid_to=D(2026, 9, 30)).name
    assert old.certificates.get().valid_until == D(2029, 9, 15)


def test_illegal_transition_is_refused_and_publishing_twice_issues_one_certificate_per_item(setup):
    decision = services.decision_create_from_round(round_=setup.round, by=setup.staff)
    with pytest.raises(services.ProductsError):
        services.decision_transition(decision=decision, to=DecisionStatus.PUBLISHED, by=setup.staff)
    decision = Decision.objects.get(round=setup.round)
    services.decision_transition(decision=decision, to=DecisionStatus.RECORDED, by=setup.staff, number="15/QĐ-UBND",
                                 decided_on=timezone.localdate(), signer_name="Nguyễn Văn Hưng", signer_title="")
    services.decision_transition(decision=decision, to=DecisionStatus.PUBLISHED, by=setup.staff)
    with pytest.raises(services.ProductsError):
        services.decision_transition(decision=decision, to=DecisionStatus.PUBLISHED, by=setup.staff)
    assert len(services.decision_certificates_issue(decision=decision)) == 0
    from products.tasks import decision_certificates_issue

    assert decision_certificates_issue.delay(decision_id=decision.pk).get() == 0
    assert Certificate.objects.filter(decision=decision).count() == 2
    assert sorted(Certificate.objects.values_list("star", flat=True)) == [3, 4]


def test_publishing_assigns_official_codes_and_notifies_producers_and_commune_officers(setup):
    owner = user_with_role(Role.PRODUCER, setup.commune)
    producer = Result.objects.filter(round=setup.round).first().dossier.producer
    producer.accounts.add(owner)
    decision = published_decision(setup.round, setup.staff, number="1234/QĐ-UBND")
    year = decision.decided_on.year
    codes = sorted(Product.objects.values_list("code", flat=True))
    assert codes == [f"{setup.province.code}-{setup.commune.code}-{n}-{year}" for n in (1, 2)]
    cert = Certificate.objects.get(product__producer=producer)
    assert cert.issued_on == decision.decided_on
    assert cert.valid_until == services.validity_end(decision.decided_on)
    assert len(cert.verify_code) >= 20 and not cert.verify_code.isdigit()
    recipients = set(OutboxMessage.objects.filter(event="decision_published").values_list("recipient__username", flat=True))
    assert recipients == {owner.username, setup.officer.username}
    body = OutboxMessage.objects.filter(event="decision_published", recipient=owner).get().subject
    assert body == "Công bố quyết định công nhận sản phẩm OCOP số 1234/QĐ-UBND"


def test_a_producer_account_whose_role_ended_is_not_told_of_the_decision(setup):
    import datetime

    from django.utils import timezone

    from accounts.models import RoleAssignment

    producer = Result.objects.filter(round=setup.round).first().dossier.producer
    owner = user_with_role(Role.PRODUCER, producer.commune, username="chuthe.conhan")
    former = user_with_role(Role.PRODUCER, producer.commune, username="chuthe.dathoi")
    RoleAssignment.objects.filter(user=former).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    producer.accounts.add(owner, former)

    published_decision(setup.round, setup.staff, number="1235/QĐ-UBND")

    recipients = set(OutboxMessage.objects.filter(event="decision_published").values_list("recipient__username", flat=True))
    assert recipients == {"chuthe.conhan", setup.officer.username}


def test_upgrade_supersedes_the_active_certificate_and_keeps_it(setup):
    published_decision(setup.round, setup.staff)
    old = Certificate.objects.get(star=3)
    upgrade_round = closed_round(setup.province, [4], commune=setup.commune, kind=DossierKind.UPGRADE,
                                 previous_certificate=old.number, producer=old.product.producer,
                                 product_names=[old.product.name])
    published_decision(upgrade_round, setup.staff)
    old.refresh_from_db()
    new = Certificate.objects.get(supersedes=old)
    assert (old.status, new.status, new.star, new.product_id) == ("superseded", "active", 4, old.product_id)
    assert old.ended_on == new.issued_on
    assert Product.objects.count() == 2


def test_decision_number_is_unique_per_issuer(setup):
    published_decision(setup.round, setup.staff, number="77/QĐ-UBND")
    round_ = closed_round(setup.province, [3])
    decision = services.decision_create_from_round(round_=round_, by=setup.staff)
    with pytest.raises(services.ProductsError) as exc:
        services.decision_transition(decision=decision, to=DecisionStatus.RECORDED, by=setup.staff, number="77/QĐ-UBND",
                                     decided_on=timezone.localdate(), signer_name="A", signer_title="")
    assert "đã được dùng" in exc.value.messages[0]


def test_staff_of_another_province_cannot_create_a_decision(setup):
    stranger = user_with_role(Role.PROVINCE_STAFF, province_with_committee())
    with pytest.raises(services.ProductsError):
        services.decision_create_from_round(round_=setup.round, by=stranger)
    assert Decision.objects.count() == 0


# --- codes under concurrency ----------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_product_codes_are_unique_and_gap_free():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    province = province_with_committee()
    commune = CommuneFactory(parent=province)
    producer = ProducerFactory(commune=commune)
    product_set = ProductSetFactory()
    codes, errors = [], []
    barrier = threading.Barrier(20)

    def issue(n):
        from django.db import connections

        try:
            barrier.wait()
            codes.append(services.product_create(producer=producer, product_set=product_set, name=f"Sản phẩm {n}",
                                                 commune=commune, year=2026).code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(int(c.split("-")[2]) for c in codes) == list(range(1, 21))
    assert ProductCounter.objects.get(unit=province, year=2026, kind="product").last_value == 20


def test_a_rolled_back_issue_gives_its_number_back(setup):
    from django.db import transaction

    producer, product_set = ProducerFactory(commune=setup.commune), ProductSetFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.product_create(producer=producer, product_set=product_set, name="A", commune=setup.commune, year=2026)
        raise RuntimeError
    product = services.product_create(producer=producer, product_set=product_set, name="B", commune=setup.commune,
                                      year=2026)
    assert product.code == f"{setup.province.code}-{setup.commune.code}-1-2026"


# --- expiry, revocation, inspection ---------------------------------------------------------------
def test_expiry_marks_only_certificates_past_validity(setup):
    published_decision(setup.round, setup.staff)
    first, second = Certificate.objects.order_by("pk")
    today = timezone.localdate()
    Certificate.objects.filter(pk=first.pk).update(issued_on=D(2023, 1, 1), valid_until=today - datetime.timedelta(days=1))
    Certificate.objects.filter(pk=second.pk).update(issued_on=D(2023, 1, 1), valid_until=today)
    from products.tasks import certificates_expire_daily

    assert certificates_expire_daily.delay().get() == {"expired": 1, "notified": 1}
    assert services.certificates_expire() == 0
    assert dict(Certificate.objects.values_list("pk", "status")) == {first.pk: "expired", second.pk: "active"}


def test_revocation_finding_starts_a_15_day_clock_then_the_decision_revokes(setup):
    published_decision(setup.round, setup.staff)
    cert = Certificate.objects.get(star=4)
    finding = timezone.localdate() - datetime.timedelta(days=20)
    revocation = services.certificate_revoke(certificate=cert, ground=RevocationGround.MARK_MISUSE, by=setup.staff,
                                             finding_on=finding)
    assert revocation.due_on == finding + datetime.timedelta(days=15)
    assert revocation.is_overdue() is True
    cert.refresh_from_db()
    assert cert.status == "active"
    services.certificate_revoke(certificate=cert, ground=RevocationGround.MARK_MISUSE, by=setup.staff, finding_on=finding,
                                decision_number="99/QĐ-UBND", decided_on=timezone.localdate())
    cert.refresh_from_db()
    assert (cert.status, cert.ended_on) == ("revoked", timezone.localdate())
    assert OutboxMessage.objects.filter(event="certificate_revoked", recipient=setup.officer).count() == 1
    with pytest.raises(services.ProductsError):
        services.certificate_revoke(certificate=cert, ground=RevocationGround.OTHER_AUTHORITY, by=setup.staff,
                                    finding_on=finding, decision_number="100/QĐ-UBND", decided_on=timezone.localdate())


def test_six_revocation_grounds():
    assert [g[:1] for g in RevocationGround.values] == ["a", "b", "c", "d", "e", "f"]


def test_inspection_not_meeting_criteria_opens_a_revocation_on_ground_b(setup):
    published_decision(setup.round, setup.staff)
    cert = Certificate.objects.get(star=3)
    inspection = services.inspection_record(certificate=cert, kind="ad_hoc", inspected_on=timezone.localdate(),
                                            inspectors="Đoàn liên ngành", conclusion=InspectionConclusion.NOT_MET,
                                            findings="Không còn công bố chất lượng.", by=setup.staff)
    revocation = cert.revocation
    assert (revocation.ground, revocation.inspection_id, revocation.decided_on) == (
        RevocationGround.CRITERIA_NOT_MET, inspection.pk, None)


def test_commune_officer_cannot_revoke(setup):
    published_decision(setup.round, setup.staff)
    with pytest.raises(services.ProductsError):
        services.certificate_revoke(certificate=Certificate.objects.first(), ground=RevocationGround.FALSE_INFORMATION,
                                    by=setup.officer, finding_on=timezone.localdate())


# --- legacy ---------------------------------------------------------------------------------------
def record_legacy(district, old_commune, **kwargs):
    kwargs = {"star": 3, "level": RecognisingLevel.DISTRICT, "decided_on": D(2023, 12, 15),
              "certificate_number": "12/2023/GCN-OCOP-CL", **kwargs}
    return services.legacy_certificate_record(
        producer=ProducerFactory(commune=old_commune), product_set=ProductSetFactory(),
        product_name="Kẹo dừa truyền thống Thanh Long", product_code="83-834-28870-1-2023", commune=old_commune,
        issuing_unit=district, decision_number="2871/QĐ-UBND", signer_name="Trần Văn Bình", **kwargs)


def test_a_2023_legacy_certificate_shows_the_district_issuer_and_is_valid_into_2026(db):
    from .factories import authority_rules

    authority_rules()
    province, district, old_commune = legacy_setup()
    cert = record_legacy(district, old_commune)
    assert cert.decision.issuer_name == "Ủy ban nhân dân huyện Chợ Lách"
    assert (cert.issued_on, cert.valid_until, cert.status) == (D(2023, 12, 15), D(2026, 12, 15), "active")
    assert cert.product.province == province
    assert record_legacy(district, old_commune).pk == cert.pk  # idempotent on the certificate number
    # Its renewal now goes to the province (26/2026: the district level is gone).
    assert services.renewal_authority(cert).name == "Ủy ban nhân dân tỉnh Vĩnh Long"


def test_a_legacy_3_star_of_2026_cannot_be_the_district_s(db):
    from .factories import authority_rules

    authority_rules()
    _, district, old_commune = legacy_setup()
    with pytest.raises(services.ProductsError) as exc:
        record_legacy(district, old_commune, decided_on=D(2025, 8, 1))
    assert "UBND cấp huyện" in exc.value.messages[0]


def test_a_legacy_certificate_entered_after_its_end_is_expired(db):
    from .factories import authority_rules

    authority_rules()
    _, district, old_commune = legacy_setup()
    cert = record_legacy(district, old_commune, decided_on=D(2023, 3, 1))
    assert (cert.valid_until, cert.status, cert.ended_on) == (D(2026, 3, 1), "expired", D(2026, 3, 1))


def test_a_2018_legacy_certificate_of_the_490_programme_is_the_province_s(db):
    """From 7 May 2018 (490/QĐ-TTg) until 1048 took effect (21/08/2019) the province recognised 3★ and 4★."""
    from .factories import authority_rules

    authority_rules()
    _, district, old_commune = legacy_setup()
    old_province = district.province
    Organisation.objects.create(kind=OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, unit=old_province,
                                name="Ủy ban nhân dân tỉnh Bến Tre", valid_to=D(2025, 6, 30))
    assert [services.authority_level(star=s, day=D(2018, 11, 20)) for s in (3, 4, 5)] == [
        "province", "province", "ministry"]
    assert services.authority_level(star=3, day=D(2018, 5, 6)) is None  # before the programme
    assert services.authority_level(star=3, day=D(2019, 8, 20)) == "province"
    with pytest.raises(services.ProductsError):  # no district recognised under 490
        record_legacy(district, old_commune, decided_on=D(2018, 11, 20))
    cert = record_legacy(old_province, old_commune, level=RecognisingLevel.PROVINCE, star=4,
                         decided_on=D(2018, 11, 20))
    assert (cert.decision.issuer_name, cert.star, cert.issued_on, cert.valid_until, cert.status) == (
        "Ủy ban nhân dân tỉnh Bến Tre", 4, D(2018, 11, 20), D(2021, 11, 20), "expired")
    with pytest.raises(services.ProductsError):  # nothing before 7 May 2018
        record_legacy(old_province, old_commune, level=RecognisingLevel.PROVINCE, decided_on=D(2018, 3, 1),
                      certificate_number="1/2018/GCN-OCOP")


def test_publishing_moves_the_recommended_dossiers_to_recognised(setup):
    from registrations.enums import DossierStatus
    from registrations.models import Dossier

    dossier_ids = list(Result.objects.filter(round=setup.round, final_star__gte=3).values_list("dossier_id", flat=True))
    assert set(Dossier.objects.filter(pk__in=dossier_ids).values_list("status", flat=True)) == {DossierStatus.RECOMMENDED}

    published_decision(setup.round, setup.staff, number="77/QĐ-UBND")

    assert set(Dossier.objects.filter(pk__in=dossier_ids).values_list("status", flat=True)) == {DossierStatus.RECOGNISED}
    assert Dossier.objects.get(pk=dossier_ids[0]).status == "recognised"


# --- the grace: a re-evaluation filed before expiry keeps the certificate in force (issue 8, item 3) --------
def _on(day):
    """Run as if today were `day` (Django's clock, not our code, is replaced)."""
    from unittest import mock

    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    return mock.patch.object(timezone, "now", lambda: moment)


T = D(2027, 3, 31)  # the certificate's end date in the grace table


def _ending_on_t(setup):
    published_decision(setup.round, setup.staff)
    cert = Certificate.objects.select_related("product__producer").get(star=3)
    Certificate.objects.filter(pk=cert.pk).update(issued_on=D(2024, 3, 31), valid_until=T)
    cert.refresh_from_db()
    return cert


def _file_re_evaluation(cert, day):
    """The holder files a complete re-evaluation dossier naming its certificate, submitted on `day`."""
    from registrations.enums import EvidenceKind
    from registrations.services import dossier_transition
    from tests.registrations.factories import DossierFactory, EvidenceFileFactory

    dossier = DossierFactory(producer=cert.product.producer, kind=DossierKind.RE_EVALUATION,
                             previous_certificate=cert.number, product_name=cert.product.name)
    for kind in (EvidenceKind.BUSINESS_REGISTRATION, EvidenceKind.QUALITY_DECLARATION):
        EvidenceFileFactory(revision=dossier.revisions.get(), kind=kind)
    with _on(day):
        dossier_transition(dossier=dossier, to="submitted", by=None)
    return dossier


def _public_state(client, cert, day):
    with _on(day):
        from products.tasks import certificates_expire_daily

        certificates_expire_daily.delay().get()
        page = client.get(cert.get_verify_url()).content.decode()
    state = page[page.index('id="verify-state"'):]
    alert = page[page.index('role="status"'):] if 'role="status"' in page else ""
    return (Certificate.objects.get(pk=cert.pk).status, state[:state.index("</p>")],
            alert[:alert.index("</div>")] if alert else "", page)


GRACE_NOTE = "Đang đánh giá lại, còn hiệu lực đến khi có quyết định, không quá 27/09/2027."


@pytest.mark.parametrize("filed, offset, status, badge, note", [
    (True, 1, "active", "Còn hiệu lực — đang đánh giá lại", GRACE_NOTE),
    (True, 180, "active", "Còn hiệu lực — đang đánh giá lại", GRACE_NOTE),
    (True, 181, "expired", "Hết hiệu lực", "Giấy chứng nhận đã hết hiệu lực từ sau ngày 31/03/2027."),
    (False, 1, "expired", "Hết hiệu lực", "Giấy chứng nhận đã hết hiệu lực từ sau ngày 31/03/2027."),
], ids=["pending-T+1", "pending-T+180", "pending-T+181", "not-filed-T+1"])
def test_the_grace_day_by_day(client, setup, filed, offset, status, badge, note):
    cert = _ending_on_t(setup)
    if filed:
        dossier = _file_re_evaluation(cert, T - datetime.timedelta(days=130))  # inside the 180–120-day window
        cert.refresh_from_db()
        assert (cert.reevaluation_dossier_id, cert.grace_until) == (dossier.pk, D(2027, 9, 27))
    # the daily task runs every day from the end date on, as beat would
    for day in (T, T + datetime.timedelta(days=1), T + datetime.timedelta(days=offset)):
        result = _public_state(client, cert, day)
    assert result[0] == status
    assert badge in result[1]
    assert note in result[2]
    # the state and its note stand before the stars and the validity line (issue 14, item 10)
    page = result[3]
    assert page.index(note) < page.index('id="verify-stars"') < page.index("Từ ngày 31/03/2024 đến ngày 31/03/2027")


def test_a_decision_during_the_grace_supersedes_and_runs_36_months_from_itself(client, setup):
    from evaluations.enums import RoundPhase
    from registrations.enums import DossierStatus
    from registrations.models import Dossier
    from tests.evaluations.factories import RoundFactory, small_rubric

    from .factories import MEANS

    cert = _ending_on_t(setup)
    dossier = _file_re_evaluation(cert, T - datetime.timedelta(days=125))
    decided = T + datetime.timedelta(days=60)
    assert _public_state(client, cert, decided)[0] == "active"  # the expiry job left it in force

    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.RECOMMENDED, registration_number="9/PĐK-G")
    with _on(decided):
        round_ = RoundFactory(council__province=setup.province, phase=RoundPhase.CLOSED,
                              closed_at=timezone.now() - datetime.timedelta(days=3))
        Result.objects.create(round=round_, dossier=dossier, rubric=small_rubric(dossier.product_set), mean=MEANS[4],
                              band_star=4, minima_star=4, final_star=4, quorum_met=True, counted=4, reasons=[],
                              frozen_at=round_.closed_at)
        published_decision(round_, setup.staff, decided_on=decided)

    old = Certificate.objects.get(pk=cert.pk)
    new = Certificate.objects.get(supersedes=old)
    assert (old.status, old.ended_on) == ("superseded", decided)
    assert (new.status, new.star, new.product_id) == ("active", 4, old.product_id)
    assert (new.issued_on, new.valid_until) == (decided, D(2030, 5, 30))
    status, badge, note, _page = _public_state(client, old, decided + datetime.timedelta(days=1))
    assert status == "superseded" and "Đã được thay thế" in badge and new.number in note


def test_a_withdrawn_re_evaluation_ends_the_grace(setup):
    from registrations.services import dossier_transition

    cert = _ending_on_t(setup)
    dossier = _file_re_evaluation(cert, T - datetime.timedelta(days=150))
    with _on(T + datetime.timedelta(days=20)):
        services.certificates_expire()
        assert Certificate.objects.get(pk=cert.pk).status == "active"
        dossier_transition(dossier=dossier, to="withdrawn", by=None, note="Chủ thể rút hồ sơ")
    cert.refresh_from_db()
    assert (cert.status, cert.ended_on, cert.grace_until, cert.reevaluation_dossier_id) == (
        "expired", T + datetime.timedelta(days=20), None, None)


def test_a_re_evaluation_filed_after_expiry_gives_no_grace(setup):
    cert = _ending_on_t(setup)
    _file_re_evaluation(cert, T + datetime.timedelta(days=1))
    cert.refresh_from_db()
    assert (cert.grace_until, cert.reevaluation_dossier_id) == (None, None)


def test_the_database_refuses_a_grace_without_its_dossier(setup):
    from django.db import IntegrityError, transaction

    cert = _ending_on_t(setup)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=cert.pk).update(grace_until=T + datetime.timedelta(days=180))


# --- the 30-day notice (issue 8, item 4) ---------------------------------------------------------------------
def test_the_30_day_notice_goes_once_to_the_holder_and_the_commune(setup):
    from products.tasks import certificates_expire_daily

    published_decision(setup.round, setup.staff)
    cert = Certificate.objects.select_related("product__producer").get(star=3)
    other = Certificate.objects.get(star=4)
    owner = user_with_role(Role.PRODUCER, cert.product.commune)
    cert.product.producer.accounts.add(owner)
    Certificate.objects.filter(pk=cert.pk).update(issued_on=D(2024, 3, 31), valid_until=T)
    OutboxMessage.objects.all().delete()

    runs = []
    for day in (T - datetime.timedelta(days=31), T - datetime.timedelta(days=30), T - datetime.timedelta(days=30),
                T - datetime.timedelta(days=12)):
        with _on(day):
            runs.append(certificates_expire_daily.delay().get()["notified"])

    assert runs == [0, 1, 0, 0]
    sent = OutboxMessage.objects.filter(event="certificate_expiring")
    assert sorted(sent.values_list("recipient__username", flat=True)) == sorted([owner.username, setup.officer.username])
    assert set(sent.values_list("object_id", flat=True)) == {str(cert.pk)}
    assert sent.first().subject == f"Giấy chứng nhận OCOP số {cert.number} hết hạn ngày 31/03/2027"
    assert "Thời hạn nộp hồ sơ đánh giá lại là từ 02/10/2026 đến 01/12/2026" in sent.first().body
    assert Certificate.objects.get(pk=other.pk).expiry_notice_sent_at is None


# --- who revokes; who recognised on 1–5 July 2025 (issue 8, item 5) -------------------------------------------
def _five_star(setup):
    ministry()
    round_ = closed_round(setup.province, [5], commune=setup.commune)
    Result.objects.filter(round=round_).update(central_mean=93, central_star=5, central_recorded_at=timezone.now())
    published_decision(round_, setup.staff, level=RecognisingLevel.MINISTRY, number="90/QĐ-BNNMT")
    return Certificate.objects.get(star=5)


def test_province_staff_only_record_the_ministrys_revocation_of_a_5_star(setup):
    cert = _five_star(setup)
    today = timezone.localdate()
    with pytest.raises(services.ProductsError) as exc:
        services.certificate_revoke(certificate=cert, ground=RevocationGround.MARK_MISUSE, by=setup.staff,
                                    finding_on=today)
    assert exc.value.messages == [str(services.MINISTRY_REVOKES)]
    assert Certificate.objects.get(pk=cert.pk).status == "active" and not hasattr(Certificate.objects.get(pk=cert.pk), "revocation")

    revocation = services.certificate_revoke(certificate=cert, ground=RevocationGround.MARK_MISUSE, by=setup.staff,
                                             finding_on=today, decision_number="15/QĐ-BNNMT", decided_on=today)
    assert (revocation.level, revocation.issuer_name) == ("ministry", "Bộ Nông nghiệp và Môi trường")
    assert Certificate.objects.get(pk=cert.pk).status == "revoked"


def test_a_3_or_4_star_is_revoked_by_the_province(setup):
    published_decision(setup.round, setup.staff)
    cert = Certificate.objects.get(star=4)
    today = timezone.localdate()
    revocation = services.certificate_revoke(certificate=cert, ground=RevocationGround.MARK_MISUSE, by=setup.staff,
                                             finding_on=today, decision_number="16/QĐ-UBND", decided_on=today)
    assert (revocation.level, revocation.issuer_name) == ("province", Organisation.objects.get(unit=setup.province).name)


def test_the_database_refuses_a_ministry_revocation_without_its_decision(setup):
    from django.db import IntegrityError, transaction

    from products.models import Revocation

    cert = _five_star(setup)
    with pytest.raises(IntegrityError), transaction.atomic():
        Revocation.objects.create(certificate=cert, ground=RevocationGround.MARK_MISUSE, finding_on=D(2026, 9, 1),
                                  due_on=D(2026, 9, 16), level="ministry")


def test_an_inspection_failing_a_5_star_opens_no_provincial_revocation(setup):
    from products.models import Revocation

    cert = _five_star(setup)
    services.inspection_record(certificate=cert, kind="ad_hoc", inspected_on=timezone.localdate(), inspectors="Sở",
                               conclusion=InspectionConclusion.NOT_MET, findings="Không duy trì tiêu chí.", by=setup.staff)
    assert not Revocation.objects.filter(certificate=cert).exists()


@pytest.mark.parametrize("day", [D(2025, 7, d) for d in range(1, 6)], ids=str)
def test_nothing_is_recognised_by_a_district_from_1_july_2025(db, day):
    from .factories import authority_rules

    authority_rules()
    _, district, old_commune = legacy_setup()
    assert services.authority_level(star=3, day=day) == "province"
    with pytest.raises(services.ProductsError) as exc:
        record_legacy(district, old_commune, decided_on=day)
    assert "không thuộc thẩm quyền công nhận của UBND cấp huyện" in exc.value.messages[0]


def test_the_district_recognised_3_stars_until_30_june_2025(db):
    from .factories import authority_rules

    authority_rules()
    _, district, old_commune = legacy_setup()
    assert services.authority_level(star=3, day=D(2025, 6, 30)) == "district"
    assert record_legacy(district, old_commune, decided_on=D(2025, 6, 30)).decision.issuer_name == (
        "Ủy ban nhân dân huyện Chợ Lách")
