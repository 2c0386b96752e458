"""Plan services: saving with rows, the status table, showrooms — each change in the activity log."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from activity.models import ActivityLog
from plans import services
from plans.models import Plan, Stage, Target

from .factories import PlanFactory


def test_plan_save_saves_stages_before_targets_that_refer_to_them(world):
    plan = Plan(title="Đề án OCOP tỉnh Bến Tre 2021–2025", issuing_unit=world.ben_tre, year_from=2021, year_to=2025,
                document_date=datetime.date(2021, 6, 1))
    stage = Stage(name="Giai đoạn 2021–2023", year_from=2021, year_to=2023)
    target = Target(indicator="new_3star", unit=world.cho_lach, value=12, stage=stage)
    services.plan_save(plan=plan, rows=[target, stage], by=world.staff)
    assert list(plan.targets.values_list("stage__name", "unit__name")) == [("Giai đoạn 2021–2023", "Huyện Chợ Lách")]
    log = ActivityLog.objects.get(verb="Tạo kế hoạch OCOP")
    assert log.after["stages"] == ["Giai đoạn 2021–2023: 2021–2023"]


def test_an_invalid_row_saves_nothing(world):
    plan = Plan(title="Kế hoạch", issuing_unit=world.province, year_from=2026, year_to=2026)
    with pytest.raises(ValidationError):
        services.plan_save(plan=plan, rows=[Target(indicator="new_3star", unit=world.province, value=1, year=2030)],
                           by=world.staff)
    assert Plan.objects.filter(title="Kế hoạch").count() == 0


def test_status_moves_only_along_the_table(world):
    plan = PlanFactory(issuing_unit=world.province, status="draft")
    newer = PlanFactory(issuing_unit=world.province)
    with pytest.raises(ValidationError) as exc:
        services.plan_transition(plan=plan, to="ended", by=world.staff)
    assert exc.value.messages == ["Không thể chuyển kế hoạch từ “Dự thảo” sang “Đã kết thúc”."]
    services.plan_transition(plan=plan, to="in_force", by=world.staff)
    with pytest.raises(ValidationError):
        services.plan_transition(plan=plan, to="replaced", by=world.staff)
    plan = services.plan_transition(plan=plan, to="replaced", by=world.staff, replaced_by=newer)
    assert (plan.status, plan.replaced_by) == ("replaced", newer)
    assert list(ActivityLog.objects.filter(verb="Chuyển trạng thái kế hoạch OCOP").values_list("after__status", flat=True)
                .order_by("pk")) == ["in_force", "replaced"]


def test_showroom_record_takes_the_producer_s_name(world):
    from plans.models import Showroom

    showroom = services.showroom_record(showroom=Showroom(name="Điểm OCOP Mỏ Cày", commune=world.b, owner=world.p4,
                                                          opened_on=datetime.date(2026, 4, 1)), by=world.staff)
    assert showroom.owner_name == "HTX Bưởi Năm Roi Mỏ Cày"
    assert ActivityLog.objects.get(verb="Ghi nhận điểm bán sản phẩm OCOP").object_id == str(showroom.pk)
