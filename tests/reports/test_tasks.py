import io
import time

import pytest
from openpyxl import load_workbook

from reports.enums import RunStatus
from reports.models import ReportRun
from reports.tasks import report_run_execute

from .factories import ReportRunFactory, ReportWorld


def test_the_task_is_idempotent_one_file_per_run(world, settings):
    run = ReportRunFactory(province=world.province, requested_by=world.viewer)
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    first_name, finished = run.file.name, run.finished_at
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.file.name, run.finished_at) == (RunStatus.DONE, first_name, finished)
    stored = list((settings.MEDIA_ROOT / "reports" / "runs").rglob("*.xlsx"))
    assert [p.name for p in stored] == [first_name.rsplit("/", 1)[-1]]


def test_the_task_ignores_a_missing_run(db):
    assert report_run_execute(run_id=424242) == ""


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_completes_a_requested_run(celery_worker, django_capture_on_commit_callbacks):
    from reports import services
    from reports.enums import Grouping
    from reports.periods import Params

    world = ReportWorld()
    run, _created = services.report_run_request(
        code="dossier_progress", params=Params(province=world.province, year=2026, grouping=Grouping.OLD_PROVINCE),
        fmt="xlsx", by=world.viewer)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_finished:
            break
        time.sleep(0.2)
    assert run.status == RunStatus.DONE
    ws = load_workbook(io.BytesIO(run.file.read())).active
    assert [[c.value for c in row][:1] + [[c.value for c in row][14]] for row in ws.iter_rows(min_row=5, max_row=7)] == [
        ["Tỉnh Bến Tre (cũ)", 7], ["Tỉnh Vĩnh Long (cũ)", 2], ["Tổng cộng", 9]]
    assert ReportRun.objects.count() == 1


def test_expired_files_are_purged_and_the_run_kept(world):
    import datetime

    from django.utils import timezone

    run = ReportRunFactory(province=world.province)
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    path = run.file.path
    from reports.tasks import report_runs_purge

    assert report_runs_purge() == 0
    ReportRun.objects.filter(pk=run.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert report_runs_purge() == 1
    run.refresh_from_db()
    import os

    assert (run.file.name, os.path.exists(path), run.status) == ("", False, RunStatus.DONE)
