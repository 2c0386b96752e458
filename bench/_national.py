"""National-scale volume around the demo province, for the page benchmark (bench/bench_pages.py).

Runs after `load_demo` (the 34 real provinces, their communes, the 26 sheets of Decision 26/2026 and the demo
users with their work). For every current province it bulk-inserts producers, dossiers in progress, a council
of seven (the demo council plus three members in Vĩnh Long) and ten years of closed rounds, two a year: each
round's dossiers placed, assigned to all seven members and scored by each (submitted sheets with one choice
per scorable criterion, inserted by one INSERT … SELECT on the server), frozen results, a published decision,
products and certificates. At BENCH_SCALE=1: ~24,600 dossiers, ~18,000 certificates, ~154,000 score sheets and
~6.5 million score choices. In Vĩnh Long it adds the rounds the results pages are measured on: two in the
council meeting (40 and 200 dossiers, every member's sheet submitted) and one closed with 200 frozen results.
"""
import datetime
import random
import secrets
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from accounts.enums import Role
from accounts.models import RoleAssignment, User
from evaluations.enums import CouncilKind, CouncilRole, RoundKind, RoundPhase, SheetStatus
from evaluations.models import (
    Assignment, Council, LegalDocument, Membership, Result, Round, RoundEntry, Rubric, ScoreSheet,
)
from ocop_portal.demo import DEMO_PROVINCE_CODE
from products.enums import CertificateStatus, DecisionStatus
from products.models import Certificate, Decision, DecisionItem, Product
from registrations.enums import BEFORE_PROVINCE_STATES, DossierKind, DossierStatus, ProducerKind
from registrations.models import Dossier, Producer
from units.models import AdministrativeUnit

HISTORY_YEARS = 10
MEMBERS = 7  # chair, secretary, five members: every member scores every dossier of the round
IN_PROGRESS = [s for s in DossierStatus.values if s not in ("in_round", "scored", "recommended", "not_recognised",
                                                            "recognised")]
BATCH = 5000


def _users(prefix: str, n: int, role: str, unit, password: str) -> list:
    users = User.objects.bulk_create([User(username=f"{prefix}{i}", full_name=f"Thành viên {prefix}{i}", password=password)
                                      for i in range(n)])
    RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role=role, unit=unit) for u in users])
    return users


def _council(province, demo: bool, password: str):
    if demo:
        council = Council.objects.get(province=province, kind=CouncilKind.COUNCIL)
        have = Membership.objects.filter(council=council, active=True).count()
        extra = _users(f"bench.tv.{province.code}.", MEMBERS - have, Role.COUNCIL_MEMBER, province, password)
        Membership.objects.bulk_create([Membership(council=council, user=u) for u in extra])
        return council
    council = Council.objects.create(province=province, kind=CouncilKind.COUNCIL, name=f"Hội đồng OCOP {province.name}",
                                     spread_blocks_closing=False, valid_from=datetime.date(2015, 1, 1))
    users = _users(f"bench.hd.{province.code}.", MEMBERS, Role.COUNCIL_MEMBER, province, password)
    roles = [CouncilRole.CHAIR, CouncilRole.SECRETARY] + [CouncilRole.MEMBER] * (MEMBERS - 2)
    Membership.objects.bulk_create([Membership(council=council, user=u, role=r) for u, r in zip(users, roles)])
    _users(f"bench.tinh.{province.code}.", 1, Role.PROVINCE_STAFF, province, password)
    return council


def _insert_choices(round_ids: list, *, per_dossier: bool) -> None:
    """One choice per scorable criterion on every sheet of the rounds: mostly the best option. `per_dossier`
    makes the members of one dossier choose alike (small spread), so the council may close the meeting."""
    seed = "s.dossier_id" if per_dossier else "s.id"
    with connection.cursor() as cur:
        cur.execute("ANALYZE evaluations_scoresheet; ANALYZE evaluations_option; ANALYZE evaluations_criterion")
        cur.execute(f"""
            WITH o AS (SELECT id, criterion_id, row_number() OVER (PARTITION BY criterion_id ORDER BY points DESC, id) - 1 AS k,
                              count(*) OVER (PARTITION BY criterion_id) AS n FROM evaluations_option)
            INSERT INTO evaluations_scorechoice (sheet_id, criterion_id, option_id)
            SELECT s.id, c.id, o.id FROM evaluations_scoresheet s
            JOIN evaluations_criterion c ON c.rubric_id = s.rubric_id AND c.scorable
            JOIN o ON o.criterion_id = c.id
             AND o.k = CASE WHEN ({seed} * 31 + c.id * 17) %% 10 < 7 THEN 0 ELSE ({seed} + c.id) %% o.n END
            WHERE s.round_id = ANY(%s)""", [round_ids])
        cur.execute("""
            UPDATE evaluations_scoresheet s SET total = t.total FROM (
              SELECT ch.sheet_id, sum(op.points) AS total FROM evaluations_scorechoice ch
              JOIN evaluations_option op ON op.id = ch.option_id JOIN evaluations_scoresheet s2 ON s2.id = ch.sheet_id
              WHERE s2.round_id = ANY(%s) GROUP BY ch.sheet_id) t WHERE t.sheet_id = s.id""", [round_ids])


