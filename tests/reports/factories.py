"""Factories for reports, and `ReportWorld`: a small province with a legacy commune merged into a current one."""
import datetime
import itertools
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.enums import Role
from evaluations.enums import RoundPhase
from evaluations.models import Result, RoundEntry
from products.enums import CertificateStatus
from products.models import Certificate, Decision, DecisionItem, Product
from registrations.enums import (
    BEFORE_PROVINCE_STATES, BusinessPlanStatus, DossierKind, DossierStatus, Gender, IdeaStatus, ProducerKind,
)
from plans.enums import FundingSource, TargetKind
from reports.enums import RunFormat
from reports.models import ReportRun, Subscription
from tests.evaluations.factories import CouncilFactory, RoundFactory, small_rubric
from tests.factories import CommuneFactory, ProvinceFactory, UserFactory, user_with_role
from tests.registrations.factories import (
    BusinessPlanFactory, DossierFactory, ProducerFactory, ProductGroupFactory, ProductIdeaFactory, ProductSetFactory,
)
from units.enums import LEGACY_VALID_TO, Kind, Level
from units.models import AdministrativeUnit, UnitLineage


class ReportRunFactory(DjangoModelFactory):
    class Meta:
        model = ReportRun

    code = "dossier_progress"
    province = factory.SubFactory(ProvinceFactory)
    parameters = factory.LazyAttribute(lambda o: {"province": o.province.pk, "year": 2026, "period": "year",
                                                  "part": None, "round": None, "grouping": "current_commune"})
    fingerprint = factory.Sequence(lambda n: f"{n:064d}")
    format = RunFormat.XLSX
    requested_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


class SubscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Subscription

    user = factory.SubFactory(UserFactory)
    code = "dossier_progress"
    province = factory.SubFactory(ProvinceFactory)
    frequency = "monthly"


def legacy_unit(*, code, name, level, kind, parent=None, province=None, current_province):
    unit = AdministrativeUnit.objects.create(code=code, name=name, level=level, kind=kind, parent=parent,
                                             province=province, current_province=current_province,
                                             valid_from=datetime.date(2008, 8, 1), valid_to=LEGACY_VALID_TO)
    if level == Level.PROVINCE:
        unit.province = unit
        unit.save(update_fields=["province"])
    return unit


def link(old, new):
    UnitLineage.objects.create(old=old, new=new, effective_on=datetime.date(2025, 7, 1))


