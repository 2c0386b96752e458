"""A provincial council round at 40 and 200 dossiers: the results page, closing (freezing) and the minutes PDF.

The 26 sheets of Decision 26/2026 are loaded with the project's `load_rubrics` command. For each size a
council of five (chair, secretary, three members) gets a round; dossiers (tests/evaluations factories) are
placed, assigned (every member on every dossier) and scored through the evaluations services, each
member submitting a full sheet per dossier. Then it times, as province staff through the Django test
client, the round page and the live results preview (council meeting), the chair's closing
(`round_transition` → `results_freeze`, in its own transaction; the minutes task that runs on commit is
timed apart), the frozen results page, and `minutes_pdf_bytes` (WeasyPrint).

Run: .venv/bin/python bench/bench_round_results.py  (SQLite by default; set DATABASE_URL for PostgreSQL)
"""
import io
import json
import statistics
import sys
from collections import Counter
import random
import time

from _setup import _stats, bench_settings, django_setup, measure_get, peak_rss_mb, private_media

private_media()
django_setup()
bench_settings()

from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.enums import Role  # noqa: E402
from evaluations import services  # noqa: E402
from evaluations.enums import CouncilRole, RoundPhase  # noqa: E402
from evaluations.minutes import minutes_pdf_bytes  # noqa: E402
from evaluations.models import Criterion, Option, Result, Round, Rubric, ScoreSheet  # noqa: E402
from tests.evaluations.factories import (  # noqa: E402
    CouncilFactory, MembershipFactory, RoundFactory, accepted_dossier, legal_document,
)
from tests.factories import CommuneFactory, ProvinceFactory, user_with_role  # noqa: E402

SIZES = (40, 200)
MEMBERS = 5
rng = random.Random(26)


def sheet_choices(rubric_id: int) -> dict:
    """One option per scorable criterion, mostly high marks so the stars spread over 2★–5★."""
    cache = _options.get(rubric_id)
    if cache is None:
        by_criterion = {}
        for criterion_id, option_id, points in (Option.objects.filter(rubric_id=rubric_id, criterion__scorable=True)
                                                .order_by("criterion_id", "points").values_list("criterion_id", "pk", "points")):
            by_criterion.setdefault(criterion_id, []).append(option_id)
        assert set(by_criterion) == set(Criterion.objects.filter(rubric_id=rubric_id, scorable=True).values_list("pk", flat=True))
        cache = _options[rubric_id] = by_criterion
    return {c: (opts[-1] if rng.random() < 0.7 else rng.choice(opts)) for c, opts in cache.items()}


_options: dict = {}


def seed_round(province, communes, staff, sets, n):
    # Random sheets lie far apart: this province's council rules let the meeting close on a wide spread.
    council = CouncilFactory(province=province, spread_blocks_closing=False)
    chair = MembershipFactory(council=council, role=CouncilRole.CHAIR)
    secretary = MembershipFactory(council=council, role=CouncilRole.SECRETARY)
    members = [chair, secretary] + [MembershipFactory(council=council) for _ in range(MEMBERS - 2)]
    round_ = RoundFactory(council=council, phase=RoundPhase.INTAKE, number=n)
    dossiers = [accepted_dossier(province, commune=communes[i % len(communes)], product_set=sets[i % len(sets)],
                                 product_name=f"Sản phẩm kỳ {n} số {i + 1}") for i in range(n)]
    services.round_dossiers_place(round=round_, dossiers=dossiers, by=staff)
    services.assignments_auto_balance(round=round_, by=staff, per_dossier=MEMBERS)
    services.round_transition(round=round_, to=RoundPhase.ADVISORY_REVIEW, by=staff)
    services.round_transition(round=round_, to=RoundPhase.SCORING, by=staff)
    for entry in round_.entries.select_related("round").order_by("pk"):
        for m in members:
            services.score_sheet_submit(entry=entry, by=m.user, choices=sheet_choices(entry.rubric_id))
    services.round_transition(round=round_, to=RoundPhase.COUNCIL_MEETING, by=staff)
    return round_, chair


