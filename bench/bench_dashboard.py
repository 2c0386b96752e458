"""The home page's dashboard at national scale, as a ratio to the login page measured in the same run.

Seeds with bench/_seed.py `seed_national` (BENCH_PROVINCES provinces × BENCH_CERTS certificates; defaults 6 ×
3,000: ~18,000 certificates, as in December 2025), then, through the Django test client, alternates the login
page (anonymous: template, CSRF, session — the cheapest real page) with the home page of the province's report
viewer (the six charts and the to-do list) and of a commune officer (two charts), BENCH_N times each (default 50);
the dashboard's figures then come from the cache (keyed on the data version, reports/dashboards.py). Then the
first view after a change (cache emptied before each request), BENCH_N / 10 times.
Reports the CPU ms (time.process_time: independent of the machine's load), wall ms, queries of one request,
and the dashboard's CPU as a multiple of the login page's. The page budget of the performance issue (≥ 25% of
the login page's req/s) is a CPU multiple of at most 4. One JSON line.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench .venv/bin/python bench/bench_dashboard.py
"""
import json
import os
import statistics
import time

from _setup import bench_settings, django_setup

django_setup()
bench_settings()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from _seed import seed_national  # noqa: E402
from accounts.enums import Role  # noqa: E402
from tests.factories import user_with_role  # noqa: E402
from units.models import AdministrativeUnit  # noqa: E402

N = int(os.environ.get("BENCH_N", 50))
t0 = time.perf_counter()
provinces = seed_national(provinces=int(os.environ.get("BENCH_PROVINCES", 6)),
                          certificates_per_province=int(os.environ.get("BENCH_CERTS", 3000)))
if connection.vendor == "postgresql":
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
seed_s = round(time.perf_counter() - t0, 1)
province = provinces[0]
commune = AdministrativeUnit.objects.filter(parent=province, level="commune").order_by("code").first()
clients = {"login": Client()}
for name, role, unit in (("viewer_home", Role.REPORT_VIEWER, province), ("officer_home", Role.COMMUNE_OFFICER, commune)):
    clients[name] = Client()
    clients[name].force_login(user_with_role(role, unit, username=f"bench.{name}"))
urls = {"login": reverse("login"), "viewer_home": reverse("home"), "officer_home": reverse("home")}


def one(name):
    cpu, wall = time.process_time(), time.perf_counter()
    response = clients[name].get(urls[name])
    assert response.status_code == 200, (name, response.status_code)
    return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


for name in clients:  # warm
    one(name)
samples = {name: ([], []) for name in clients}
for _ in range(N):
    for name in clients:  # alternated, so the machine's load touches every page alike
        cpu, wall = one(name)
        samples[name][0].append(cpu)
        samples[name][1].append(wall)
out = {"bench": "dashboard", "seed_s": seed_s, "provinces": len(provinces), "n": N, "db": connection.vendor}
for name, (cpu, wall) in samples.items():
    with CaptureQueriesContext(connection) as ctx:
        one(name)
    out[name] = {"cpu_ms": round(statistics.median(cpu), 2), "wall_ms": round(statistics.median(wall), 2),
                 "wall_p95_ms": round(sorted(wall)[int(len(wall) * 0.95) - 1], 2), "queries": len(ctx)}
# The first view after a change: the figures computed again (the cache emptied before each request).
from django.core.cache import cache  # noqa: E402

for name in ("viewer_home", "officer_home"):
    cpu, wall = [], []
    for _ in range(max(N // 10, 3)):
        cache.clear()
        c, w = one(name)
        cpu.append(c)
        wall.append(w)
        one("login")
    out[f"{name}_uncached"] = {"cpu_ms": round(statistics.median(cpu), 2), "wall_ms": round(statistics.median(wall), 2)}
for name in ("viewer_home", "officer_home", "viewer_home_uncached", "officer_home_uncached"):
    out[name]["cpu_x_login"] = round(out[name]["cpu_ms"] / out["login"]["cpu_ms"], 1)
    out[name]["wall_x_login"] = round(out[name]["wall_ms"] / out["login"]["wall_ms"], 1)
print(json.dumps(out, ensure_ascii=False))