class ReportWorld:
    """Tỉnh Vĩnh Long (current) with communes A "Xã Chợ Lách" (29017) and B "Xã Mỏ Cày" (29018).

    Old units: Tỉnh Bến Tre (83) › Huyện Chợ Lách › Xã Hòa Nghĩa (28990, → A) and Xã Sơn Định (29200, split
    → A and B); Tỉnh Vĩnh Long cũ (86) › Huyện Mang Thít › Xã Mỹ An (29100, → B). So by old province, A
    rolls up to Bến Tre, B to old Vĩnh Long (its predecessor with the lowest code), and Sơn Định's records
    go to A (the successor with the lowest code). Another province (Đồng Tháp) has data that must not leak.
    """

    def __init__(self):
        self.province = ProvinceFactory(name="Tỉnh Vĩnh Long", code="86")
        self.other_province = ProvinceFactory(name="Tỉnh Đồng Tháp", code="82")
        self.a = CommuneFactory(parent=self.province, name="Xã Chợ Lách", code="29017")
        self.b = CommuneFactory(parent=self.province, name="Xã Mỏ Cày", code="29018")
        self.far = CommuneFactory(parent=self.other_province, name="Xã Cao Lãnh", code="30001")
        self.ben_tre = legacy_unit(code="83", name="Tỉnh Bến Tre", level=Level.PROVINCE, kind=Kind.PROVINCE,
                                   current_province=self.province)
        self.old_vinh_long = legacy_unit(code="86", name="Tỉnh Vĩnh Long", level=Level.PROVINCE, kind=Kind.PROVINCE,
                                         current_province=self.province)
        self.cho_lach = legacy_unit(code="831", name="Huyện Chợ Lách", level=Level.DISTRICT, kind=Kind.RURAL_DISTRICT,
                                    parent=self.ben_tre, province=self.ben_tre, current_province=self.province)
        self.mang_thit = legacy_unit(code="861", name="Huyện Mang Thít", level=Level.DISTRICT,
                                     kind=Kind.RURAL_DISTRICT, parent=self.old_vinh_long, province=self.old_vinh_long,
                                     current_province=self.province)
        self.hoa_nghia = legacy_unit(code="28990", name="Xã Hòa Nghĩa", level=Level.COMMUNE, kind=Kind.COMMUNE,
                                     parent=self.cho_lach, province=self.ben_tre, current_province=self.province)
        self.son_dinh = legacy_unit(code="29200", name="Xã Sơn Định", level=Level.COMMUNE, kind=Kind.COMMUNE,
                                    parent=self.cho_lach, province=self.ben_tre, current_province=self.province)
        self.my_an = legacy_unit(code="29100", name="Xã Mỹ An", level=Level.COMMUNE, kind=Kind.COMMUNE,
                                 parent=self.mang_thit, province=self.old_vinh_long, current_province=self.province)
        link(self.hoa_nghia, self.a)
        link(self.son_dinh, self.a)
        link(self.son_dinh, self.b)
        link(self.my_an, self.b)

        self.viewer = user_with_role(Role.REPORT_VIEWER, self.province, username="so.nnmt")
        self.staff = user_with_role(Role.PROVINCE_STAFF, self.province, username="canbo.tinh")
        self.other_viewer = user_with_role(Role.REPORT_VIEWER, self.other_province, username="so.nnmt.dt")
        self.officer = user_with_role(Role.COMMUNE_OFFICER, self.a, username="canbo.xa")

        # Producers: 5 in Vĩnh Long (one made in the legacy commune), 1 in Đồng Tháp.
        self.p1 = ProducerFactory(commune=self.a, kind=ProducerKind.COOPERATIVE, name='=HYPERLINK("http://x.vn","Bấm")',
                                  representative_gender=Gender.FEMALE, sales_channels=["supermarket"])
        self.p2 = ProducerFactory(commune=self.a, kind=ProducerKind.HOUSEHOLD, name="Hộ Lê Văn Bảy",
                                  sales_channels=["traditional_market"])
        self.p3 = ProducerFactory(commune=self.hoa_nghia, kind=ProducerKind.SME, name="Công ty TNHH Dừa Bến Tre",
                                  representative_ethnicity="Khmer", sales_channels=["ecommerce", "own_shop"])
        self.p4 = ProducerFactory(commune=self.b, kind=ProducerKind.COOPERATIVE, name="HTX Bưởi Năm Roi Mỏ Cày",
                                  representative_gender=Gender.FEMALE, representative_ethnicity="Khmer",
                                  sales_channels=["traditional_market"])
        self.p5 = ProducerFactory(commune=self.b, kind=ProducerKind.FARM, name="Trang trại Út Hiền", sales_channels=[])
        self.p_far = ProducerFactory(commune=self.far, kind=ProducerKind.COOPERATIVE, name="HTX Sen Tháp Mười")

        food = ProductGroupFactory(code="I", name="Thực phẩm")
        drinks = ProductGroupFactory(code="II", name="Đồ uống")
        self.food_set = ProductSetFactory(group=food)
        self.drink_set = ProductSetFactory(group=drinks)
        past = timezone.localdate() - datetime.timedelta(days=3)
        numbers = iter(range(1, 100))

        def dossier(producer, status, *, commune=None, kind=DossierKind.FIRST, product_set=None, **kw):
            if status not in ("draft", "submitted", "commune_review", "returned", "withdrawn"):
                kw.setdefault("registration_number", f"{next(numbers):04d}/PĐK-86-2026")
            if kind != DossierKind.FIRST:
                kw.setdefault("previous_certificate", "12/GCN-UBND")
            return DossierFactory(producer=producer, commune=commune or producer.commune, status=status, kind=kind,
                                  product_set=product_set or self.food_set, **kw)

        # A: 2 drafts, 1 submitted and overdue, 1 not recognised (2★)
        dossier(self.p1, DossierStatus.DRAFT)
        dossier(self.p2, DossierStatus.DRAFT)
        dossier(self.p2, DossierStatus.SUBMITTED, commune_due_on=past)
        self.d_not = dossier(self.p1, DossierStatus.NOT_RECOGNISED)
        # Hòa Nghĩa (legacy → A): 1 accepted upgrade, 1 recommended upgrade (5★, for the Ministry)
        dossier(self.p3, DossierStatus.ACCEPTED, kind=DossierKind.UPGRADE)
        self.d_five = dossier(self.p3, DossierStatus.RECOMMENDED, kind=DossierKind.UPGRADE, product_set=self.drink_set)
        # Sơn Định (legacy, split → A and B): 1 withdrawn
        dossier(self.p2, DossierStatus.WITHDRAWN, commune=self.son_dinh)
        # B: 1 returned, 1 recommended (4★)
        dossier(self.p4, DossierStatus.RETURNED)
        self.d_four = dossier(self.p5, DossierStatus.RECOMMENDED)
        # Đồng Tháp
        dossier(self.p_far, DossierStatus.DRAFT)
        self.d_far = dossier(self.p_far, DossierStatus.RECOMMENDED)

        # Support steps
        ProductIdeaFactory(producer=self.p1, status=IdeaStatus.REGISTERED)
        ProductIdeaFactory(producer=self.p2, status=IdeaStatus.APPROVED)
        ProductIdeaFactory(producer=self.p4, status=IdeaStatus.DEVELOPED)
        ProductIdeaFactory(producer=self.p_far, status=IdeaStatus.APPROVED)
        BusinessPlanFactory(producer=self.p1, status=BusinessPlanStatus.DRAFT)
        BusinessPlanFactory(producer=self.p4, status=BusinessPlanStatus.APPROVED)

        # A closed round with three results, and one in Đồng Tháp.
        self.round = RoundFactory(council=CouncilFactory(province=self.province), phase=RoundPhase.CLOSED,
                                  closed_at=timezone.now(), title="Kỳ 2 năm 2026")
        rubric = small_rubric(self.food_set)
        drink_rubric = small_rubric(self.drink_set)
        now = timezone.now()
        for d, star, mean, ministry, rub in [(self.d_not, 2, "40.00", False, rubric),
                                             (self.d_four, 4, "80.00", False, rubric),
                                             (self.d_five, 5, "92.00", True, drink_rubric)]:
            Result.objects.create(round=self.round, dossier=d, rubric=rub, final_star=star, mean=Decimal(mean),
                                  band_star=star, frozen_at=now, for_ministry=ministry)
        far_round = RoundFactory(council=CouncilFactory(province=self.other_province), phase=RoundPhase.CLOSED,
                                 closed_at=now)
        Result.objects.create(round=far_round, dossier=self.d_far, rubric=rubric, final_star=3, mean=Decimal("60"),
                              frozen_at=now)

        # The plan
        from tests.plans.factories import BudgetLineFactory, PlanFactory, TargetFactory

        self.plan = PlanFactory(issuing_unit=self.province, year_from=2026, year_to=2026)
        for indicator, value in [("new_3star", 4), ("five_star_proposals", 1), ("cooperative_share", 40),
                                 ("trainings", 6)]:
            TargetFactory(plan=self.plan, indicator=indicator, value=Decimal(value),
                          kind=TargetKind.PERCENT if indicator == "cooperative_share" else TargetKind.COUNT)
        BudgetLineFactory(plan=self.plan, source=FundingSource.PROVINCIAL, planned_vnd=1_000_000_000,
                          actual_vnd=250_000_000)
        BudgetLineFactory(plan=self.plan, source=FundingSource.COUNTERPART, planned_vnd=3_000_000_000,
                          actual_vnd=1_500_000_000)


