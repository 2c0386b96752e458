"""Seed data for the benchmarks: two provinces of Hà Nội's size (60 communes, 3,000 producers and
12,000 dossiers each). The second province must stay invisible to the first one's users."""
import random

from registrations.enums import BEFORE_PROVINCE_STATES, DossierKind, DossierStatus, ProducerKind
from registrations.models import Dossier, Producer, ProductGroup, ProductSet
from units.models import AdministrativeUnit

COMMUNES, PRODUCERS, DOSSIERS = 60, 3000, 12000
rng = random.Random(7)


def _seed_province(code: str, name: str, offset: int, product_set) -> tuple:
    province = AdministrativeUnit.objects.create(code=code, name=name, level="province", kind="tinh")
    province.province = province.current_province = province
    province.save()
    communes = AdministrativeUnit.objects.bulk_create([
        AdministrativeUnit(code=f"{offset + i:05d}", name=f"Xã Bench {offset + i}", level="commune", kind="xa",
                           parent=province, province=province, current_province=province)
        for i in range(COMMUNES)
    ])
    producers = Producer.objects.bulk_create([
        Producer(kind=ProducerKind.COOPERATIVE, name=f"HTX Bench {offset + i}", tax_code=f"{offset * 10000 + i:010d}",
                 commune=communes[i % COMMUNES], address="Ấp 1", representative_name="Nguyễn Văn A")
        for i in range(PRODUCERS)
    ], batch_size=1000)
    statuses = [s for s in DossierStatus.values]
    dossiers = []
    for i in range(DOSSIERS):
        p = producers[i % PRODUCERS]
        status = rng.choice(statuses)
        number = None if status in BEFORE_PROVINCE_STATES else f"{i + 1}/PĐK-{code}-{p.commune.code}-2026"
        dossiers.append(Dossier(producer=p, commune=p.commune, kind=DossierKind.FIRST, product_name=f"Sản phẩm {offset}-{i}",
                                product_set=product_set, year=2026, status=status, registration_number=number))
    Dossier.objects.bulk_create(dossiers, batch_size=2000)
    return province, communes



def seed_two_provinces():
    group = ProductGroup.objects.create(classification="bench", code="I", level="group", name="Thực phẩm")
    pset = ProductSet.objects.create(classification="bench", number=1, code="I.1.a", slug="bench",
                                     name="Rau, củ, quả, hạt tươi", group=group)
    province, communes = _seed_province("98", "Tỉnh Bench", 10000, pset)
    _seed_province("99", "Tỉnh Khác", 20000, pset)
    return province, communes


