"""Demo records for evaluations: the Vĩnh Long council and advisory group with the demo users, and three rounds
of the current year, each holding its own accepted demo dossiers. Idempotent: every service call is made only
while its record is missing, so a second run writes nothing.

- Regular round 2: assigned, reviewed and scored by the chair here; products/demo.py has the other members
  score, closes it and publishes its decision (the recognised product and its certificate).
- The re-evaluation round (written opinions, Decision 26/2026): two expiring 4★ products in the scoring phase,
  the chair's sheet submitted on one and started on the other, the other members' sheets still to do.
- Regular round 3 (additional round): one dossier with the advisory group, which has not reviewed it yet.
"""
import datetime

from django.utils import timezone

from registrations.enums import DossierStatus
from registrations.models import Dossier

from .enums import PHASE_POLICY, CouncilKind, CouncilRole, RoundKind, RoundPhase, SheetStatus
from .models import Assignment, Council, LegalDocument, Membership, Option, Round, ScoreSheet

# Which accepted demo dossiers (registrations/demo.py) each round holds.
REGULAR_ROUND_DOSSIERS = ("Dừa xiêm xanh Chợ Lách",)
RE_EVALUATION_DOSSIERS = ("Mật hoa dừa Chợ Lách", "Bưởi da xanh Mỏ Cày")
RE_EVALUATION_CHAIR_SUBMITTED = "Mật hoa dừa Chợ Lách"  # the chair has started, not submitted, the other
ADDITIONAL_ROUND_DOSSIERS = ("Dầu dừa nguyên chất Bảy Hiền",)


def _council(ctx, kind, name, members):
    council, _ = Council.objects.get_or_create(
        province=ctx.province, kind=kind, name=name,
        defaults={"decision_number": "2735/QĐ-UBND", "valid_from": datetime.date(2025, 7, 1)},
    )
    for key, role, org_key in members:
        user = ctx.users.get(key)
        if user is not None:
            Membership.objects.get_or_create(council=council, user=user, defaults={
                "role": role, "organisation": ctx.organisations.get(org_key),
            })
    return council


def _opening_day(today: datetime.date, days_ago: int) -> datetime.date:
    """`days_ago` before today, but not before 1 January nor before the rubrics in force today took effect
    (so the round carries today's rubrics whatever day the demo is loaded)."""
    day = max(today - datetime.timedelta(days=days_ago), datetime.date(today.year, 1, 1))
    document = LegalDocument.objects.in_force_on(today).order_by("-effective_from").first()
    return max(day, document.effective_from) if document else day


def _round(ctx, *, kind, number, **fields) -> Round:
    from . import services

    round_ = Round.objects.filter(province=ctx.province, kind=kind, year=timezone.localdate().year,
                                  number=number).first()
    return round_ or services.round_open(province=ctx.province, kind=kind, year=timezone.localdate().year,
                                         number=number, by=ctx.users["province_staff"], **fields)


def _place_and_assign(ctx, round_, product_names, per_dossier=None) -> bool:
    """Place the round's accepted dossiers (those its rubrics cover) and assign members to unassigned ones."""
    from . import services

    staff = ctx.users["province_staff"]
    accepted = Dossier.objects.filter(status=DossierStatus.ACCEPTED, commune__current_province=ctx.province,
                                      product_name__in=product_names).select_related("commune")
    placeable = [d for d in accepted if round_.legal_document.rubrics.filter(product_set=d.product_set_id).exists()]
    if placeable and "place" in PHASE_POLICY[round_.phase]:
        services.round_dossiers_place(round=round_, dossiers=placeable, by=staff)
    unassigned = round_.entries.exclude(dossier_id__in=Assignment.objects.filter(round=round_).values("dossier_id"))
    if unassigned.exists() and "place" in PHASE_POLICY[round_.phase]:
        services.assignments_auto_balance(round=round_, by=staff, per_dossier=per_dossier)
    return round_.entries.exists()


def _review_and_open_scoring(ctx, round_, today) -> None:
    """The advisory group's site visits, then the secretariat opens the scoring."""
    from . import services

    staff = ctx.users["province_staff"]
    if round_.phase == RoundPhase.INTAKE:
        services.round_transition(round=round_, to=RoundPhase.ADVISORY_REVIEW, by=staff)
    if round_.phase == RoundPhase.ADVISORY_REVIEW:
        for entry in round_.entries.select_related("dossier"):
            services.advisory_finding_record(
                round=round_, dossier=entry.dossier, kind="site_visit", visited_on=today,
                text="Khảo sát vùng nguyên liệu và cơ sở sản xuất: đúng như hồ sơ.", by=ctx.users["advisory_member"],
            )
        services.round_transition(round=round_, to=RoundPhase.SCORING, by=staff)


