"""Formerly registered the daily subscription delivery and report-file purge with django-celery-beat. The
portal now uses Celery's own beat_schedule (ocop_portal/celery.py) and no longer installs django-celery-beat,
so this step does nothing; it stays so that the migration graph of existing databases is unchanged."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
