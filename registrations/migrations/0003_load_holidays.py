from django.db import migrations


def load(apps, schema_editor):
    from registrations.workdays import holiday_rows_from_file

    Holiday = apps.get_model("registrations", "Holiday")
    for row in holiday_rows_from_file():
        Holiday.objects.update_or_create(date=row["date"], defaults={"name": row["name"], "is_day_off": row["is_day_off"]})


class Migration(migrations.Migration):
    dependencies = [("registrations", "0002_dossiers")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