def _place(round_, dossiers, rubrics, memberships, *, submitted_at, by=None):
    RoundEntry.objects.bulk_create([RoundEntry(round=round_, dossier=d, rubric=rubrics[d.product_set_id], added_by=by)
                                    for d in dossiers], batch_size=BATCH)
    Assignment.objects.bulk_create([Assignment(round=round_, dossier=d, member=m) for d in dossiers for m in memberships],
                                   batch_size=BATCH)
    ScoreSheet.objects.bulk_create([
        ScoreSheet(round=round_, dossier=d, member=m, rubric=rubrics[d.product_set_id], status=SheetStatus.SUBMITTED,
                   total=Decimal(70), submitted_at=submitted_at) for d in dossiers for m in memberships], batch_size=BATCH)


def seed(scale: float = 1.0, log=print) -> dict:
    r = random.Random(2026)
    today = timezone.localdate()
    document = LegalDocument.objects.in_force_on(today).order_by("-effective_from").first()
    rubrics = {rb.product_set_id: rb for rb in Rubric.objects.filter(legal_document=document)}
    sets = sorted(rubrics)
    password = make_password("ocop-demo-2026")
    provinces = list(AdministrativeUnit.objects.filter(level="province", valid_to__isnull=True).order_by("code"))
    per_round = max(2, round(31 * scale))  # ~620 dossiers scored per province over 20 rounds
    in_progress = max(5, round(100 * scale))
    producers_n = max(10, round(400 * scale))
    history_rounds = []
    totals = {"provinces": len(provinces)}
    for p_index, province in enumerate(provinces):
        demo = province.code == DEMO_PROVINCE_CODE
        communes = list(AdministrativeUnit.objects.filter(current_province=province, level="commune",
                                                          valid_to__isnull=True).order_by("code"))
        producers = Producer.objects.bulk_create([
            Producer(kind=r.choice(ProducerKind.values), name=f"Chủ thể {province.code}-{i}",
                     tax_code=f"9{int(province.code):02d}{i:07d}", commune=communes[i % len(communes)],
                     address="Ấp 1", representative_name=f"Nguyễn Văn {i}") for i in range(producers_n)], batch_size=BATCH)
        Dossier.objects.bulk_create([
            Dossier(producer=pr, commune=pr.commune, kind=DossierKind.FIRST, product_name=f"Hồ sơ {province.code}-{i}",
                    product_set_id=r.choice(sets), year=today.year, status=(st := r.choice(IN_PROGRESS)),
                    registration_number=None if st in BEFORE_PROVINCE_STATES else f"B{i + 1}/PĐK-{province.code}-{today.year}",
                    commune_due_on=today - datetime.timedelta(days=r.randint(-20, 20)))
            for i, pr in enumerate(r.choices(producers, k=in_progress))], batch_size=BATCH)
        council = _council(province, demo, password)
        memberships = list(Membership.objects.filter(council=council, active=True).order_by("pk"))
        seq = 0
        for y in range(today.year - HISTORY_YEARS, today.year):
            for half in (1, 2):
                closes = datetime.date(y, 6 if half == 1 else 11, 20)
                closed_at = timezone.make_aware(datetime.datetime.combine(closes, datetime.time(15)))
                rnd = Round.objects.create(province=province, council=council, kind=RoundKind.REGULAR, year=y, number=half,
                                           title=f"Kỳ {half}/{y}", opens_on=closes - datetime.timedelta(days=90),
                                           forward_deadline=closes - datetime.timedelta(days=60), closes_on=closes,
                                           phase=RoundPhase.CLOSED, closed_at=closed_at, legal_document=document)
                history_rounds.append(rnd.pk)
                decision = Decision.objects.create(
                    status=DecisionStatus.PUBLISHED, province=province, issuing_unit=province, round=rnd,
                    number=f"{seq + 1}/QĐ-UBND-B{province.code}-{y}", decided_on=closes + datetime.timedelta(days=5),
                    signer_name="Nguyễn Văn Hưng", issuer_name=f"Ủy ban nhân dân {province.name}", published_at=closed_at)
                stars = [r.choice([None, 3, 3, 3, 4, 4, 5]) for _ in range(per_round)]
                dossiers = Dossier.objects.bulk_create([
                    Dossier(producer=(pr := r.choice(producers)), commune=pr.commune, kind=DossierKind.FIRST,
                            product_name=f"Sản phẩm {province.code}-{y}-{half}-{i}", product_set_id=r.choice(sets), year=y,
                            status=DossierStatus.RECOGNISED if star else DossierStatus.NOT_RECOGNISED,
                            registration_number=f"{i + 1}/PĐK-B{province.code}-{y}-{half}")
                    for i, star in enumerate(stars)], batch_size=BATCH)
                _place(rnd, dossiers, rubrics, memberships, submitted_at=closed_at)
                results = Result.objects.bulk_create([
                    Result(round=rnd, dossier=d, rubric=rubrics[d.product_set_id],
                           mean=Decimal(40 + (star or 0) * 10 + r.randint(0, 9)), band_star=star, minima_star=star,
                           final_star=star, quorum_met=True, counted=MEMBERS, for_ministry=star == 5, frozen_at=closed_at,
                           published_at=closed_at, reasons=[f"Đạt hạng {star} sao" if star else "Không đạt"])
                    for d, star in zip(dossiers, stars)], batch_size=BATCH)
                recognised = [(d, res, star) for d, res, star in zip(dossiers, results, stars) if star]
                products = Product.objects.bulk_create([
                    Product(code=f"OCOP-B{province.code}-{y}-{half}-{i:04d}", producer=d.producer, product_set_id=d.product_set_id,
                            name=d.product_name, commune=d.commune, province=province, year=y, seq=None)
                    for i, (d, _res, _star) in enumerate(recognised)], batch_size=BATCH)
                items = DecisionItem.objects.bulk_create([
                    DecisionItem(decision=decision, result=res, dossier=d, product=prod, product_name=prod.name, star=star,
                                 position=i + 1) for i, ((d, res, star), prod) in enumerate(zip(recognised, products))],
                    batch_size=BATCH)
                issued = decision.decided_on
                valid = datetime.date(issued.year + 3, issued.month, issued.day)
                Certificate.objects.bulk_create([
                    Certificate(number=f"B{seq}-{i + 1:04d}/GCN-OCOP-{province.code}-{y}", product=prod, decision=decision,
                                item=item, star=star, issued_on=issued, valid_until=valid,
                                verify_code=secrets.token_urlsafe(16),
                                status=CertificateStatus.ACTIVE if valid >= today else CertificateStatus.EXPIRED,
                                ended_on=None if valid >= today else valid)
                    for i, (item, prod, (_d, _res, star)) in enumerate(zip(items, products, recognised))], batch_size=BATCH)
                seq += 1
        log(f"province {p_index + 1}/{len(provinces)} {province.code} seeded")
    _insert_choices(history_rounds, per_dossier=False)
    log("history choices inserted")
    totals.update(_results_rounds(rubrics, sets, document, today, scale, r))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    totals.update({"dossiers": Dossier.objects.count(), "certificates": Certificate.objects.count(),
                   "score_sheets": ScoreSheet.objects.count()})
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'evaluations_scorechoice'")
        totals["score_choices"] = cur.fetchone()[0]
    return totals


