"""Districts ceased on 1 July 2025: the authority table said a district recognised 3★ until 5 July. End the 148
period on 30 June and let the province recognise from 1 July (the seed of migration 0002, now corrected, is
idempotent: it updates the 148 rows and adds the 1–5 July ones)."""
import importlib

from django.db import migrations


def reseed(apps, schema_editor):
    importlib.import_module("evaluations.migrations.0002_legal_documents_and_authority").seed(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0004_self_assessment")]
    operations = [migrations.RunPython(reseed, migrations.RunPython.noop)]
