"""Writes of plans: saving a plan with its stages, targets, budget lines and hand-entered actuals, moving it
through its lifecycle, recording showrooms, trainings, community organisations and new-rural communes. Every change is written to the activity log."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activity.services import activity_record

from .enums import PLAN_TRANSITIONS, PlanStatus
from .models import (
    BudgetLine, CommunityOrganisation, ManualActual, NewRuralRecognition, Plan, Showroom, Stage, Target, Training,
)


def plan_snapshot(plan: Plan) -> dict:
    """The plan and its rows as plain values, for the activity log's before/after."""
    if plan.pk is None:
        return {}
    return {
        "title": plan.title, "document": plan.reference, "unit": plan.issuing_unit_id,
        "period": f"{plan.year_from}–{plan.year_to}", "orientation": plan.orientation_year, "status": plan.status,
        "document_total_vnd": plan.document_total_vnd,
        "stages": sorted(f"{s.name}: {s.year_from}–{s.year_to}" for s in Stage.objects.filter(plan=plan)),
        "targets": sorted(f"{t.indicator}@{t.unit_id}/{t.year or ''}/{t.stage_id or ''}: {t.kind} {t.value}"
                          f"{'-' + str(t.value_max) if t.value_max is not None else ''}"
                          for t in Target.objects.filter(plan=plan)),
        "budget": sorted(f"{b.source}/{b.year or ''}/{b.stage_id or ''}: {b.planned_vnd}/{b.actual_vnd}"
                         for b in BudgetLine.objects.filter(plan=plan)),
        "manual": sorted(f"{m.indicator}@{m.unit_id}/{m.year or ''}/{m.stage_id or ''}: {m.value} ({m.source_note})"
                         for m in ManualActual.objects.filter(plan=plan)),
    }


@transaction.atomic
def plan_save(*, plan: Plan, rows: list, deleted: list = (), by) -> Plan:
    """Create or update a plan with its child rows (unsaved or changed Stage / Target / BudgetLine /
    ManualActual instances; `deleted` ones go). Stages are saved first so targets can refer to them."""
    created = plan.pk is None
    before = {}
    if not created:  # one editor at a time; the log compares with the saved plan
        before = plan_snapshot(Plan.objects.select_for_update().get(pk=plan.pk))
    plan.full_clean()
    plan.save()
    for row in deleted:
        if row.pk is not None and row.plan_id == plan.pk:
            row.delete()
    order = {Stage: 0, Target: 1, BudgetLine: 2, ManualActual: 3}
    for row in sorted(rows, key=lambda r: order[type(r)]):
        row.plan = plan
        if isinstance(row, ManualActual) and row.entered_by_id is None:
            row.entered_by = by if getattr(by, "is_authenticated", False) else None
        row.full_clean()
        row.save()
    after = plan_snapshot(plan)
    if created:
        activity_record(actor=by, verb=gettext_lazy("Tạo kế hoạch OCOP"), target=plan, after=after)
    elif before != after:
        activity_record(actor=by, verb=gettext_lazy("Sửa kế hoạch OCOP"), target=plan, before=before, after=after)
    return plan


@transaction.atomic
def plan_transition(*, plan: Plan, to: str, by, replaced_by: Plan | None = None) -> Plan:
    """Move a plan to `to` if the lifecycle table allows it (draft → in force → ended / replaced)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    to = PlanStatus(to)
    if to not in PLAN_TRANSITIONS[PlanStatus(plan.status)]:
        raise ValidationError(_("Không thể chuyển kế hoạch từ “%(a)s” sang “%(b)s”.")
                              % {"a": plan.get_status_display(), "b": to.label})
    if to == PlanStatus.REPLACED and replaced_by is None:
        raise ValidationError(_("Hãy chọn kế hoạch thay thế."))
    before = plan.status
    plan.status = to
    plan.replaced_by = replaced_by if to == PlanStatus.REPLACED else plan.replaced_by
    plan.save(update_fields=["status", "replaced_by", "updated_at"])
    activity_record(actor=by, verb=gettext_lazy("Chuyển trạng thái kế hoạch OCOP"), target=plan,
                    before={"status": before}, after={"status": plan.status, "replaced_by": plan.replaced_by_id})
    return plan


@transaction.atomic
def showroom_record(*, showroom: Showroom, by) -> Showroom:
    """Save a showroom or point of sale; the owner's name follows the producer when one is chosen."""
    created = showroom.pk is None
    if showroom.owner_id and not showroom.owner_name:
        showroom.owner_name = showroom.owner.name
    showroom.full_clean()
    showroom.save()
    activity_record(actor=by, verb=gettext_lazy("Ghi nhận điểm bán sản phẩm OCOP") if created
                    else gettext_lazy("Sửa điểm bán sản phẩm OCOP"), target=showroom,
                    after={"name": showroom.name, "commune": showroom.commune_id,
                           "opened_on": showroom.opened_on, "closed_on": showroom.closed_on})
    return showroom


@transaction.atomic
def training_record(*, training: Training, by) -> Training:
    """Save a training course of the programme."""
    created = training.pk is None
    training.full_clean()
    training.save()
    activity_record(actor=by, verb=gettext_lazy("Ghi nhận lớp tập huấn") if created
                    else gettext_lazy("Sửa lớp tập huấn"), target=training,
                    after={"title": training.title, "commune": training.commune_id, "held_on": training.held_on,
                           "participants": training.participants, "managers": training.managers})
    return training


@transaction.atomic
def community_organisation_record(*, organisation: CommunityOrganisation, by) -> CommunityOrganisation:
    """Save a community organisation formed or restructured under the programme."""
    created = organisation.pk is None
    organisation.full_clean()
    organisation.save()
    activity_record(actor=by, verb=gettext_lazy("Ghi nhận tổ chức kinh tế cộng đồng") if created
                    else gettext_lazy("Sửa tổ chức kinh tế cộng đồng"), target=organisation,
                    after={"name": organisation.name, "commune": organisation.commune_id, "kind": organisation.kind,
                           "happened_on": organisation.happened_on})
    return organisation


@transaction.atomic
def new_rural_recognition_record(*, recognition: NewRuralRecognition, by) -> NewRuralRecognition:
    """Save a commune's recognition at the advanced or model new-rural standard."""
    created = recognition.pk is None
    recognition.full_clean()
    recognition.save()
    activity_record(actor=by, verb=gettext_lazy("Ghi nhận xã đạt chuẩn nông thôn mới") if created
                    else gettext_lazy("Sửa ghi nhận xã đạt chuẩn nông thôn mới"), target=recognition,
                    after={"commune": recognition.commune_id, "level": recognition.level, "year": recognition.year,
                           "decision_number": recognition.decision_number})
    return recognition
