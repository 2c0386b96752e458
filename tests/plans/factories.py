"""Factories for plans."""
import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from plans.enums import FundingSource, PlanStatus, TargetKind
from plans.models import BudgetLine, ManualActual, Plan, Showroom, Stage, Target
from tests.factories import CommuneFactory, ProvinceFactory


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Kế hoạch thực hiện Chương trình OCOP năm 2026 ({n})")
    document_number = "1578/KH-UBND"
    issuing_unit = factory.SubFactory(ProvinceFactory)
    year_from = 2026
    year_to = factory.LazyAttribute(lambda o: o.year_from)
    status = PlanStatus.IN_FORCE


class StageFactory(DjangoModelFactory):
    class Meta:
        model = Stage

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Giai đoạn {n}")
    year_from = factory.LazyAttribute(lambda o: o.plan.year_from)
    year_to = factory.LazyAttribute(lambda o: o.plan.year_to)


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    indicator = "new_3star"
    unit = factory.LazyAttribute(lambda o: o.plan.issuing_unit)
    kind = TargetKind.COUNT
    value = Decimal("52")


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    plan = factory.SubFactory(PlanFactory)
    source = FundingSource.PROVINCIAL
    planned_vnd = 1_000_000_000
    actual_vnd = 0


class ManualActualFactory(DjangoModelFactory):
    class Meta:
        model = ManualActual

    plan = factory.SubFactory(PlanFactory)
    indicator = "trainings"
    unit = factory.LazyAttribute(lambda o: o.plan.issuing_unit)
    value = Decimal("4")
    source_note = "Báo cáo 112/BC-UBND ngày 15/12/2020"


class ShowroomFactory(DjangoModelFactory):
    class Meta:
        model = Showroom

    name = factory.Sequence(lambda n: f"Điểm bán sản phẩm OCOP {n}")
    commune = factory.SubFactory(CommuneFactory)
    owner_name = "HTX Dừa Xiêm Chợ Lách"
    opened_on = datetime.date(2026, 3, 26)
