"""Demo records for evaluations: the Vĩnh Long council and advisory group with the demo users, and an open
round of the current year holding the accepted demo dossiers, assigned and partly scored. Idempotent."""
import datetime

from django.utils import timezone

from registrations.enums import DossierStatus
from registrations.models import Dossier

from .enums import CouncilKind, CouncilRole, RoundPhase, SheetStatus
from .models import Council, Membership, Option, Round, RoundEntry, ScoreSheet


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


def demo_extend(ctx) -> None:
    from . import services

    council = _council(ctx, CouncilKind.COUNCIL, "Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Vĩnh Long", [
        ("council_chair", CouncilRole.CHAIR, "ppc"),
        ("council_secretary", CouncilRole.SECRETARY, "ocop_office"),
        ("council_member", CouncilRole.MEMBER, "department"),
        ("council_member_2", CouncilRole.MEMBER, "department"),
    ])
    advisory = _council(ctx, CouncilKind.ADVISORY_GROUP, "Tổ tư vấn giúp việc Hội đồng OCOP tỉnh Vĩnh Long", [
        ("advisory_member", CouncilRole.MEMBER, "ocop_office"),
    ])
    staff = ctx.users["province_staff"]
    today = timezone.localdate()
    year = today.year
    round_ = Round.objects.filter(province=ctx.province, kind="regular", year=year, number=2).first()
    if round_ is None:
        round_ = services.round_open(
            province=ctx.province, council=council, advisory_group=advisory, year=year, number=2,
            title=f"Kỳ đánh giá, phân hạng sản phẩm OCOP đợt 2 năm {year}",
            opens_on=min(today, datetime.date(year, 7, 1)), forward_deadline=datetime.date(year, 10, 30),
            closes_on=datetime.date(year, 12, 30), by=staff,
        )
    accepted = list(Dossier.objects.filter(status=DossierStatus.ACCEPTED, commune__current_province=ctx.province)
                    .select_related("commune"))
    placeable = [d for d in accepted if round_.legal_document.rubrics.filter(product_set=d.product_set_id).exists()]
    if placeable and round_.phase == RoundPhase.INTAKE:
        services.round_dossiers_place(round=round_, dossiers=placeable, by=staff)
    if not RoundEntry.objects.filter(round=round_).exists():
        return  # registrations has no accepted dossiers (or no rubrics are loaded): the round stays in intake
    services.assignments_auto_balance(round=round_, by=staff, per_dossier=4)
    if round_.phase == RoundPhase.INTAKE:
        services.round_transition(round=round_, to=RoundPhase.ADVISORY_REVIEW, by=staff)
    if round_.phase == RoundPhase.ADVISORY_REVIEW:
        for entry in round_.entries.select_related("dossier"):
            services.advisory_finding_record(
                round=round_, dossier=entry.dossier, kind="site_visit", visited_on=today,
                text="Khảo sát vùng nguyên liệu và cơ sở sản xuất: đúng như hồ sơ.", by=ctx.users["advisory_member"],
            )
        services.round_transition(round=round_, to=RoundPhase.SCORING, by=staff)
    # The chair has already scored: the best option on each criterion except the last two.
    chair = ctx.users["council_chair"]
    for entry in round_.entries.all():
        if ScoreSheet.objects.filter(round=round_, dossier=entry.dossier, member__user=chair,
                                     status=SheetStatus.SUBMITTED).exists():
            continue
        choices = {}
        criteria = {}
        for option in Option.objects.filter(rubric=entry.rubric, criterion__scorable=True).order_by(
                "criterion__position", "-points"):
            criteria.setdefault(option.criterion_id, []).append(option)
        for i, (criterion_id, options) in enumerate(criteria.items()):
            choices[criterion_id] = options[min(1, len(options) - 1) if i % 3 == 2 else 0].pk
        services.score_sheet_submit(entry=entry, by=chair, choices=choices)
