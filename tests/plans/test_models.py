"""Invariants of plans held by the database, and the models' own validation."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.models import BudgetLine, ManualActual, Plan, Target

from .factories import BudgetLineFactory, PlanFactory, StageFactory, TargetFactory


@pytest.mark.parametrize("make", [
    pytest.param(lambda p, s: Target.objects.create(plan=p, indicator="new_3star", unit=p.issuing_unit, value=1),
                 id="second target for the whole period"),
    pytest.param(lambda p, s: Target.objects.create(plan=p, indicator="four_star", unit=p.issuing_unit, value=1,
                                                    year=2023, stage=s), id="year and stage"),
    pytest.param(lambda p, s: Target.objects.create(plan=p, indicator="four_star", unit=p.issuing_unit, value=2,
                                                    kind="range"), id="range without max"),
    pytest.param(lambda p, s: Target.objects.create(plan=p, indicator="four_star", unit=p.issuing_unit, value=120,
                                                    kind="percent"), id="percent over 100"),
    pytest.param(lambda p, s: BudgetLine.objects.create(plan=p, source="central", planned_vnd=-1), id="negative"),
    pytest.param(lambda p, s: BudgetLine.objects.create(plan=p, source="bank", planned_vnd=1), id="unknown source"),
    pytest.param(lambda p, s: ManualActual.objects.create(plan=p, indicator="trainings", unit=p.issuing_unit,
                                                          value=1, source_note=""), id="entered without source"),
    pytest.param(lambda p, s: Plan.objects.create(title="x", issuing_unit=p.issuing_unit, year_from=2025,
                                                  year_to=2021), id="years backwards"),
    pytest.param(lambda p, s: Plan.objects.create(title="x", issuing_unit=p.issuing_unit, year_from=2021,
                                                  year_to=2025, orientation_year=2025), id="orientation inside"),
])
def test_database_refuses(db, make):
    plan = PlanFactory(year_from=2021, year_to=2025)
    stage = StageFactory(plan=plan, year_from=2021, year_to=2023)
    TargetFactory(plan=plan, indicator="new_3star")
    with pytest.raises(IntegrityError), transaction.atomic():
        make(plan, stage)


def test_the_same_indicator_may_have_a_target_per_year_per_stage_and_for_the_period(db):
    plan = PlanFactory(year_from=2021, year_to=2025)
    stage = StageFactory(plan=plan, year_from=2021, year_to=2023)
    for kw in ({}, {"year": 2021}, {"year": 2022}, {"stage": stage}):
        TargetFactory(plan=plan, indicator="new_3star", **kw)
    assert plan.targets.count() == 4


def test_a_plan_is_issued_by_a_unit_that_existed_on_its_date(db):
    from tests.reports.factories import ReportWorld

    world = ReportWorld()
    plan = Plan(title="Kế hoạch 2026", issuing_unit=world.cho_lach, year_from=2026, year_to=2026,
                document_date=datetime.date(2026, 1, 10))
    with pytest.raises(ValidationError) as exc:
        plan.full_clean()
    assert exc.value.message_dict == {"issuing_unit": ["Đơn vị này không còn (hoặc chưa có) vào ngày ban hành văn bản."]}
    plan.document_date = datetime.date(2022, 3, 14)
    plan.full_clean()


def test_row_validation_speaks_vietnamese(db):
    plan = PlanFactory(year_from=2022, year_to=2025)
    other = StageFactory()
    target = Target(plan=plan, indicator="cooperative_share", unit=plan.issuing_unit, kind="count",
                    value=Decimal("30"), year=2030)
    with pytest.raises(ValidationError) as exc:
        target.full_clean()
    assert exc.value.message_dict == {"kind": ["Chỉ tiêu này là một tỷ lệ (%)."],
                                      "year": ["Năm phải nằm trong thời gian của kế hoạch (2022–2025)."]}
    line = BudgetLine(plan=plan, source="central", planned_vnd=1, stage=other)
    with pytest.raises(ValidationError) as exc:
        line.full_clean()
    assert exc.value.message_dict == {"stage": ["Giai đoạn không thuộc kế hoạch này."]}


def test_value_labels(db):
    assert [TargetFactory.build(kind=k, value=Decimal(v), value_max=Decimal(m) if m else None).value_label
            for k, v, m in (("count", "52.00", None), ("percent", "30.50", None), ("range", "20", "30"))] == [
        "52", "30.5%", "20–30"]
    assert BudgetLineFactory.build(year=2023).period_label == "Năm 2023"