def _results_rounds(rubrics, sets, document, today, scale, r) -> dict:
    """Vĩnh Long's rounds for the results pages: 40 and 200 dossiers in the meeting, 200 closed (really frozen)."""
    from evaluations import services

    province = AdministrativeUnit.objects.get(code=DEMO_PROVINCE_CODE, level="province", valid_to__isnull=True)
    council = Council.objects.get(province=province, kind=CouncilKind.COUNCIL)
    council.spread_blocks_closing = False
    council.save(update_fields=["spread_blocks_closing"])
    memberships = list(Membership.objects.filter(council=council, active=True).order_by("pk"))
    communes = list(AdministrativeUnit.objects.filter(current_province=province, level="commune", valid_to__isnull=True)[:40])
    producers = list(Producer.objects.filter(commune__in=communes)[:200])
    out = {}
    for number, size in ((10, 40), (11, 200), (12, 200)):
        rnd = Round.objects.create(province=province, council=council, kind=RoundKind.REGULAR, year=today.year,
                                   number=number, title=f"Kỳ đánh giá {size} hồ sơ (đo tốc độ)",
                                   opens_on=today - datetime.timedelta(days=60), forward_deadline=today - datetime.timedelta(days=30),
                                   closes_on=today + datetime.timedelta(days=30), phase=RoundPhase.COUNCIL_MEETING,
                                   legal_document=document)
        dossiers = Dossier.objects.bulk_create([
            Dossier(producer=(pr := producers[i % len(producers)]), commune=pr.commune, kind=DossierKind.FIRST,
                    product_name=f"Sản phẩm kỳ {number} số {i + 1:03d}", product_set_id=sets[i % len(sets)], year=today.year,
                    status=DossierStatus.IN_ROUND, registration_number=f"{i + 1}/PĐK-K{number}-{today.year}")
            for i in range(size)])
        _place(rnd, dossiers, rubrics, memberships, submitted_at=timezone.now())
        _insert_choices([rnd.pk], per_dossier=True)
        out[f"results_round_{size}_{'closed' if number == 12 else 'meeting'}"] = rnd.pk
        if number == 12:
            chair = next(m.user for m in memberships if m.role == CouncilRole.CHAIR)
            services.round_transition(round=rnd, to=RoundPhase.CLOSED, by=chair)
    return out
