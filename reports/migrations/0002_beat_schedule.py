"""Register the daily subscription delivery and the purge of expired report files with django-celery-beat
(idempotent: get_or_create / update_or_create)."""
from django.db import migrations

TASKS = [
    ("Báo cáo: gửi báo cáo định kỳ theo đăng ký (hằng ngày)", "reports.tasks.report_subscriptions_deliver", "30", "6"),
    ("Báo cáo: xóa tệp báo cáo đã hết hạn lưu (hằng ngày)", "reports.tasks.report_runs_purge", "45", "1"),
]


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in TASKS:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*",
            timezone="Asia/Ho_Chi_Minh")
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "crontab": crontab, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[t[0] for t in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0014_remove_clockedschedule_enabled"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]
