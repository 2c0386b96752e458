import pytest
from django.core.management import call_command
from django.utils import timezone

from ocop_portal.demo import demo_load
from reports.enums import RunStatus
from plans.models import Plan
from reports.models import ReportRun, Subscription


@pytest.mark.django_db
def test_demo_has_a_plan_and_a_finished_run_for_the_report_viewer(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_units", verbosity=0)
    call_command("load_rubrics", verbosity=0)
    ctx = demo_load()
    ctx = demo_load()
    plan = Plan.objects.get()
    assert (plan.issuing_unit, plan.year_from, plan.year_to, plan.document_number) == (
        ctx.province, 2026, 2030, "1578/KH-UBND")
    assert plan.targets.get(indicator="new_3star", year=2026).value == 52
    assert (plan.stages.count(), plan.targets.count(), plan.budget_lines.count(), plan.manual_actuals.count()) == (
        2, 10, 4, 1)
    run = ReportRun.objects.get()
    assert (run.requested_by.username, run.status, run.format) == ("so.nnmt", RunStatus.DONE, "xlsx")
    assert run.file and run.row_count >= 1
    assert list(Subscription.objects.values_list("organisation__name", "code", "frequency", "format")) == [
        ("Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long", "periodic_progress", "quarterly", "pdf")]
    from reports.selectors import organisation_recipients

    assert [u.username for u in organisation_recipients(Subscription.objects.get().organisation)] == ["so.nnmt"]
    _dashboard_has_something_to_show(ctx)  # one demo load (minutes on PostgreSQL) serves both


def _chart(dashboard, chart_id):
    return next(c for c in dashboard.charts if c.id == chart_id)


def _dashboard_has_something_to_show(ctx):
    """The history since 2019 (legacy certificates, the expired ones expired), certificates ending in the coming
    months with the filing window open and missed, this year's cycle and the plan's targets."""
    from products.models import Certificate
    from reports.dashboards import province_dashboard

    dashboard = province_dashboard(ctx.province)
    history = _chart(dashboard, "chart-recognitions")
    issued = dict(zip(history.categories, (row[0] for row in history.values)))
    assert history.categories[0] == "2019" and all(issued[str(y)] >= 1 for y in range(2019, 2025))
    assert not Certificate.objects.filter(status="active", valid_until__lt=timezone.localdate()).exists()
    expiring = _chart(dashboard, "chart-expiring")
    by_state = [sum(row[j] for row in expiring.values) for j in range(3)]  # filed, window open, window missed
    assert all(n >= 1 for n in by_state[1:]) and sum(by_state) >= 4
    funnel = _chart(dashboard, "chart-funnel")
    assert all(row[0] >= 1 for row in funnel.values[:5])
    assert len(_chart(dashboard, "chart-plan").categories) >= 5
    assert not _chart(dashboard, "chart-stars").is_empty and not _chart(dashboard, "chart-behind").is_empty
