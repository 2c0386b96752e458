"""Factories for plans."""
import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from plans.enums import CommunityOrganisationKind, FundingSource, NewRuralLevel, PlanStatus, TargetKind
from plans.models import (
    BudgetLine, CommunityOrganisation, ManualActual, NewRuralRecognition, Plan, Showroom, Stage, Target, Training,
)
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


class TrainingFactory(DjangoModelFactory):
    class Meta:
        model = Training

    title = factory.Sequence(lambda n: f"Lớp tập huấn OCOP số {n}")
    commune = factory.SubFactory(CommuneFactory)
    held_on = datetime.date(2026, 4, 15)
    participants = 40
    managers = 12


class CommunityOrganisationFactory(DjangoModelFactory):
    class Meta:
        model = CommunityOrganisation

    name = factory.Sequence(lambda n: f"Hợp tác xã Dừa sáp số {n}")
    commune = factory.SubFactory(CommuneFactory)
    kind = CommunityOrganisationKind.FORMED
    happened_on = datetime.date(2026, 2, 10)


class NewRuralRecognitionFactory(DjangoModelFactory):
    class Meta:
        model = NewRuralRecognition

    commune = factory.SubFactory(CommuneFactory)
    level = NewRuralLevel.ADVANCED
    year = 2026
    decision_number = factory.Sequence(lambda n: f"{100 + n}/QĐ-UBND")


_numbers = iter(range(1, 10**6))


def certify(commune, star: int, on: datetime.date, *, product=None, producer=None):
    """A published decision with one certificate for `commune`'s product, dated `on` (as a legacy entry or a
    portal decision leaves it). With `product`, the new certificate supersedes its active one (an upgrade when
    the star is higher, a re-recognition otherwise)."""
    from products.enums import CertificateStatus, DecisionStatus
    from products.models import Certificate, Decision, DecisionItem, Product
    from tests.registrations.factories import ProducerFactory, ProductSetFactory

    n = next(_numbers)
    province = commune.current_province or commune.province
    if product is None:
        product = Product.objects.create(
            code=f"T-{n}", producer=producer or ProducerFactory(commune=commune), product_set=ProductSetFactory(),
            name=f"Sản phẩm thử {n}", commune=commune, province=province, year=on.year)
    previous = Certificate.objects.filter(product=product, status=CertificateStatus.ACTIVE).first()
    if previous is not None:
        previous.status, previous.ended_on = CertificateStatus.SUPERSEDED, on
        previous.save(update_fields=["status", "ended_on"])
    decision = Decision.objects.create(status=DecisionStatus.PUBLISHED, province=province, number=f"{n}/QĐ-UBND",
                                       decided_on=on, is_legacy=True)
    item = DecisionItem.objects.create(decision=decision, product=product, product_name=product.name, star=star)
    return Certificate.objects.create(
        number=f"{n}/GCN", product=product, decision=decision, item=item, star=star, issued_on=on,
        valid_until=on.replace(year=on.year + 3), verify_code=f"v{n:08d}", supersedes=previous)