_n = itertools.count(1)


def certificate(world, commune, star, *, issued_on, status=CertificateStatus.ACTIVE, ended_on=None, supersedes=None,
                product=None, producer=None, product_set=None):
    decision = Decision.objects.create(status="published", level="province", province=world.province,
                                       number=f"{next(_n)}/QĐ-UBND", decided_on=issued_on)
    product = product or Product.objects.create(
        code=f"86-{commune.code}-{next(_n)}-{issued_on.year}", producer=producer or world.p1,
        product_set=product_set or world.food_set, name=f"Sản phẩm {next(_n)}", commune=commune,
        province=world.province, year=issued_on.year)
    item = DecisionItem.objects.create(decision=decision, product=product, product_name=product.name, star=star)
    return Certificate.objects.create(number=f"{next(_n):03d}/GCN", product=product, decision=decision, item=item,
                                      star=star, issued_on=issued_on, valid_until=issued_on + datetime.timedelta(days=1095),
                                      verify_code=f"v{next(_n)}", status=status, ended_on=ended_on,
                                      supersedes=supersedes)


def every_state(world: ReportWorld) -> int:
    """Add to the world, in this year and spread over current and legacy communes and both product groups, a
    record in every state each report splits a total by: producers of every kind, ideas and business plans in
    every status, dossiers in every status and of every kind (those past intake entered in the world's round),
    a result of every star and one unranked, certificates of 3, 4 and 5 stars in force, new, upgraded,
    re-recognised, superseded, revoked and expired. Returns the year."""
    today = timezone.localdate()
    year = today.year
    communes = [world.a, world.b, world.hoa_nghia, world.son_dinh, world.my_an]
    sets = [world.food_set, world.drink_set]
    producers = [ProducerFactory(commune=communes[i % len(communes)], kind=kind, name=f"Chủ thể {kind.label}")
                 for i, kind in enumerate(ProducerKind)]
    spread = itertools.cycle(producers)
    for status in IdeaStatus:
        for _ in range(2):
            ProductIdeaFactory(producer=next(spread), status=status, year=year)
    for status in BusinessPlanStatus:
        for _ in range(2):
            BusinessPlanFactory(producer=next(spread), status=status, year=year)

    numbers = itertools.count(500)
    kinds, product_sets = itertools.cycle(DossierKind), itertools.cycle(sets)
    rubric = world.round.results.first().rubric

    def dossier(status, producer):
        kind = next(kinds)
        extra = {}
        if status not in BEFORE_PROVINCE_STATES:
            extra["registration_number"] = f"{next(numbers):04d}/PĐK-86-{year}"
        if kind != DossierKind.FIRST:
            extra["previous_certificate"] = "12/GCN-UBND"
        d = DossierFactory(producer=producer, commune=producer.commune, status=status, kind=kind, year=year,
                           product_set=next(product_sets), **extra)
        if status in (DossierStatus.IN_ROUND, DossierStatus.SCORED, DossierStatus.RECOMMENDED,
                      DossierStatus.RECOGNISED, DossierStatus.NOT_RECOGNISED):
            RoundEntry.objects.create(round=world.round, dossier=d, rubric=rubric)
        return d

    for status in DossierStatus:
        for _ in range(2):
            dossier(status, next(spread))
    now = timezone.now()
    for star in (5, 4, 3, 2, 1, None):
        d = dossier(DossierStatus.NOT_RECOGNISED if star is None or star < 3 else DossierStatus.RECOMMENDED,
                    next(spread))
        Result.objects.create(round=world.round, dossier=d, rubric=rubric, final_star=star, frozen_at=now,
                              mean=Decimal(20 * star) if star else None, band_star=star, for_ministry=star == 5)

    this_year = datetime.date(year, 1, 15)
    long_ago = today - datetime.timedelta(days=1095 - 30)  # in force, expiring in 30 days
    for i, star in enumerate((5, 4, 3)):
        commune, product_set = communes[i], sets[i % 2]
        certificate(world, commune, star, issued_on=this_year, product_set=product_set)  # new this year
        certificate(world, commune, star, issued_on=long_ago, product_set=product_set)  # in force, issued before
        old = certificate(world, commune, star, issued_on=long_ago, status=CertificateStatus.SUPERSEDED,
                          ended_on=this_year, product_set=product_set)
        certificate(world, commune, star, issued_on=this_year, product=old.product, supersedes=old)  # re-recognised
        certificate(world, communes[i + 2], star, issued_on=long_ago, status=CertificateStatus.REVOKED,
                    ended_on=this_year + datetime.timedelta(days=1))
        certificate(world, communes[i + 1], star, issued_on=today - datetime.timedelta(days=1200),
                    status=CertificateStatus.EXPIRED, ended_on=today - datetime.timedelta(days=105))
    for low, high in ((3, 4), (3, 5), (4, 5)):  # upgrades
        old = certificate(world, world.my_an, low, issued_on=long_ago, status=CertificateStatus.SUPERSEDED,
                          ended_on=this_year, product_set=world.drink_set)
        certificate(world, world.my_an, high, issued_on=this_year, product=old.product, supersedes=old)
    return year
