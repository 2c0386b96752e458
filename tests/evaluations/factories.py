"""Factories for evaluations, plus `small_rubric()`: a three-criterion sheet that still totals 40/25/35."""
import datetime
import itertools
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts.enums import Role
from evaluations.enums import CouncilKind, CouncilRole, RoundPhase
from evaluations.models import (
    Council, Criterion, CriteriaGroup, KnockoutCondition, LegalDocument, Membership, Option, Part, Round, RoundEntry,
    Rubric,
)
from registrations.enums import DossierStatus
from tests.factories import CommuneFactory, ProvinceFactory, user_with_role
from tests.registrations.factories import DossierFactory, ProductSetFactory

CURRENT = "26/2026/QĐ-TTg"


def legal_document(number=CURRENT) -> LegalDocument:
    """The decision seeded by migration 0002 (re-seeded when a transactional test flushed it)."""
    if not LegalDocument.objects.filter(number=number).exists():
        from evaluations.rubric_import import legal_data_seed

        legal_data_seed()
    return LegalDocument.objects.get(number=number)


def small_rubric(product_set=None, *, number=CURRENT, split=(40, 25, 35)) -> Rubric:
    """A: 1.1 (10 · 25 ***3 · 40 *****5); B: 4.1 (5 · 15 ****4 · 25); C: 9 (5 · 20 · 35); one knock-out.

    `split` sets the part maxima (and so each part's top option): (35, 25, 40) for a 1048/2019 sheet."""
    a, b, c = split
    rubric = Rubric.objects.create(legal_document=legal_document(number), product_set=product_set or ProductSetFactory())
    spec = [
        ("A", "1", "1.1", "Nguồn gốc sản phẩm", a, [(10, None), (25, 3), (a, 5)]),
        ("B", "4", "4.1", "Khu vực phân phối chính", b, [(5, None), (15, 4), (b, None)]),
        ("C", "9", "9", "Công bố chất lượng sản phẩm", c, [(5, None), (20, None), (c, None)]),
    ]
    for position, (part_code, group_number, code, name, maximum, options) in enumerate(spec):
        part = Part.objects.create(rubric=rubric, code=part_code, heading=part_code, max_points=maximum)
        group = CriteriaGroup.objects.create(rubric=rubric, part=part, number=group_number, name=name.upper(),
                                             max_points=maximum, position=position)
        criterion = Criterion.objects.create(rubric=rubric, group=group, part_code=part_code, code=code, name=name,
                                             max_points=maximum, position=position, implicit=code == group_number)
        for i, (points, star) in enumerate(options):
            Option.objects.create(rubric=rubric, criterion=criterion, text=f"Mức {i + 1} ({points} điểm)",
                                  points=Decimal(points), min_star=star, position=i)
    KnockoutCondition.objects.create(rubric=rubric, text="Giả mạo hồ sơ hoặc không đáp ứng về hồ sơ đăng ký")
    return rubric


def option_ids(rubric: Rubric, points: dict) -> dict:
    """{"1.1": 25, ...} → {criterion id: option id} for the sheet form / services."""
    out = {}
    for code, value in points.items():
        option = Option.objects.get(rubric=rubric, criterion__code=code, points=Decimal(value))
        out[option.criterion_id] = option.pk
    return out


class CouncilFactory(DjangoModelFactory):
    class Meta:
        model = Council

    kind = CouncilKind.COUNCIL
    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    council = factory.SubFactory(CouncilFactory)
    # The role a membership needs today (evaluations.rules.MEMBERSHIP_ROLE): an advisory group's member is an
    # advisory member of the province, a council's a council member.
    user = factory.LazyAttribute(lambda o: user_with_role(
        Role.ADVISORY_MEMBER if o.council.kind == CouncilKind.ADVISORY_GROUP else Role.COUNCIL_MEMBER,
        o.council.province))
    role = CouncilRole.MEMBER


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = Round

    council = factory.SubFactory(CouncilFactory)
    province = factory.SelfAttribute("council.province")
    year = 2026
    number = factory.Sequence(lambda n: n + 1)
    opens_on = datetime.date(2026, 8, 1)
    forward_deadline = datetime.date(2026, 10, 30)
    closes_on = datetime.date(2026, 12, 30)
    phase = RoundPhase.SCORING
    legal_document = factory.LazyFunction(legal_document)
    authority_basis = CURRENT


_numbers = itertools.count(1)


def accepted_dossier(province, **kwargs):
    """A dossier the province accepted (intake complete), ready to be placed in a round."""
    commune = kwargs.pop("commune", None) or CommuneFactory(parent=province)
    kwargs.setdefault("registration_number", f"{next(_numbers):04d}/PĐK-{province.code}-{commune.code}-2026")
    return DossierFactory(producer__commune=commune, status=DossierStatus.ACCEPTED, **kwargs)


class RoundEntryFactory(DjangoModelFactory):
    class Meta:
        model = RoundEntry

    round = factory.SubFactory(RoundFactory)
    dossier = factory.LazyAttribute(lambda o: _in_round_dossier(o.round.province))
    rubric = factory.LazyAttribute(lambda o: Rubric.objects.filter(product_set=o.dossier.product_set).first()
                                   or small_rubric(o.dossier.product_set))


def _in_round_dossier(province, **kwargs):
    dossier = accepted_dossier(province, **kwargs)
    DossierFactory._meta.model.objects.filter(pk=dossier.pk).update(status=DossierStatus.IN_ROUND)
    dossier.status = DossierStatus.IN_ROUND
    return dossier