# --- the nation's OCOP products (reports) -------------------------------------------------------------
def seed_national(*, provinces: int = 6, certificates_per_province: int = 3000, year: int = 2026) -> list:
    """`provinces` current provinces, each with 60 current communes and 120 pre-reform communes (two old
    provinces, four old districts) merged into them through UnitLineage (every tenth old commune split in
    two), 1,500 producers (40% registered in an old commune), ideas and business plans, 1,000 dossiers in
    progress, and `certificates_per_province` certificates (3★–5★, issued 2023–2026 by yearly decisions of
    two closed rounds a year; ~8% products upgraded, the old certificate superseded; a few revoked; the rest
    active or expired by their 36-month term), each with its recognised dossier, frozen result, decision item
    and product. Small fixed records (units, councils, rounds, rubrics, plans) come from the tests' factories;
    the volume is bulk-inserted. National figure, December 2025: 18,243 OCOP products."""
    import datetime
    import secrets
    from decimal import Decimal

    from django.utils import timezone

    from evaluations.enums import RoundPhase
    from evaluations.models import Result
    from products.enums import CertificateStatus, DecisionStatus
    from products.models import Certificate, Decision, DecisionItem, Product
    from registrations.enums import BusinessPlanStatus, Gender, IdeaStatus
    from registrations.models import BusinessPlan, ProductIdea
    from plans.enums import FundingSource, TargetKind
    from tests.evaluations.factories import CouncilFactory, RoundFactory, small_rubric
    from tests.factories import CommuneFactory
    from tests.products.factories import province_with_committee
    from tests.registrations.factories import ProductGroupFactory, ProductSetFactory
    from tests.plans.factories import BudgetLineFactory, PlanFactory, TargetFactory
    from tests.reports.factories import legacy_unit
    from units.enums import Kind, Level
    from units.models import UnitLineage

    r = random.Random(18243)
    groups = [ProductGroupFactory(code=c, name=n) for c, n in (("I", "Thực phẩm"), ("II", "Đồ uống"),
                                                                ("III", "Thảo dược"), ("IV", "Vải và may mặc"))]
    sets = [ProductSetFactory(group=groups[i % len(groups)]) for i in range(8)]
    rubrics = {s.pk: small_rubric(s) for s in sets}
    kinds = [k for k in ProducerKind.values]
    channels = ["traditional_market", "supermarket", "ecommerce", "own_shop", "export"]
    today = timezone.localdate()
    out = []
    for p in range(provinces):
        code = f"{70 + p:02d}"
        province = province_with_committee(code=code, name=f"Tỉnh Bench Quốc Gia {p + 1}")
        communes = [CommuneFactory(parent=province, code=f"{40000 + p * 1000 + i:05d}", name=f"Xã Mới {p}-{i}")
                    for i in range(60)]
        old = []
        for op in range(2):
            old_province = legacy_unit(code=f"{p}{op}", name=f"Tỉnh Cũ {p}-{op}", level=Level.PROVINCE,
                                       kind=Kind.PROVINCE, current_province=province)
            for d in range(2):
                district = legacy_unit(code=f"{p}{op}{d}", name=f"Huyện Cũ {p}-{op}-{d}", level=Level.DISTRICT,
                                       kind=Kind.RURAL_DISTRICT, parent=old_province, province=old_province,
                                       current_province=province)
                for c in range(30):
                    old.append(legacy_unit(code=f"{60000 + p * 1000 + op * 100 + d * 50 + c:05d}",
                                           name=f"Xã Cũ {p}-{op}-{d}-{c}", level=Level.COMMUNE, kind=Kind.COMMUNE,
                                           parent=district, province=old_province, current_province=province))
        links = []
        for i, unit in enumerate(old):
            links.append(UnitLineage(old=unit, new=communes[i // 2], effective_on=datetime.date(2025, 7, 1)))
            if i % 10 == 0:
                links.append(UnitLineage(old=unit, new=communes[(i // 2 + 1) % 60], effective_on=datetime.date(2025, 7, 1)))
        UnitLineage.objects.bulk_create(links)
        places = communes + old
        producers = Producer.objects.bulk_create([
            Producer(kind=r.choice(kinds), name=f"Chủ thể {p}-{i}", tax_code=f"{(p + 1) * 100000000 + i:010d}",
                     commune=old[i % len(old)] if r.random() < 0.4 else communes[i % 60], address="Ấp 1",
                     representative_name=f"Nguyễn Thị {i}", representative_gender=r.choice([Gender.MALE, Gender.FEMALE]),
                     representative_ethnicity=r.choice(["Kinh"] * 5 + ["Khmer", "Tày", "Thái"]),
                     sales_channels=r.sample(channels, r.randint(0, 3)), workforce_total=r.randint(2, 80))
            for i in range(1500)
        ], batch_size=1000)
        ProductIdea.objects.bulk_create([
            ProductIdea(producer=pr, commune=pr.commune, year=r.choice([year - 1, year]), title=f"Ý tưởng {pr.pk}",
                        status=r.choice(IdeaStatus.values)) for pr in producers[:600]], batch_size=1000)
        BusinessPlan.objects.bulk_create([
            BusinessPlan(producer=pr, commune=pr.commune, year=r.choice([year - 1, year]), title=f"Phương án {pr.pk}",
                         status=r.choice(BusinessPlanStatus.values)) for pr in producers[:400]], batch_size=1000)
        in_progress = [s for s in DossierStatus.values if s not in ("recommended", "not_recognised", "recognised")]
        Dossier.objects.bulk_create([
            Dossier(producer=pr, commune=pr.commune, kind=(kind := r.choice(DossierKind.values)),
                    previous_certificate="" if kind == DossierKind.FIRST else f"{i}/GCN-OCOP-{code}",
                    product_name=f"Hồ sơ {p}-{i}",
                    product_set=r.choice(sets), year=year, status=(st := r.choice(in_progress)),
                    registration_number=None if st in BEFORE_PROVINCE_STATES else f"H{i + 1}/PĐK-{code}-{year}",
                    commune_due_on=today - datetime.timedelta(days=r.randint(-20, 20)))
            for i, pr in enumerate(r.choices(producers, k=1000))
        ], batch_size=1000)

        # Rounds and decisions: two a year, 2023-2026; products and their certificates.
        council = CouncilFactory(province=province)
        rounds, decisions = [], []
        for y in range(year - 3, year + 1):
            for half in (1, 2):
                closes = datetime.date(y, 6 if half == 1 else 11, 20)
                rnd = RoundFactory(council=council, year=y, number=half, opens_on=closes - datetime.timedelta(days=90),
                                   forward_deadline=closes - datetime.timedelta(days=60), closes_on=closes,
                                   phase=RoundPhase.CLOSED,
                                   closed_at=timezone.make_aware(datetime.datetime.combine(closes, datetime.time(15))))
                rounds.append(rnd)
                decisions.append(Decision(status=DecisionStatus.PUBLISHED, province=province, issuing_unit=province,
                                          round=rnd, number=f"{len(decisions) + 1}/QĐ-UBND-{code}",
                                          decided_on=closes + datetime.timedelta(days=5), signer_name="Nguyễn Văn Hưng",
                                          issuer_name=f"Ủy ban nhân dân tỉnh {code}", published_at=timezone.now()))
        Decision.objects.bulk_create(decisions)
        n_products = certificates_per_province * 12 // 13  # ~8% of the products also hold an older certificate
        upgraded = certificates_per_province - n_products
        specs = []  # (producer, product set, round index, star, is upgrade)
        for i in range(n_products):
            specs.append((producers[i % len(producers)], sets[i % len(sets)], r.randrange(len(rounds)),
                          r.choice([3, 3, 3, 4, 4, 5]), False))
        dossiers = Dossier.objects.bulk_create([
            Dossier(producer=pr, commune=pr.commune, kind=DossierKind.FIRST, product_name=f"Sản phẩm {p}-{i}",
                    product_set=ps, year=rounds[ri].year, status=DossierStatus.RECOGNISED,
                    registration_number=f"{i + 1}/PĐK-{code}-{rounds[ri].year}")
            for i, (pr, ps, ri, _star, _up) in enumerate(specs)], batch_size=2000)
        results = Result.objects.bulk_create([
            Result(round=rounds[ri], dossier=d, rubric=rubrics[ps.pk], mean=Decimal(50 + star * 8 + r.randint(0, 7)),
                   band_star=star, minima_star=star, final_star=star, quorum_met=True, counted=5,
                   for_ministry=star == 5, frozen_at=rounds[ri].closed_at, reasons=[f"Đạt hạng {star} sao"])
            for d, (pr, ps, ri, star, _up) in zip(dossiers, specs)], batch_size=2000)
        products = Product.objects.bulk_create([
            Product(code=f"OCOP-{code}-{i:06d}", producer=pr, product_set=ps, name=f"Sản phẩm {p}-{i}",
                    commune=pr.commune, province=province, year=rounds[ri].year, seq=i + 1)
            for i, (pr, ps, ri, _star, _up) in enumerate(specs)], batch_size=2000)
        items = DecisionItem.objects.bulk_create([
            DecisionItem(decision=decisions[ri], result=res, dossier=d, product=prod, product_name=prod.name,
                         star=star, position=i + 1)
            for i, (res, d, prod, (pr, ps, ri, star, _up)) in enumerate(zip(results, dossiers, products, specs))],
            batch_size=2000)
        certs = []
        for i, (item, prod, (pr, ps, ri, star, _up)) in enumerate(zip(items, products, specs)):
            issued = decisions[ri].decided_on
            valid = datetime.date(issued.year + 3, issued.month, issued.day)
            if r.random() < 0.02:
                status, ended = CertificateStatus.REVOKED, min(today, issued + datetime.timedelta(days=r.randint(100, 900)))
            elif valid < today:
                status, ended = CertificateStatus.EXPIRED, valid
            else:
                status, ended = CertificateStatus.ACTIVE, None
            certs.append(Certificate(number=f"{i + 1:05d}/GCN-OCOP-{code}", product=prod, decision=decisions[ri],
                                     item=item, star=star, issued_on=issued, valid_until=valid,
                                     verify_code=secrets.token_urlsafe(16), status=status, ended_on=ended))
        certs = Certificate.objects.bulk_create(certs, batch_size=2000)
        # Upgrades: the newest round re-recognises some products one star higher; the old certificate ends.
        last = len(rounds) - 1
        olds = [c for c in certs if c.status == CertificateStatus.ACTIVE and c.star < 5 and c.decision_id != decisions[last].pk][:upgraded]
        items = DecisionItem.objects.bulk_create([
            DecisionItem(decision=decisions[last], product=c.product, product_name=c.product.name, star=c.star + 1,
                         position=n_products + i + 1) for i, c in enumerate(olds)])
        Certificate.objects.filter(pk__in=[c.pk for c in olds]).update(status=CertificateStatus.SUPERSEDED,
                                                                      ended_on=decisions[last].decided_on)
        issued = decisions[last].decided_on
        Certificate.objects.bulk_create([
            Certificate(number=f"N{i + 1:05d}/GCN-OCOP-{code}", product=c.product, decision=decisions[last], item=item,
                        star=item.star, issued_on=issued, valid_until=datetime.date(issued.year + 3, issued.month, issued.day),
                        verify_code=secrets.token_urlsafe(16), supersedes=c)
            for i, (c, item) in enumerate(zip(olds, items))], batch_size=2000)

        plan = PlanFactory(issuing_unit=province, year_from=year)
        for indicator, value in [("new_3star", 400), ("four_star", 150), ("five_star_proposals", 20), ("upgraded", 80),
                                 ("cooperative_share", 40), ("trainings", 6)]:
            TargetFactory(plan=plan, indicator=indicator, value=Decimal(value),
                          kind=TargetKind.PERCENT if indicator == "cooperative_share" else TargetKind.COUNT)
        BudgetLineFactory(plan=plan, source=FundingSource.PROVINCIAL, planned_vnd=5_000_000_000, actual_vnd=2_100_000_000)
        out.append(province)
    return out
