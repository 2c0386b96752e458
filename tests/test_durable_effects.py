"""No lost work, end to end with a real broker and real workers (issue 9): a broker that is down when the user
publishes or exports, and a worker killed mid-task. Needs REDIS_URL (and PostgreSQL for the worker process)."""
import datetime
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from activity.models import Effect
from activity.services import effect_record, effects_sweep
from products import services as products
from products.enums import DecisionStatus
from products.models import Certificate
from reports.enums import RunStatus
from reports.models import ReportRun
from tests.brokers import broker_down
from tests.factories import PASSWORD, CommuneFactory, user_with_role
from tests.products.factories import closed_round, province_with_committee
from tests.reports.factories import ReportWorld

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.timedelta(0)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a real broker (REDIS_URL)"),
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _wait_for(check, seconds, what, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}" + (f"\n{log.read_text()}" if log else ""))


@pytest.mark.django_db(transaction=True)
def test_broker_down_then_back_the_sweep_and_a_worker_make_the_pdf_and_the_report_file_once(
        celery_worker, client, settings):
    province = province_with_committee()
    commune = CommuneFactory(parent=province)
    staff = user_with_role(Role.PROVINCE_STAFF, province)
    decision = products.decision_create_from_round(round_=closed_round(province, [4], commune=commune), by=staff)
    products.decision_transition(decision=decision, to=DecisionStatus.RECORDED, by=staff, number="1887/QĐ-UBND",
                                 decided_on=timezone.localdate(), signer_name="Nguyễn Văn Hưng", signer_title="")
    world = ReportWorld()

    with broker_down():
        assert client.login(username=staff.username, password=PASSWORD)
        published = client.post(reverse("products:decision_transition", args=[decision.pk]), {"to": "published", "confirmed": "1"})
        assert client.login(username=world.viewer.username, password=PASSWORD)
        exported = client.post(reverse("reports:report_detail", args=["dossier_progress"]), {
            "province": world.province.pk, "year": 2026, "period": "year", "grouping": "current_commune",
            "format": "xlsx"})

    certificate, run = Certificate.objects.get(), ReportRun.objects.get()
    assert (published.status_code, published["Location"]) == (302, decision.get_absolute_url())
    assert (exported.status_code, exported["Location"]) == (302, reverse("reports:run_detail", args=[run.pk]))
    assert (certificate.pdf.name, run.status) == ("", RunStatus.QUEUED)
    effects = Effect.objects.filter(task__in=["products.tasks.certificate_render", "reports.tasks.report_run_execute"])
    assert sorted(effects.values_list("task", "status")) == [
        ("products.tasks.certificate_render", "queued"), ("reports.tasks.report_run_execute", "queued")]
    assert all("Connection refused" in error for error in effects.values_list("last_error", flat=True))

    # The broker is back: the sweep hands everything over, twice in a row (a duplicate delivery), to the worker.
    effects_sweep(grace=NOW)
    effects_sweep(grace=NOW)
    _wait_for(lambda: not effects.exclude(status="done").exists(), 60, "the effects are done")

    certificate.refresh_from_db()
    run.refresh_from_db()
    media = Path(settings.MEDIA_ROOT)
    assert [p.name for p in (media / "products" / "certificates").rglob("*.pdf")] == [f"{certificate.verify_code}.pdf"]
    assert [p.name for p in (media / "reports" / "runs").rglob("*.xlsx")] == [run.file.name.rsplit("/", 1)[-1]]
    assert (run.status, run.row_count, ReportRun.objects.count(), Certificate.objects.count()) == (
        RunStatus.DONE, 2, 1, 1)
    assert effects_sweep(grace=NOW) == {"recorded": 0, "redispatched": 0, "failed": 0, "purged": 0}


def _worker(name: str, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ocop_portal", "worker", "--pool", "solo", "-l", "info",
         "-n", f"{name}@%h", "--without-mingle", "--without-gossip", "--include", "tests.celery_tasks"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_worker_killed_mid_run_runs_again_within_the_visibility_timeout(tmp_path):
    """SIGKILL leaves the task unacknowledged (acks late); after the visibility timeout a new worker gets it
    again and it produces its one result. The worker health check of docker-compose answers for that worker."""
    from ocop_portal.celery import app
    from tests.celery_tasks import slow_result_write

    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs the test database on PostgreSQL")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_VISIBILITY_TIMEOUT": "6", "CELERY_UNACKED_RESTORE_INTERVAL": "1", "MEDIA_ROOT": str(tmp_path / "media"),
    }
    folder = tmp_path / "work"
    folder.mkdir()
    starts, result = folder / "starts.log", folder / "result.txt"
    app.control.purge()
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    first = second = None
    try:
        effect = effect_record(task=slow_result_write, kwargs={"folder": str(folder), "seconds": 3})  # autocommit
        assert Effect.objects.get(pk=effect.pk).status == "dispatched"
        first = _worker("w1", env, tmp_path / "w1.log")
        _wait_for(starts.exists, 30, "the first worker starts the task", tmp_path / "w1.log")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert not result.exists()

        second = _worker("w2", env, tmp_path / "w2.log")
        # Delivered again once the visibility timeout (6 s) has passed: within 40 s, worker start-up included.
        _wait_for(result.exists, 40, "a new worker runs the task again", tmp_path / "w2.log")
        _wait_for(lambda: Effect.objects.get(pk=effect.pk).status == "done", 10, "the effect is marked done")

        assert len(starts.read_text().split()) == 2 and result.read_text(encoding="utf-8") == "một kết quả"
        assert sorted(p.name for p in folder.iterdir()) == ["result.txt", "starts.log"]

        # docker-compose's worker health check, as written there, for this worker's node name.
        compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
        kind, command = compose["services"]["worker"]["healthcheck"]["test"]
        assert kind == "CMD-SHELL" and command.startswith("celery ") and "celery@$$HOSTNAME" in command
        command = command.replace("celery@$$HOSTNAME", f"w2@{socket.gethostname()}").replace(
            "celery ", f"{sys.executable} -m celery ", 1)
        probe = subprocess.run(command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert probe.returncode == 0 and "pong" in probe.stdout, probe.stdout + probe.stderr
        missing = subprocess.run(command.replace("w2@", "w9@"), shell=True, cwd=ROOT, env=env, capture_output=True,
                                 text=True, timeout=60)
        assert missing.returncode != 0  # a worker that does not answer is unhealthy
    finally:
        app.conf.task_always_eager = previous
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(20)
