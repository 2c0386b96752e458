"""Certificates: issuing and rendering the PDF (WeasyPrint, with the QR code) and the public verification page.

Seeds, with the tests/products factories, a province with its People's Committee and a closed round with 20
results (3★–5★ mixed; 5★ are proposed to the ministry, so the province recognises 3★/4★), and publishes the
province's decision through the products services: that issues one certificate per item and renders each
PDF (the Celery task runs eagerly without Redis). Then it times `certificate_pdf_bytes` for every
certificate (median / p95 per certificate), the QR code alone, and, anonymously through the Django test
client, the public verification page /xac-minh/<code>/, its PDF download and the public catalogue.

Run: .venv/bin/python bench/bench_certificates.py  (SQLite by default; set DATABASE_URL for PostgreSQL)
"""
import io
import json
import time

from _setup import _stats, bench_settings, django_setup, measure_call, measure_get, peak_rss_mb, private_media

private_media()
django_setup()
bench_settings()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from accounts.enums import Role  # noqa: E402
from products.certificate_pdf import certificate_pdf_bytes, qr_svg  # noqa: E402
from products.models import Certificate  # noqa: E402
from tests.factories import CommuneFactory, user_with_role  # noqa: E402
from tests.products.factories import closed_round, published_decision, province_with_committee  # noqa: E402

STARS = [3, 4] * 10  # 20 certificates (5★ would wait for the ministry's own decision)

results = {}
t0 = time.perf_counter()
province = province_with_committee(code="95", name="Tỉnh Bench Chứng Nhận")
communes = [CommuneFactory(parent=province) for _ in range(4)]
staff = user_with_role(Role.PROVINCE_STAFF, province, username="bench.tinh")
round_ = closed_round(province, STARS[:10], commune=communes[0])
round2 = closed_round(province, STARS[10:], commune=communes[1])
results["seed_s"] = round(time.perf_counter() - t0, 1)

# Publishing issues the certificates and renders every PDF on commit.
reset_queries()
with CaptureQueriesContext(connection) as ctx:
    start = time.perf_counter()
    published_decision(round_, staff)
    published_decision(round2, staff)
    publish_ms = (time.perf_counter() - start) * 1000
certificates = list(Certificate.objects.select_related("product__producer__commune", "product__product_set",
                                                       "product__commune", "decision").order_by("pk"))
results["certificates"] = len(certificates)
results["publish_issue_and_render_all"] = {"ms": round(publish_ms, 1), "queries": len(ctx.captured_queries),
                                           "ms_per_certificate": round(publish_ms / len(certificates), 1),
                                           "pdfs_stored": sum(1 for c in certificates if c.pdf)}

# Rendering alone, once per certificate (the font configuration and cache are warm after publishing).
times, sizes = [], []
for cert in certificates:
    start = time.perf_counter()
    pdf = certificate_pdf_bytes(cert)
    times.append((time.perf_counter() - start) * 1000)
    sizes.append(len(pdf))
results["certificate_pdf_render"] = {**_stats(times), "n": len(times), "max_ms": round(max(times), 1),
                                     "kb": round(sum(sizes) / len(sizes) / 1024, 1),
                                     "pages": len(PdfReader(io.BytesIO(pdf)).pages)}
url = certificates[0].public_verify_url
results["qr_svg"] = measure_call(lambda: qr_svg(url), 50)

anonymous = Client()
codes = [c.verify_code for c in certificates]
results["verify_page"] = measure_get(anonymous, f"/xac-minh/{codes[0]}/", 40)
# Every certificate once (each a different row: no warm cache of one object).
times = []
for code in codes:
    start = time.perf_counter()
    assert anonymous.get(f"/xac-minh/{code}/").status_code == 200
    times.append((time.perf_counter() - start) * 1000)
results["verify_page_each_certificate"] = _stats(times)
results["verify_unknown_code"] = measure_get(anonymous, "/xac-minh/khong-co-ma-nay/", 20, status=404)
results["verify_pdf_download"] = measure_get(anonymous, f"/xac-minh/{codes[0]}/giay-chung-nhan.pdf", 20)
results["catalogue_province"] = measure_get(anonymous, f"/san-pham-ocop/{province.code}/", 20)
results["peak_rss_mb"] = round(peak_rss_mb(), 1)
print(json.dumps({"bench": "certificates", "vendor": connection.vendor, **results}, ensure_ascii=False))
