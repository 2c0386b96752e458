"""Factories for products: closed rounds with frozen results, decisions (through the services), certificates."""
import datetime
import itertools
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from evaluations.enums import RoundPhase
from evaluations.models import AuthorityRule, Result
from products.enums import DecisionStatus, InspectionConclusion, InspectionKind
from products.models import Decision, Inspection
from registrations.enums import DossierKind, DossierStatus
from tests.evaluations.factories import RoundFactory, legal_document, small_rubric
from tests.factories import CommuneFactory, ProvinceFactory
from tests.registrations.factories import DossierFactory
from units.enums import Kind, Level
from units.models import AdministrativeUnit

_numbers = itertools.count(1)
MEANS = {3: Decimal("62.5000"), 4: Decimal("78.2500"), 5: Decimal("92.0000"), 2: Decimal("41.0000")}


def authority_rules() -> None:
    """The authority table seeded by evaluations' migration (re-seeded after a flushed transactional test)."""
    if not AuthorityRule.objects.exists():
        legal_document()


def province_with_committee(valid_from=datetime.date(2025, 7, 1), **kwargs):
    province = ProvinceFactory(**kwargs)
    Organisation.objects.create(kind=OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, unit=province,
                                name=f"Ủy ban nhân dân {province.name[:1].lower()}{province.name[1:]}", valid_from=valid_from)
    return province


def ministry():
    return Organisation.objects.get_or_create(kind=OrganisationKind.MINISTRY, unit=None,
                                              defaults={"name": "Bộ Nông nghiệp và Môi trường",
                                                        "valid_from": datetime.date(2025, 3, 1)})[0]


def closed_round(province, stars, *, closed_at=None, commune=None, kind=DossierKind.FIRST, previous_certificate="",
                 producer=None, product_names=None):
    """A closed round of `province` with one frozen result per star (5★ are proposed to the ministry)."""
    authority_rules()
    round_ = RoundFactory(council__province=province, phase=RoundPhase.CLOSED,
                          closed_at=closed_at or timezone.now() - datetime.timedelta(days=1))
    rubric = None
    commune = commune or CommuneFactory(parent=province)
    for i, star in enumerate(stars):
        extra = {"producer": producer} if producer is not None else {"producer__commune": commune}
        name = product_names[i] if product_names else f"Bánh phồng sữa Sơn Đốc số {next(_numbers)}"
        dossier = DossierFactory(
            kind=kind, product_name=name, previous_certificate=previous_certificate,
            status=DossierStatus.RECOMMENDED if star >= 3 else DossierStatus.NOT_RECOGNISED,
            registration_number=f"{next(_numbers):04d}/PĐK-{province.code}-{commune.code}-2026", **extra)
        rubric = rubric or small_rubric(dossier.product_set)
        Result.objects.create(round=round_, dossier=dossier, rubric=rubric, mean=MEANS[star], band_star=star,
                              minima_star=star, final_star=star, quorum_met=True, counted=4,
                              reasons=[f"Điểm trung bình đạt hạng {star} sao"], frozen_at=round_.closed_at,
                              for_ministry=star == 5)
    return round_


def published_decision(round_, staff, *, decided_on=None, number=None, level="province"):
    from products import services

    decision = services.decision_create_from_round(round_=round_, by=staff, level=level)
    services.decision_transition(decision=decision, to=DecisionStatus.RECORDED, by=staff,
                                 number=number or f"{next(_numbers)}/QĐ-UBND",
                                 decided_on=decided_on or timezone.localdate(), signer_name="Nguyễn Văn Hưng",
                                 signer_title="KT. CHỦ TỊCH — PHÓ CHỦ TỊCH")
    services.decision_transition(decision=decision, to=DecisionStatus.PUBLISHED, by=staff)
    return Decision.objects.get(pk=decision.pk)


def legacy_setup():
    """Tỉnh Vĩnh Long today; old Bến Tre, Huyện Chợ Lách and one of its communes, ended on 30/06/2025, with the
    district People's Committee as named then."""
    new_province = province_with_committee(code="86", name="Tỉnh Vĩnh Long")
    old_province = AdministrativeUnit.objects.create(code="83", name="Tỉnh Bến Tre", level=Level.PROVINCE,
                                                     kind=Kind.PROVINCE, valid_to=datetime.date(2025, 6, 30),
                                                     current_province=new_province)
    district = AdministrativeUnit.objects.create(code="834", name="Huyện Chợ Lách", level=Level.DISTRICT,
                                                 kind=Kind.RURAL_DISTRICT, parent=old_province, province=old_province,
                                                 current_province=new_province, valid_to=datetime.date(2025, 6, 30))
    old_commune = AdministrativeUnit.objects.create(code="28870", name="Xã Sơn Định", level=Level.COMMUNE,
                                                    kind=Kind.COMMUNE, parent=district, province=old_province,
                                                    current_province=new_province, valid_to=datetime.date(2025, 6, 30))
    Organisation.objects.create(kind=OrganisationKind.DISTRICT_PEOPLES_COMMITTEE, unit=district,
                                name="Ủy ban nhân dân huyện Chợ Lách", valid_to=datetime.date(2025, 6, 30))
    return new_province, district, old_commune


class InspectionFactory(DjangoModelFactory):
    class Meta:
        model = Inspection

    kind = InspectionKind.PERIODIC
    inspected_on = factory.LazyFunction(timezone.localdate)
    inspectors = "Đoàn kiểm tra Sở NN&MT"
    conclusion = InspectionConclusion.MAINTAINED
    findings = "Duy trì đạt tiêu chí."
