"""Search with or without diacritics: a stored folded `search_text` on producers and dossiers, filled for the
rows that exist, and on PostgreSQL a pg_trgm GIN index so `LIKE '%…%'` on it stays fast (SQLite scans)."""
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from ocop_portal.text import fold

SEARCH_FIELDS = {"producer": ("name", "tax_code"), "dossier": ("product_name", "registration_number")}


def fill_search_text(apps, schema_editor):
    for model_name, fields in SEARCH_FIELDS.items():
        model = apps.get_model("registrations", model_name)
        rows = list(model.objects.only("pk", *fields))
        for row in rows:
            row.search_text = fold(" ".join(str(getattr(row, name) or "") for name in fields))
        model.objects.bulk_update(rows, ["search_text"], batch_size=1000)


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name in SEARCH_FIELDS:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {model_name}_search_trgm "
                              f"ON registrations_{model_name} USING gin (search_text gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name in SEARCH_FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {model_name}_search_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('registrations', '0006_council_withdrawn_from'),
    ]

    operations = [
        # CreateExtension does nothing on other databases than PostgreSQL.
        TrigramExtension(),
        migrations.AddField(
            model_name='dossier',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='producer',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
