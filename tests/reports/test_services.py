import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
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
    assert [c.value for c in ws[7]][:1] + [[c.value for c in ws[7]][14]] == ["Tổng cộng", 9]
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
        services.report_run_request(code="dossier_progress", params=params_of(world), fmt="docx", by=world.viewer)


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
    with django_capture_on_commit_callbacks(execute=True):
        assert services.subscriptions_deliver(today=datetime.date(2026, 12, 5)) == 0
    run = ReportRun.objects.get()
    assert (run.status, run.parameters["period"], run.parameters["part"]) == (RunStatus.DONE, "month", 11)
    message = OutboxMessage.objects.get()
    assert message.subject == "Báo cáo định kỳ: Tiến độ hồ sơ OCOP — Tháng 11/2026 (đến ngày 30)"


# --- never stale: reuse only for the same data; one stored file per content -------------------------------
def _total_in_csv(run) -> str:
    run.refresh_from_db()
    lines = run.file.read().decode("utf-8-sig").splitlines()
    run.file.close()
    return lines[-1].split(",")[14]  # the total row's "Tổng số hồ sơ"


def test_a_record_changed_without_touching_any_timestamp_makes_a_new_run_with_the_new_figure(
        world, django_capture_on_commit_callbacks):
    from registrations.models import Dossier

    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="csv",
                                               by=world.viewer)
    assert _total_in_csv(first) == "9"
    # A bulk update bypasses auto_now: only a version of the data itself notices it.
    Dossier.objects.filter(pk=world.d_not.pk).update(commune=world.far)
    with django_capture_on_commit_callbacks(execute=True):
        second, created = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="csv",
                                                      by=world.viewer)
    assert (created, second.pk != first.pk, _total_in_csv(second)) == (True, True, "8")
    first.refresh_from_db()
    assert first.data_version != second.data_version and second.file.name != first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        third, created = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="csv",
                                                     by=world.staff)
    assert (third.pk, created) == (second.pk, False)


def test_the_data_version_follows_the_figures_not_the_moment_they_were_read(world):
    from reports.registry import get_report
    from tests.registrations.factories import DossierFactory

    report = get_report("dossier_progress")
    first = services.report_table(report=report, params=params_of(world))
    again = services.report_table(report=report, params=params_of(world))
    assert again.as_of > first.as_of
    assert services.table_data_version(first) == services.table_data_version(again)
    DossierFactory(producer=world.p5, commune=world.b, status="draft")
    changed = services.report_table(report=report, params=params_of(world))
    assert services.table_data_version(changed) != services.table_data_version(first)
    assert len(services.table_data_version(changed)) == 64


def test_the_same_data_outside_the_window_gets_a_new_run_sharing_one_stored_file(
        world, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="xlsx",
                                               by=world.viewer)
    first.refresh_from_db()
    ReportRun.objects.filter(pk=first.pk).update(created_at=first.created_at - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        second, created = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="xlsx",
                                                      by=world.staff)
    second.refresh_from_db()
    assert (created, second.status, second.row_count) == (True, RunStatus.DONE, 2)
    assert (second.file.name, second.file_size, second.data_as_of, second.data_version) == (
        first.file.name, first.file_size, first.data_as_of, first.data_version)
    assert [p.name for p in (settings.MEDIA_ROOT / "reports" / "runs").rglob("*.xlsx")] == [
        first.file.name.rsplit("/", 1)[-1]]

    # The purge keeps a shared file while one of its runs is kept, and deletes it with the last one.
    now = second.expires_at - datetime.timedelta(days=1)
    ReportRun.objects.filter(pk=first.pk).update(expires_at=now - datetime.timedelta(days=1))
    assert services.report_runs_purge(now=now) == 1
    first.refresh_from_db()
    assert (first.file.name, second.file.storage.exists(second.file.name)) == ("", True)
    assert services.report_runs_purge(now=second.expires_at + datetime.timedelta(seconds=1)) == 1
    assert second.file.storage.exists(second.file.name) is False


@pytest.mark.django_db(transaction=True)
def test_two_identical_runs_rendered_at_the_same_time_keep_one_stored_file(settings):
    """Two workers render two runs of the same report, parameters and data at once: one file is stored, the
    other run shares it (the second to store finds the first under the lock)."""
    import threading

    from django.db import connection, connections

    from .factories import ReportWorld

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent PostgreSQL transactions")
    world = ReportWorld()
    params = params_of(world)
    runs = [ReportRun.objects.create(code="dossier_progress", parameters=params.to_json(), province=world.province,
                                     fingerprint=params.fingerprint("dossier_progress", "xlsx"), format="xlsx",
                                     expires_at=timezone.now() + services.KEEP_FILES) for _ in range(2)]
    barrier, errors = threading.Barrier(2), []

    def execute(run_id):
        try:
            barrier.wait()
            services.report_run_execute(run_id=run_id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=execute, args=(run.pk,)) for run in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    done = list(ReportRun.objects.filter(pk__in=[r.pk for r in runs]).values_list("status", "file", "data_as_of"))
    assert [d[0] for d in done] == [RunStatus.DONE] * 2 and len({(d[1], d[2]) for d in done}) == 1
    assert len(list((settings.MEDIA_ROOT / "reports" / "runs").rglob("*.xlsx"))) == 1


def test_a_run_asked_for_in_english_is_made_and_reused_in_the_portals_language(world, django_capture_on_commit_callbacks):
    """The worker has no request language: the file is Vietnamese, and the data version a request computes is
    the file's, so an English-speaking viewer's identical request is handed the run made for them."""
    from django.utils import translation

    from reports.registry import get_report

    with translation.override("en"):
        assert str(get_report("dossier_progress").title) == "OCOP dossier progress"  # English is really active
        with django_capture_on_commit_callbacks(execute=True):
            first, _ = services.report_run_request(code="dossier_progress", params=params_of(world), fmt="xlsx",
                                                   by=world.viewer)
        with django_capture_on_commit_callbacks(execute=True):
            again, created = services.report_run_request(code="dossier_progress", params=params_of(world),
                                                         fmt="xlsx", by=world.viewer)
    first.refresh_from_db()
    assert (again.pk, created) == (first.pk, False)
    ws = load_workbook(io.BytesIO(first.file.read())).active
    assert (ws["A1"].value, ws["A4"].value) == ("Tiến độ hồ sơ OCOP", "Xã, phường")
