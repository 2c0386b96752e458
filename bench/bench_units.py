"""Loading the administrative-unit tree: first load, reload (idempotent), and a scope query.

Run: .venv/bin/python bench/bench_units.py  (SQLite by default; set DATABASE_URL for PostgreSQL)
"""
import json

from _setup import django_setup, peak_rss_mb, timed

django_setup()

from units.models import AdministrativeUnit, UnitLineage  # noqa: E402
from units.services import units_load  # noqa: E402

results = {}
with timed("first_load_s", results):
    units_load()
with timed("reload_s", results):
    units_load()
results["units"] = AdministrativeUnit.objects.count()
results["lineage_links"] = UnitLineage.objects.count()
with timed("roll_up_old_communes_of_a_province_s", results):
    n = AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=False, current_province__code="86").count()
results["old_communes_in_vinh_long"] = n
results["peak_rss_mb"] = round(peak_rss_mb(), 1)
print(json.dumps({"bench": "units", **results}, ensure_ascii=False))
