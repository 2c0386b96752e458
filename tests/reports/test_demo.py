import pytest
from django.core.management import call_command

from ocop_portal.demo import demo_load
from reports.enums import RunStatus
from reports.models import Plan, ReportRun, Subscription


@pytest.mark.django_db
def test_demo_has_a_plan_and_a_finished_run_for_the_report_viewer(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_units", verbosity=0)
    call_command("load_rubrics", verbosity=0)
    ctx = demo_load()
    ctx = demo_load()
    plan = Plan.objects.get()
    assert (plan.province, plan.year, plan.legal_reference) == (ctx.province, 2026, "Kế hoạch 1578/KH-UBND")
    assert dict(plan.targets.values_list("indicator", "value"))["new_3star"] == 52
    assert plan.budget_lines.count() == 4
    run = ReportRun.objects.get()
    assert (run.requested_by.username, run.status, run.format) == ("so.nnmt", RunStatus.DONE, "xlsx")
    assert run.file and run.row_count >= 1
    assert list(Subscription.objects.values_list("user__username", "frequency")) == [("so.nnmt", "monthly")]
