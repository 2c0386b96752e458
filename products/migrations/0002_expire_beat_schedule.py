"""Register the daily expiry task with django-celery-beat (idempotent: get_or_create / update_or_create)."""
from django.db import migrations

TASK_NAME = "Giấy chứng nhận OCOP: đánh dấu hết hiệu lực (hằng ngày)"
TASK = "products.tasks.certificates_expire_daily"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="0", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh")
    PeriodicTask.objects.update_or_create(name=TASK_NAME, defaults={"task": TASK, "crontab": crontab, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0001_initial"),
        ("django_celery_beat", "0014_remove_clockedschedule_enabled"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]