def _chair_choices(entry, *, share: float = 1.0) -> dict:
    """The chair's choices: the best option on each criterion, the second best on every third; `share` < 1
    leaves the later criteria unanswered (a draft)."""
    criteria: dict = {}
    for option in Option.objects.filter(rubric=entry.rubric, criterion__scorable=True).order_by(
            "criterion__position", "-points"):
        criteria.setdefault(option.criterion_id, []).append(option)
    keep = round(len(criteria) * share)
    return {criterion_id: options[min(1, len(options) - 1) if i % 3 == 2 else 0].pk
            for i, (criterion_id, options) in enumerate(list(criteria.items())[:keep])}


def _chair_scores(ctx, round_, *, only=None, draft=()) -> None:
    """The chair submits a sheet on each dossier (or those named in `only`) and saves a draft on `draft`."""
    from . import services

    if "score" not in PHASE_POLICY[round_.phase]:
        return
    chair = ctx.users["council_chair"]
    for entry in round_.entries.select_related("dossier", "rubric"):
        sheet = ScoreSheet.objects.filter(round=round_, dossier=entry.dossier, member__user=chair).first()
        if entry.dossier.product_name in draft:
            if sheet is None:
                services.score_sheet_save(entry=entry, by=chair, choices=_chair_choices(entry, share=0.5))
        elif only is None or entry.dossier.product_name in only:
            if sheet is None or sheet.status != SheetStatus.SUBMITTED:
                services.score_sheet_submit(entry=entry, by=chair, choices=_chair_choices(entry))


def demo_extend(ctx) -> None:
    council = _council(ctx, CouncilKind.COUNCIL, "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Vĩnh Long", [
        ("council_chair", CouncilRole.CHAIR, "ppc"),
        ("council_secretary", CouncilRole.SECRETARY, "ocop_office"),
        ("council_member", CouncilRole.MEMBER, "department"),
        ("council_member_2", CouncilRole.MEMBER, "department"),
    ])
    advisory = _council(ctx, CouncilKind.ADVISORY_GROUP, "Tổ tư vấn giúp việc Hội đồng OCOP tỉnh Vĩnh Long", [
        ("advisory_member", CouncilRole.MEMBER, "ocop_office"),
    ])
    today = timezone.localdate()
    year = today.year
    bodies = {"council": council, "advisory_group": advisory}

    # Regular round 2: scored by the chair here, closed with its decision by products/demo.py.
    round_ = _round(ctx, kind=RoundKind.REGULAR, number=2, **bodies,
                    title=f"Kỳ đánh giá, phân hạng sản phẩm OCOP đợt 2 năm {year}",
                    opens_on=min(today, datetime.date(year, 7, 1)), forward_deadline=datetime.date(year, 10, 30),
                    closes_on=datetime.date(year, 12, 30))
    if _place_and_assign(ctx, round_, REGULAR_ROUND_DOSSIERS, per_dossier=4):
        _review_and_open_scoring(ctx, round_, today)
        _chair_scores(ctx, round_)

    # The re-evaluation round, decided by the members' written opinions: in the scoring phase.
    opens_on = _opening_day(today, 28)
    re_round = _round(ctx, kind=RoundKind.RE_EVALUATION, number=1, **bodies,
                      title=f"Kỳ đánh giá lại sản phẩm OCOP năm {year} (lấy ý kiến thành viên bằng văn bản)",
                      opens_on=opens_on, forward_deadline=max(opens_on, today - datetime.timedelta(days=14)),
                      closes_on=today + datetime.timedelta(days=30))
    if _place_and_assign(ctx, re_round, RE_EVALUATION_DOSSIERS, per_dossier=4):
        _review_and_open_scoring(ctx, re_round, today - datetime.timedelta(days=7))
        _chair_scores(ctx, re_round, only=(RE_EVALUATION_CHAIR_SUBMITTED,),
                      draft=tuple(n for n in RE_EVALUATION_DOSSIERS if n != RE_EVALUATION_CHAIR_SUBMITTED))

    # Regular round 3, an additional round: the advisory group has its dossier to review.
    opens_on = _opening_day(today, 10)
    extra = _round(ctx, kind=RoundKind.REGULAR, number=3, **bodies,
                   title=f"Kỳ đánh giá, phân hạng sản phẩm OCOP đợt bổ sung (đợt 3) năm {year}",
                   opens_on=opens_on, forward_deadline=max(opens_on, today - datetime.timedelta(days=3)),
                   closes_on=today + datetime.timedelta(days=45))
    if _place_and_assign(ctx, extra, ADDITIONAL_ROUND_DOSSIERS) and extra.phase == RoundPhase.INTAKE:
        from . import services

        services.round_transition(round=extra, to=RoundPhase.ADVISORY_REVIEW, by=ctx.users["province_staff"])