def bench_size(province, communes, staff, client, sets, n):
    out = {}
    t0 = time.perf_counter()
    round_, chair = seed_round(province, communes, staff, sets, n)
    out["seed_s"] = round(time.perf_counter() - t0, 1)
    print(f"seeded {n} in {out['seed_s']} s", file=sys.stderr)
    out["sheets"] = ScoreSheet.objects.filter(round=round_).count()
    reps = 20 if n <= 40 else 10
    out["round_page_meeting"] = measure_get(client, f"/danh-gia/ky/{round_.pk}/", reps)
    out["results_preview_html"] = measure_get(client, f"/danh-gia/ky/{round_.pk}/ket-qua/", reps)

    # Closing: the chair's transition freezes every result in one transaction; the minutes task is queued
    # on commit (eager without Redis), so it is timed apart from the freeze.
    reset_queries()
    with CaptureQueriesContext(connection) as all_q:
        start = time.perf_counter()
        with transaction.atomic():
            with CaptureQueriesContext(connection) as freeze_q:
                services.round_transition(round=round_, to=RoundPhase.CLOSED, by=chair.user)
            freeze_ms = (time.perf_counter() - start) * 1000
        total_ms = (time.perf_counter() - start) * 1000
    round_.refresh_from_db()
    out["close_freeze"] = {"ms": round(freeze_ms, 1), "queries": len(freeze_q.captured_queries)}
    out["close_commit_minutes_task"] = {"ms": round(total_ms - freeze_ms, 1),
                                        "queries": len(all_q.captured_queries) - len(freeze_q.captured_queries),
                                        "minutes_stored": bool(round_.minutes_pdf)}
    stars = Counter(Result.objects.filter(round=round_).values_list("final_star", flat=True))
    out["results_frozen"] = sum(stars.values())
    out["stars"] = {f"{s}*" if s else "none": stars[s] for s in sorted(stars, key=lambda s: s or 0)}
    out["results_frozen_html"] = measure_get(client, f"/danh-gia/ky/{round_.pk}/ket-qua/", reps)
    out["round_page_closed"] = measure_get(client, f"/danh-gia/ky/{round_.pk}/", reps)
    closed = Round.objects.select_related("council", "province").get(pk=round_.pk)
    times = []
    for i in range(5 if n <= 40 else 2):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            pdf = minutes_pdf_bytes(closed)
            times.append((time.perf_counter() - start) * 1000)
    out["minutes_pdf"] = {**_stats(times), "renders": len(times), "queries": len(ctx.captured_queries),
                          "kb": round(len(pdf) / 1024, 1), "pages": len(PdfReader(io.BytesIO(pdf)).pages),
                          "ms_per_dossier": round(statistics.median(times) / n, 1)}
    out["minutes_download"] = measure_get(client, f"/danh-gia/ky/{round_.pk}/bien-ban.pdf", 10)
    return out


t0 = time.perf_counter()
legal_document()
call_command("load_rubrics", verbosity=0, stdout=open("/dev/null", "w"))
results = {"rubrics": Rubric.objects.count(), "rubric_load_s": round(time.perf_counter() - t0, 1)}
province = ProvinceFactory(code="96", name="Tỉnh Bench Hội Đồng")
communes = [CommuneFactory(parent=province) for _ in range(12)]
staff = user_with_role(Role.PROVINCE_STAFF, province, username="bench.tinh")
sets = list(Rubric.objects.filter(legal_document__number="26/2026/QĐ-TTg").values_list("product_set", flat=True))
from registrations.models import ProductSet  # noqa: E402

sets = list(ProductSet.objects.filter(pk__in=sets).order_by("number"))
results["criteria_per_sheet"] = Criterion.objects.filter(rubric__product_set=sets[0], scorable=True).count()
client = Client()
client.force_login(staff)
for n in SIZES:
    results[f"dossiers_{n}"] = bench_size(province, communes, staff, client, sets, n)
results["peak_rss_mb"] = round(peak_rss_mb(), 1)
print(json.dumps({"bench": "round_results", "vendor": connection.vendor, **results}, ensure_ascii=False))
