import pytest
from django.core.management import call_command

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
