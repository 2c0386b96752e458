"""Demo data for plans: Vĩnh Long's 2026–2030 OCOP plan with two stages, targets per year, stage and whole
period, a budget for 2026 by source, one hand-entered actual, and in a demo commune a showroom, a community
organisation and a model new-rural recognition. Idempotent."""
import datetime
from decimal import Decimal

from .enums import CommunityOrganisationKind, FundingSource, NewRuralLevel, PlanStatus, TargetKind
from .models import BudgetLine, CommunityOrganisation, ManualActual, NewRuralRecognition, Plan, Showroom, Stage, Target

PLAN_TITLE = "Kế hoạch thực hiện Chương trình Mỗi xã một sản phẩm (OCOP) tỉnh Vĩnh Long giai đoạn 2026–2030"
DOCUMENT_NUMBER = "1578/KH-UBND"
# indicator, kind, value, value_max, year (None: whole period) or stage index
TARGETS = [
    ("new_3star", TargetKind.COUNT, "250", None, None, None),
    ("new_3star", TargetKind.COUNT, "52", None, 2026, None),
    ("new_3star", TargetKind.COUNT, "100", None, None, 0),
    ("four_star", TargetKind.COUNT, "12", None, 2026, None),
    ("five_star_proposals", TargetKind.COUNT, "2", None, 2026, None),
    ("upgraded", TargetKind.COUNT, "10", None, 2026, None),
    ("cooperative_share", TargetKind.PERCENT, "30", None, None, None),
    ("modern_channel_share", TargetKind.PERCENT, "50", None, None, None),
    ("showrooms", TargetKind.RANGE, "5", "8", None, None),
    ("trainings", TargetKind.COUNT, "6", None, 2026, None),
]
BUDGET_2026 = {
    FundingSource.CENTRAL: (3_500_000_000, 1_250_000_000),
    FundingSource.PROVINCIAL: (4_200_000_000, 2_730_500_000),
    FundingSource.COMMUNE: (600_000_000, 185_000_000),
    FundingSource.COUNTERPART: (12_000_000_000, 7_460_000_000),
}


def demo_extend(ctx) -> None:
    plan, _created = Plan.objects.get_or_create(
        issuing_unit=ctx.province, document_number=DOCUMENT_NUMBER,
        defaults={"title": PLAN_TITLE, "document_date": datetime.date(2026, 2, 10), "year_from": 2026,
                  "year_to": 2030, "orientation_year": 2035, "status": PlanStatus.IN_FORCE,
                  "document_total_vnd": sum(p for p, _a in BUDGET_2026.values())},
    )
    stages = [Stage.objects.get_or_create(plan=plan, name=name, defaults={"year_from": a, "year_to": b})[0]
              for name, a, b in (("Giai đoạn 2026–2027", 2026, 2027), ("Giai đoạn 2028–2030", 2028, 2030))]
    for indicator, kind, value, value_max, year, stage in TARGETS:
        Target.objects.update_or_create(
            plan=plan, indicator=indicator, unit=ctx.province, year=year,
            stage=stages[stage] if stage is not None else None,
            defaults={"kind": kind, "value": Decimal(value), "value_max": Decimal(value_max) if value_max else None})
    for source, (planned, actual) in BUDGET_2026.items():
        BudgetLine.objects.update_or_create(plan=plan, source=source, year=2026, stage=None,
                                            defaults={"planned_vnd": planned, "actual_vnd": actual})
    ManualActual.objects.update_or_create(
        plan=plan, indicator="trainings", unit=ctx.province, year=2026, stage=None,
        defaults={"value": Decimal("2"), "source_note": "Báo cáo 45/BC-SNNMT ngày 30/6/2026 của Sở NN&MT",
                  "entered_by": ctx.users.get("province_staff")})
    Showroom.objects.get_or_create(
        name="Điểm giới thiệu sản phẩm OCOP Chợ Lách", commune=ctx.communes[0],
        defaults={"owner_name": "HTX Dừa Xiêm Chợ Lách", "opened_on": datetime.date(2026, 3, 26)})
    CommunityOrganisation.objects.get_or_create(
        name="Hợp tác xã Dừa sáp Chợ Lách", commune=ctx.communes[0],
        defaults={"kind": CommunityOrganisationKind.FORMED, "happened_on": datetime.date(2026, 4, 8)})
    NewRuralRecognition.objects.get_or_create(
        commune=ctx.communes[0], level=NewRuralLevel.MODEL, year=2025,
        defaults={"decision_number": "2150/QĐ-UBND"})
