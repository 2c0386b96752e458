"""The programme's first year: from 7 May 2018 (490/QĐ-TTg) until 1048/QĐ-TTg took effect on 21 August 2019 the
province recognised 3★ and 4★ (5★ was the central level's), so a legacy certificate of, say, 20/11/2018 can be
recorded. The rows live in the seed of migration 0002, which is idempotent: running it again adds them."""
import importlib

from django.db import migrations


def reseed(apps, schema_editor):
    importlib.import_module("evaluations.migrations.0002_legal_documents_and_authority").seed(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0007_search_constraint_messages")]
    operations = [migrations.RunPython(reseed, migrations.RunPython.noop)]
