"""Move the one-year provincial plans of reports (Plan, Target, BudgetLine) into plans, keeping their ids.

A reports plan was one current province's plan for one year: it becomes a plan issued by that province for
year_from = year_to = year, in force; its targets apply to the province for the whole period; budget
"producers" becomes the counterpart funds.
"""
from django.db import migrations

PERCENT = {"cooperative_share", "modern_channel_share"}
SOURCES = {"producers": "counterpart"}


def forward(apps, schema_editor):
    OldPlan = apps.get_model("reports", "Plan")
    Plan = apps.get_model("plans", "Plan")
    Target = apps.get_model("plans", "Target")
    BudgetLine = apps.get_model("plans", "BudgetLine")
    for old in OldPlan.objects.order_by("pk"):
        plan = Plan.objects.create(
            pk=old.pk, title=old.title, document_number=old.legal_reference, document_date=old.issued_on,
            issuing_unit_id=old.province_id, year_from=old.year, year_to=old.year, status="in_force")
        for t in old.targets.order_by("pk"):
            Target.objects.create(plan=plan, indicator=t.indicator, unit_id=old.province_id, value=t.value,
                                  kind="percent" if t.indicator in PERCENT else "count", note=t.note)
        for b in old.budget_lines.order_by("pk"):
            BudgetLine.objects.create(plan=plan, source=SOURCES.get(b.source, b.source), planned_vnd=b.planned_vnd,
                                      actual_vnd=b.actual_vnd, note=b.note)
    if Plan.objects.exists() and schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # ids were kept: move the sequence past them
            cursor.execute("SELECT setval(pg_get_serial_sequence('plans_plan', 'id'), (SELECT MAX(id) FROM plans_plan))")


def backward(apps, schema_editor):
    OldPlan = apps.get_model("reports", "Plan")
    OldTarget = apps.get_model("reports", "Target")
    OldBudgetLine = apps.get_model("reports", "BudgetLine")
    Plan = apps.get_model("plans", "Plan")
    back = {v: k for k, v in SOURCES.items()}
    for plan in Plan.objects.order_by("pk"):
        if plan.year_from != plan.year_to or plan.issuing_unit.level != "province" or plan.issuing_unit.valid_to:
            continue  # a plan reports could not hold stays behind
        old = OldPlan.objects.create(pk=plan.pk, province_id=plan.issuing_unit_id, year=plan.year_from,
                                     title=plan.title, legal_reference=plan.document_number,
                                     issued_on=plan.document_date)
        for t in plan.targets.filter(year__isnull=True, stage__isnull=True, unit_id=plan.issuing_unit_id):
            OldTarget.objects.get_or_create(plan=old, indicator=t.indicator, defaults={"value": t.value, "note": t.note})
        for b in plan.budget_lines.filter(year__isnull=True, stage__isnull=True,
                                          source__in=["central", "provincial", "commune", "counterpart", "other"]):
            OldBudgetLine.objects.get_or_create(plan=old, source=back.get(b.source, b.source),
                                                defaults={"planned_vnd": b.planned_vnd, "actual_vnd": b.actual_vnd,
                                                          "note": b.note})


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_plans_initial"),
        ("reports", "0002_beat_schedule"),
    ]

    operations = [migrations.RunPython(forward, backward)]
