"""The data migration moves reports' one-year provincial plans into plans (ids, targets and budget kept)."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0001_plans_initial"), ("reports", "0002_beat_schedule")]
AFTER = [("plans", "0002_plans_from_reports"), ("reports", "0003_plans_remove_plan")]


# PostgreSQL alters tables inside the test's transaction, so the migration is rolled back with it and no
# other test sees a flushed database; SQLite cannot alter tables inside a transaction.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs transactional DDL (PostgreSQL)")
@pytest.mark.django_db
def test_reports_plans_move_into_plans():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Unit = old.get_model("units", "AdministrativeUnit")
    province = Unit.objects.create(code="86", name="Tỉnh Vĩnh Long", level="province", kind="tinh",
                                   valid_from=datetime.date(2025, 7, 1))
    plan = old.get_model("reports", "Plan").objects.create(
        province=province, year=2026, title="Kế hoạch OCOP năm 2026", legal_reference="1578/KH-UBND",
        issued_on=datetime.date(2026, 2, 10))
    old.get_model("reports", "Target").objects.create(plan=plan, indicator="new_3star", value=Decimal("52"))
    old.get_model("reports", "Target").objects.create(plan=plan, indicator="cooperative_share", value=Decimal("30"))
    old.get_model("reports", "BudgetLine").objects.create(plan=plan, source="producers", planned_vnd=12_000_000_000,
                                                          actual_vnd=7_460_000_000)

    with connection.cursor() as cursor:  # check the deferred foreign keys now, or ALTER TABLE refuses
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("plans", "Plan").objects.get()
    assert (moved.pk, moved.title, moved.document_number, moved.document_date, moved.issuing_unit_id,
            moved.year_from, moved.year_to, moved.status) == (
        plan.pk, "Kế hoạch OCOP năm 2026", "1578/KH-UBND", datetime.date(2026, 2, 10), province.pk, 2026, 2026,
        "in_force")
    assert sorted(moved.targets.values_list("indicator", "kind", "value", "unit_id", "year")) == [
        ("cooperative_share", "percent", Decimal("30.00"), province.pk, None),
        ("new_3star", "count", Decimal("52.00"), province.pk, None)]
    assert list(moved.budget_lines.values_list("source", "planned_vnd", "actual_vnd")) == [
        ("counterpart", 12_000_000_000, 7_460_000_000)]
    # A new plan after the move gets a fresh id (the sequence moved past the kept ids).
    again = new.get_model("plans", "Plan").objects.create(title="Kế hoạch 2027", issuing_unit_id=province.pk,
                                                          year_from=2027, year_to=2027)
    assert again.pk > plan.pk
