"""Render one round's minutes PDF in a fresh process: `python bench/_minutes_probe.py ROUND_ID [RENDERS]`.

Prints one JSON line: seconds per render (first and last), the process's peak RSS, pages and size. Run in its own
process by bench_pages.py so that the peak memory is the minutes' alone.
"""
import io
import json
import os
import resource
import sys
import time

from _setup import ROOT  # noqa: F401 - puts the project on sys.path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_portal.settings")
import django  # noqa: E402

django.setup()

from pypdf import PdfReader  # noqa: E402

from evaluations.minutes import minutes_pdf_bytes  # noqa: E402
from evaluations.models import Round  # noqa: E402

round_ = Round.objects.select_related("council", "province", "legal_document").get(pk=int(sys.argv[1]))
renders = int(sys.argv[2]) if len(sys.argv) > 2 else 2
import weasyprint  # noqa: E402,F401 - imported before timing, as in a warm Celery worker

base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
times = []
for _ in range(renders):
    start = time.perf_counter()
    pdf = minutes_pdf_bytes(round_)
    times.append(round(time.perf_counter() - start, 2))
print(json.dumps({"minutes_dossiers": round_.results.count(), "seconds": times,
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "rss_before_render_mb": round(base_rss, 1), "pages": len(PdfReader(io.BytesIO(pdf)).pages),
                  "kb": round(len(pdf) / 1024, 1)}))
