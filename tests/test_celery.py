"""ocop_portal/celery.py: the fixed schedule run by Celery's own beat, and the beat heartbeat."""
import os
import subprocess
import sys
import time
from pathlib import Path

from celery.schedules import crontab

from ocop_portal.celery import HeartbeatScheduler, app

ROOT = Path(__file__).resolve().parent.parent


def test_the_daily_tasks_and_the_effects_sweep_are_scheduled_in_vietnam_time():
    schedule = app.conf.beat_schedule
    daily = {entry["task"]: (sorted(entry["schedule"].hour), sorted(entry["schedule"].minute))
             for entry in schedule.values() if isinstance(entry["schedule"], crontab)}
    assert daily == {
        "products.tasks.certificates_expire_daily": ([0], [5]),
        "reports.tasks.report_runs_purge": ([1], [45]),
        "reports.tasks.report_subscriptions_deliver": ([6], [30]),
    }
    assert schedule["effects-sweep"] == {"task": "activity.tasks.effects_sweep", "schedule": 300.0}
    assert str(app.conf.timezone) == "Asia/Ho_Chi_Minh"


def test_every_scheduled_task_is_a_registered_task(db):
    app.loader.import_default_modules()
    assert {entry["task"] for entry in app.conf.beat_schedule.values()} - set(app.tasks) == set()


def test_beat_uses_the_heartbeat_scheduler_and_ticks_at_least_every_minute():
    assert app.conf.beat_scheduler == "ocop_portal.celery:HeartbeatScheduler"
    assert app.conf.beat_max_loop_interval == 60


def test_each_beat_tick_touches_the_heartbeat_file(tmp_path):
    heartbeat = tmp_path / "heartbeat"
    previous = app.conf.get("beat_heartbeat_file")
    app.conf.beat_heartbeat_file = str(heartbeat)
    scheduler = HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "var" / "schedule"))  # var/ is made
    try:
        wait = scheduler.tick()
        assert heartbeat.exists() and 0 < wait <= 60
        os.utime(heartbeat, (time.time() - 600, time.time() - 600))
        scheduler.tick()
        assert time.time() - heartbeat.stat().st_mtime < 5
    finally:
        scheduler.close()
        app.conf.beat_heartbeat_file = previous


def test_the_visibility_timeout_and_restore_interval_come_from_the_environment():
    env = {**os.environ, "CELERY_VISIBILITY_TIMEOUT": "5", "CELERY_UNACKED_RESTORE_INTERVAL": "2"}
    script = ("import django; django.setup()\n"
              "from ocop_portal.celery import app\n"
              "o = app.conf.broker_transport_options\n"
              "print(o['visibility_timeout'], o['unacked_restore_interval'], o['unacked_restore_throttle'],"
              " app.conf.task_acks_late, app.conf.task_reject_on_worker_lost)\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.split() == ["5", "2", "1", "True", "True"], result.stderr
    assert app.conf.broker_transport_options["visibility_timeout"] == int(os.environ.get("CELERY_VISIBILITY_TIMEOUT",
                                                                                        3600))


def test_a_real_beat_process_runs_the_heartbeat_scheduler_and_touches_its_file(tmp_path):
    heartbeat, log = tmp_path / "heartbeat", tmp_path / "beat.log"
    env = {**os.environ, "CELERY_BEAT_HEARTBEAT_FILE": str(heartbeat)}
    beat = subprocess.Popen([sys.executable, "-m", "celery", "-A", "ocop_portal", "beat", "-l", "info",
                             "--schedule", str(tmp_path / "var" / "celerybeat-schedule")],
                            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not heartbeat.exists() and time.monotonic() < deadline and beat.poll() is None:
            time.sleep(0.2)
        assert heartbeat.exists(), log.read_text()
    finally:
        beat.terminate()
        beat.wait(20)
    assert "scheduler -> ocop_portal.celery.HeartbeatScheduler" in log.read_text()
