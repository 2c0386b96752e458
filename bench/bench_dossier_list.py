"""The dossier list at provincial scale: the HTML page and the API list for province staff and a commune officer.

Seeds one province with 60 communes, 3,000 producers and 12,000 dossiers (about Hà Nội's size; the
national average province has ~540 OCOP products), plus a second province of the same size that must
stay invisible. Times 40 requests per view in-process (Django test client) and reports median and p95
in ms and the number of SQL queries per request.

Run: .venv/bin/python bench/bench_dossier_list.py  (SQLite by default; set DATABASE_URL for PostgreSQL)
"""
import json
import statistics
import time

from _setup import django_setup, peak_rss_mb

django_setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import RoleAssignment, User  # noqa: E402
from _seed import seed_two_provinces  # noqa: E402
from registrations.models import Dossier  # noqa: E402

def user(username, role, unit):
    u = User.objects.create_user(username=username, password="x")
    RoleAssignment.objects.create(user=u, role=role, unit=unit)
    return u


def measure(client, url, n=40):
    client.get(url)  # warm-up
    times = []
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = len(ctx.captured_queries)
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {"median_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "queries": queries}


t0 = time.perf_counter()
province, communes = seed_two_provinces()
seed_s = round(time.perf_counter() - t0, 1)

staff = user("bench.tinh", Role.PROVINCE_STAFF, province)
officer = user("bench.xa", Role.COMMUNE_OFFICER, communes[0])
results = {"dossiers_total": Dossier.objects.count(), "seed_s": seed_s}
for label, who in (("province_staff", staff), ("commune_officer", officer)):
    client = Client()
    client.force_login(who)
    results[f"{label}_html_list"] = measure(client, "/ho-so/")
    results[f"{label}_api_list"] = measure(client, "/api/dossiers/")
    results[f"{label}_api_filtered"] = measure(client, "/api/dossiers/?status=forwarded&kind=first")
results["peak_rss_mb"] = round(peak_rss_mb(), 1)
print(json.dumps({"bench": "dossier_list", "vendor": connection.vendor, **results}, ensure_ascii=False))
