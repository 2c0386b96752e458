import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from activity.models import ActivityLog, OutboxMessage
from reports import services
from reports.enums import Grouping, RunStatus
from reports.models import ReportRun
from reports.periods import Params

from .factories import SubscriptionFactory


def params_of(world, **kw):
    return Params(province=world.province, year=2026, grouping=Grouping.CURRENT_COMMUNE, **kw)


def test_a_requested_run_is_rendered_and_stored(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run, created = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="xlsx",
                                                   by=world.viewer)
    run.refresh_from_db()
    assert created is True
    assert (run.status, run.row_count, run.province_id, run.requested_by_id) == (RunStatus.DONE, 2, world.province.pk,
                                                                                world.viewer.pk)
    ws = load_workbook(io.BytesIO(run.file.read())).active
    assert [c.value for c in ws[7]][:1] + [[c.value for c in ws[7]][13]] == ["Tổng cộng", 9]
    assert run.file_size == run.file.size and run.expires_at > run.created_at + datetime.timedelta(days=29)
    assert ActivityLog.objects.filter(verb="Yêu cầu lập báo cáo", object_id=str(run.pk)).count() == 1


def test_identical_parameters_within_the_window_reuse_the_stored_file(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="csv", by=world.viewer)
    with django_capture_on_commit_callbacks(execute=True):
        again, created = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="csv",
                                                     by=world.staff)
        other_format, created_xlsx = services.report_run_request(code="dossier_progress", params=params_of(world),
                                                                 fmt="xlsx", by=world.staff)
    assert (again.pk, created, created_xlsx) == (first.pk, False, True)
    assert other_format.pk != first.pk and ReportRun.objects.count() == 2


def test_an_old_identical_run_is_not_reused(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="csv", by=world.viewer)
    ReportRun.objects.filter(pk=first.pk).update(created_at=first.created_at - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        second, created = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="csv",
                                                      by=world.viewer)
    assert created is True and second.pk != first.pk


def test_a_run_still_queued_is_not_handed_back_and_the_sweep_renders_it(world, django_capture_on_commit_callbacks):
    """A run whose hand-over to the broker was lost stays queued; an identical request gets a new run, and the
    effects sweep renders the stuck one."""
    from activity.models import Effect
    from activity.services import effects_sweep

    stuck, _ = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="csv",
                                           by=world.viewer)  # its on-commit hand-over never runs
    with django_capture_on_commit_callbacks(execute=True):
        fresh, created = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="csv",
                                                     by=world.viewer)
    fresh.refresh_from_db()
    assert (created, fresh.pk != stuck.pk, fresh.status) == (True, True, RunStatus.DONE)
    assert ReportRun.objects.get(pk=stuck.pk).status == RunStatus.QUEUED
    with django_capture_on_commit_callbacks(execute=True):
        counts = effects_sweep(grace=datetime.timedelta(0))
    stuck.refresh_from_db()
    assert (counts["redispatched"], stuck.status, stuck.row_count) == (1, RunStatus.DONE, 2)
    assert sorted(Effect.objects.filter(task="reports.tasks.report_run_execute").values_list("kwargs__run_id", "status")) == sorted(
        [(stuck.pk, "done"), (fresh.pk, "done")])


def test_an_unknown_report_or_format_is_refused(world):
    with pytest.raises(ValidationError):
        services.report_run_request(code="khong-co", params=params_of(world), fmt="csv", by=world.viewer)
    with pytest.raises(ValidationError):
        services.report_run_request(code="dossier_progress", params=params_of(world), fmt="pdf", by=world.viewer)


def test_a_failing_run_is_marked_failed_not_left_running(world):
    from tests.reports.factories import ReportRunFactory

    run = ReportRunFactory(province=world.province, code="dossier_progress",
                           parameters={"province": world.province.pk, "year": 2026, "round": 999999})
    services.report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "Round" in run.error and not run.file


def test_monthly_subscription_delivers_a_run_to_the_inbox_once(world, django_capture_on_commit_callbacks):
    SubscriptionFactory(user=world.viewer, province=world.province, code="dossier_progress")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.subscriptions_deliver(today=datetime.date(2026, 12, 1)) == 1
        assert services.subscriptions_deliver(today=datetime.date(2026, 12, 5)) == 0
    run = ReportRun.objects.get()
    assert (run.status, run.parameters["period"], run.parameters["part"]) == (RunStatus.DONE, "month", 11)
    message = OutboxMessage.objects.get()
    assert message.subject == "Báo cáo định kỳ: Tiến độ hồ sơ OCOP — Tháng 11/2026 (đến ngày 30)"
