import os
from pathlib import Path

from celery import Celery
from celery.beat import PersistentScheduler
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_portal.settings")

app = Celery("ocop_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The portal's fixed periodic tasks, in Vietnam time (CELERY_TIMEZONE). Celery's own beat runs them; nothing
# is kept in the database, so there is nothing to set up after a migrate or a flushed demo database.
app.conf.beat_schedule = {
    "certificates-expire-daily": {  # mark certificates past their 36 months expired
        "task": "products.tasks.certificates_expire_daily", "schedule": crontab(minute=5, hour=0),
    },
    "report-runs-purge-daily": {  # delete report files past their keeping time
        "task": "reports.tasks.report_runs_purge", "schedule": crontab(minute=45, hour=1),
    },
    "report-subscriptions-deliver-daily": {  # deliver the periodic reports people subscribed to
        "task": "reports.tasks.report_subscriptions_deliver", "schedule": crontab(minute=30, hour=6),
    },
    "effects-sweep": {  # hand over again any committed work not done (a broker that was down, a lost task)
        "task": "activity.tasks.effects_sweep", "schedule": float(os.environ.get("OCOP_EFFECT_SWEEP_SECONDS", 300)),
    },
}


class HeartbeatScheduler(PersistentScheduler):
    """Celery's file-backed scheduler that also touches a heartbeat file on every tick, at least every
    `beat_max_loop_interval` seconds, so a health check can tell a live beat from a hung one by the file's age."""

    def setup_schedule(self):
        Path(self.schedule_filename).parent.mkdir(parents=True, exist_ok=True)  # var/ on a fresh clone
        super().setup_schedule()

    def tick(self, *args, **kwargs):
        heartbeat = self.app.conf.get("beat_heartbeat_file")
        if heartbeat:
            Path(heartbeat).touch()
        return super().tick(*args, **kwargs)
