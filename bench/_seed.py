"""Seed data for the benchmarks: two provinces of Hà Nội's size (60 communes, 3,000 producers and
12,000 dossiers each). The second province must stay invisible to the first one's users."""
import random

from registrations.enums import BEFORE_PROVINCE_STATES, DossierKind, DossierStatus, ProducerKind
from registrations.models import Dossier, Producer, ProductGroup, ProductSet
from units.models import AdministrativeUnit

COMMUNES, PRODUCERS, DOSSIERS = 60, 3000, 12000
rng = random.Random(7)


def _seed_province(code: str, name: str, offset: int, product_set) -> tuple:
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



def seed_two_provinces():
    group = ProductGroup.objects.create(classification="bench", code="I", level="group", name="Thực phẩm")
    pset = ProductSet.objects.create(classification="bench", number=1, code="I.1.a", slug="bench",
                                     name="Rau, củ, quả, hạt tươi", group=group)
    province, communes = _seed_province("98", "Tỉnh Bench", 10000, pset)
    _seed_province("99", "Tỉnh Khác", 20000, pset)
    return province, communes
