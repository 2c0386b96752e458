"""The dossier list at provincial scale: the HTML page and the API list for province staff and a commune officer.

Seeds one province with 60 communes, 3,000 producers and 12,000 dossiers (about Hà Nội's size; the
national average province has ~540 OCOP products), plus a second province of the same size that must
stay invisible. Times 40 requests per view in-process (Django test client) and reports median and p95
in ms and the number of SQL queries per request.

Run: .venv/bin/python bench/bench_dossier_list.py  (SQLite by default; set DATABASE_URL for PostgreSQL)
"""
import json
import random
import statistics
import time

from _setup import django_setup, peak_rss_mb

django_setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import RoleAssignment, User  # noqa: E402
from registrations.enums import BEFORE_PROVINCE_STATES, DossierKind, DossierStatus, ProducerKind  # noqa: E402
from registrations.models import Dossier, Producer, ProductGroup, ProductSet  # noqa: E402
from units.models import AdministrativeUnit  # noqa: E402

COMMUNES, PRODUCERS, DOSSIERS = 60, 3000, 12000
rng = random.Random(7)


def seed_province(code: str, name: str, offset: int, product_set) -> tuple:
    province = AdministrativeUnit.objects.create(code=code, name=name, level="province", kind="tinh")
    province.province = province.current_province = province
    province.save()
    communes = AdministrativeUnit.objects.bulk_create([
        AdministrativeUnit(code=f"{offset + i:05d}", name=f"Xã Bench {offset + i}", level="commune", kind="xa",
                           parent=province, province=province, current_province=province)
        for i in range(COMMUNES)
    ])
    producers = Producer.objects.bulk_create([
        Producer(kind=ProducerKind.COOPERATIVE, name=f"HTX Bench {offset + i}", tax_code=f"{offset * 10000 + i:010d}",
                 commune=communes[i % COMMUNES], address="Ấp 1", representative_name="Nguyễn Văn A")
        for i in range(PRODUCERS)
    ], batch_size=1000)
    statuses = [s for s in DossierStatus.values]
    dossiers = []
    for i in range(DOSSIERS):
        p = producers[i % PRODUCERS]
        status = rng.choice(statuses)
        number = None if status in BEFORE_PROVINCE_STATES else f"{i + 1}/PĐK-{code}-{p.commune.code}-2026"
        dossiers.append(Dossier(producer=p, commune=p.commune, kind=DossierKind.FIRST, product_name=f"Sản phẩm {offset}-{i}",
                                product_set=product_set, year=2026, status=status, registration_number=number))
    Dossier.objects.bulk_create(dossiers, batch_size=2000)
    return province, communes


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


group = ProductGroup.objects.create(classification="bench", code="I", level="group", name="Thực phẩm")
pset = ProductSet.objects.create(classification="bench", number=1, code="I.1.a", slug="bench", name="Rau, củ, quả, hạt tươi",
                                 group=group)
t0 = time.perf_counter()
province, communes = seed_province("98", "Tỉnh Bench", 10000, pset)
seed_province("99", "Tỉnh Khác", 20000, pset)
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
