"""Search with or without diacritics: a stored folded `search_text` on products and certificates, filled for
the rows that exist, and on PostgreSQL a pg_trgm GIN index (the extension is created by registrations)."""
from django.db import migrations, models

from ocop_portal.text import fold

SEARCH_FIELDS = {"product": ("name", "code"), "certificate": ("number",)}


def fill_search_text(apps, schema_editor):
    for model_name, fields in SEARCH_FIELDS.items():
        model = apps.get_model("products", model_name)
        rows = list(model.objects.only("pk", *fields))
        for row in rows:
            row.search_text = fold(" ".join(str(getattr(row, name) or "") for name in fields))
        model.objects.bulk_update(rows, ["search_text"], batch_size=1000)


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name in SEARCH_FIELDS:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {model_name}_search_trgm "
                              f"ON products_{model_name} USING gin (search_text gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name in SEARCH_FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {model_name}_search_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('products', '0005_certs_one_draft_per_round'),
        ('registrations', '0007_search_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='certificate',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='product',
            name='search_text',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
