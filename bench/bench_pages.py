"""Every page of the user journeys on national data, as a share of the login page's throughput (issue 13).

1. Seeds a database of its own (the database of DATABASE_URL with "_pages" appended; PostgreSQL only):
   migrate, `load_demo` (34 provinces, the 26 sheets, the demo users and their work), then national volume
   (bench/_national.py; BENCH_SCALE=1: ~24,600 dossiers, ~18,000 certificates, ~154,000 score sheets).
   BENCH_REUSE=1 keeps a database already seeded at the same scale.
2. In-process, per page: CPU ms (time.process_time around a warm Django test client request, median), SQL ms
   and queries of one request; twice: as users get it (the page cache answers while the page's data are
   unchanged, ocop_portal.pagecache) and computed afresh ("computed_": a hard reload, the first view after a
   change). PAGE_CACHE=0 serves every page computed afresh over HTTP too.
3. Served as docker-compose serves it (gunicorn -c ocop_portal/gunicorn_conf.py, two sync workers, DEBUG off):
   wrk (Debian package `wrk`; -t2 -c8, BENCH_SECONDS each) on the login page, then the page, then the login
   page again, and so on, so each page's req/s is a ratio to the mean of the two login runs around it.

Prints one JSON line per page, then a summary line. BENCH_PAGES=name,name runs only those pages;
BENCH_PROFILE=1 prints each page's cProfile (top functions by own time) to stderr; BENCH_SECONDS=0 skips wrk.
Run: `make bench` or DATABASE_URL=postgres://… .venv/bin/python bench/bench_pages.py
"""
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from _setup import ROOT

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
REUSE = os.environ.get("BENCH_REUSE", "") in ("1", "true", "yes")
PROFILE = os.environ.get("BENCH_PROFILE", "") in ("1", "true", "yes")
ONLY = {p for p in os.environ.get("BENCH_PAGES", "").split(",") if p}

base_url = os.environ.get("DATABASE_URL", "")
if not base_url.startswith("postgres"):
    print(json.dumps({"bench": "pages", "skipped": "needs DATABASE_URL=postgres://… (national data on PostgreSQL)"}))
    sys.exit(0)
if not shutil.which("wrk"):
    sys.exit("wrk is not installed (apt-get install wrk)")
parts = urlparse(base_url)
DB_NAME = parts.path.lstrip("/") + "_pages"
os.environ["DATABASE_URL"] = urlunparse(parts._replace(path="/" + DB_NAME))
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ocop-bench-media-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_portal.settings")


def _admin_sql(sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.close()


def _seeded_scale() -> str | None:
    import psycopg2

    try:
        conn = psycopg2.connect(os.environ["DATABASE_URL"])
    except psycopg2.OperationalError:
        return None
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_seed')")
        if cur.fetchone()[0] is None:
            return None
        cur.execute("SELECT scale FROM bench_seed")
        row = cur.fetchone()
    conn.close()
    return row and row[0]


seed_info = {}
if not (REUSE and _seeded_scale() == str(SCALE)):
    _admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    seed_info["demo_s"] = round(time.perf_counter() - start, 1)
    import _national

    start = time.perf_counter()
    seed_info.update(_national.seed(SCALE, log=lambda m: print(m, file=sys.stderr)))
    seed_info["seed_s"] = round(time.perf_counter() - start, 1)
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_seed (scale text, info text)")
        cur.execute("INSERT INTO bench_seed VALUES (%s, %s)", [str(SCALE), json.dumps(seed_info)])
else:
    import django

    django.setup()
    from django.db import connection

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)  # the code's newer migrations (indexes)
    with connection.cursor() as cur:
        cur.execute("SELECT info FROM bench_seed")
        seed_info = {**json.loads(cur.fetchone()[0]), "reused": True}

from django.db import reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from evaluations.enums import RoundKind, RoundPhase  # noqa: E402
from evaluations.models import Assignment, Option, Round  # noqa: E402
from ocop_portal.demo import DEMO_PROVINCE_CODE  # noqa: E402
from products.models import Certificate  # noqa: E402
from registrations.models import Dossier  # noqa: E402


def _pages() -> list:
    """(name, username or None, path, the POST forms to send in turn or None)."""
    xa = User.objects.get(username="canbo.xa")
    member = User.objects.get(username="hoidong.tv1")
    meeting = {r.entries.count(): r for r in Round.objects.filter(
        province__code=DEMO_PROVINCE_CODE, phase=RoundPhase.COUNCIL_MEETING)}
    closed = Round.objects.filter(province__code=DEMO_PROVINCE_CODE, phase=RoundPhase.CLOSED).order_by("-year", "-number")[0]
    scoring = Round.objects.get(province__code=DEMO_PROVINCE_CODE, kind=RoundKind.RE_EVALUATION, phase=RoundPhase.SCORING)
    assigned = Assignment.objects.filter(round=scoring, member__user=member).order_by("dossier__product_name").first()
    options = {}
    for criterion_id, option_id in (Option.objects.filter(rubric=scoring.entries.get(dossier_id=assigned.dossier_id).rubric,
                                                          criterion__scorable=True)
                                    .order_by("criterion_id", "-points").values_list("criterion_id", "pk")):
        options.setdefault(criterion_id, []).append(option_id)
    half = list(options.items())[:len(options) // 2]
    # Two forms that differ in one choice, posted in turn: every autosave writes, as a member's do.
    changing = next(c for c, found in half if len(found) > 1)
    autosave = [{f"c{c}": str(found[0]) for c, found in half},
                {f"c{c}": str(found[1] if c == changing else found[0]) for c, found in half}]
    officer_dossier = Dossier.objects.filter(commune__in=xa.role_assignments.values("unit")).order_by("-pk").first()
    staff_dossier = (Dossier.objects.filter(commune__current_province__code=DEMO_PROVINCE_CODE, status__in=("forwarded", "intake", "accepted", "in_round"))
                     .order_by("pk").first())
    cert = Certificate.objects.filter(status="active").order_by("pk").first()
    score = f"/danh-gia/ky/{scoring.pk}/ho-so/{assigned.dossier_id}/"
    pages = [
        ("login", None, "/dang-nhap/", None),
        ("public_verify", None, f"/xac-minh/{cert.verify_code}/", None),
        ("public_catalogue_province", None, f"/san-pham-ocop/{DEMO_PROVINCE_CODE}/", None),
        ("home_commune_officer", "canbo.xa", "/", None),
        ("home_province_staff", "canbo.tinh", "/", None),
        ("home_council_member", "hoidong.tv1", "/", None),
        ("home_council_chair", "hoidong.chutich", "/", None),
        ("home_advisory_member", "totuvan", "/", None),
        ("home_report_viewer", "so.nnmt", "/", None),
        ("home_producer", "chuthe", "/", None),
        ("home_administrator", "quantri", "/", None),
        ("dossier_list_commune_officer", "canbo.xa", "/ho-so/", None),
        ("dossier_list_province_staff", "canbo.tinh", "/ho-so/", None),
        ("dossier_detail_commune_officer", "canbo.xa", f"/ho-so/{officer_dossier.pk}/", None),
        ("dossier_detail_province_staff", "canbo.tinh", f"/ho-so/{staff_dossier.pk}/", None),
        ("producer_list_province_staff", "canbo.tinh", "/chu-the/", None),
        ("api_dossiers_commune_officer", "canbo.xa", "/api/dossiers/", None),
        ("api_dossiers_province_staff", "canbo.tinh", "/api/dossiers/", None),
        ("round_list_province_staff", "canbo.tinh", "/danh-gia/", None),
        ("round_detail_meeting_200", "canbo.tinh", f"/danh-gia/ky/{meeting[200].pk}/", None),
        ("score_sheet_member", "hoidong.tv1", score, None),
        ("autosave_member", "hoidong.tv1", score + "tu-dong-luu/", autosave),
        ("results_meeting_40", "canbo.tinh", f"/danh-gia/ky/{meeting[40].pk}/ket-qua/", None),
        ("results_meeting_200", "canbo.tinh", f"/danh-gia/ky/{meeting[200].pk}/ket-qua/", None),
        ("results_closed_200", "canbo.tinh", f"/danh-gia/ky/{closed.pk}/ket-qua/", None),
        ("api_assignments_member", "hoidong.tv1", "/api/evaluations/assignments/", None),
        ("api_assignments_province_staff", "canbo.tinh", "/api/evaluations/assignments/", None),
        ("api_score_sheets_member", "hoidong.tv1", "/api/evaluations/score-sheets/", None),
        ("decision_list_province_staff", "canbo.tinh", "/quyet-dinh/", None),
        ("certificate_list_province_staff", "canbo.tinh", "/giay-chung-nhan/", None),
        ("product_list_province_staff", "canbo.tinh", "/san-pham/", None),
        ("api_certificates_province_staff", "canbo.tinh", "/api/products/certificates/", None),
        ("report_list_viewer", "so.nnmt", "/bao-cao/", None),
        ("plan_list_viewer", "so.nnmt", "/ke-hoach/", None),
    ]
    from reports.registry import REPORTS

    pages += [(f"report_{code}_viewer", "so.nnmt", f"/bao-cao/{code}/", None) for code in sorted(REPORTS)]
    return [p for p in pages if not ONLY or p[0] in ONLY or p[0] == "login"]


def _in_process(pages: list, clients: dict) -> dict:
    """Per page, two costs: as users get it (answered from the page cache while its data are unchanged) and
    computed afresh (a hard reload, "Cache-Control: no-cache": what the first view after a change costs)."""
    out = {}
    for name, username, path, data in pages:
        client = clients[username]
        row = {}
        for label, headers in (("", {}), ("computed_", {"Cache-Control": "no-cache"})):
            turn = [0]

            def request():
                if data is not None:  # the forms in turn
                    turn[0] += 1
                    response = client.post(path, data[turn[0] % len(data)], headers=headers)
                else:
                    response = client.get(path, headers=headers)
                assert response.status_code == 200, (name, path, response.status_code)
                return response

            request()
            reset_queries()  # each request resets the query log: count from an empty one
            with CaptureQueriesContext(connection) as ctx:
                response = request()
            cpu = []
            for _ in range(15):
                start = time.process_time()
                request()
                cpu.append((time.process_time() - start) * 1000)
            if PROFILE:
                _profile(label + name, request)
            row.update({f"{label}cpu_ms": round(statistics.median(cpu), 1),
                        f"{label}sql_ms": round(sum(float(q["time"]) for q in ctx.captured_queries) * 1000, 1),
                        f"{label}queries": len(ctx.captured_queries)})
            if data is not None:
                break  # a POST is never cached: one measure
        out[name] = {**row, "kb": round(len(response.content) / 1024, 1)}
    return out


def _profile(name: str, request) -> None:
    """BENCH_PROFILE=1: where one request's time goes (cProfile, top functions by own time), to stderr."""
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(request)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(18)
    print(f"--- {name}\n" + text.getvalue().split("ncalls", 1)[-1], file=sys.stderr)


def _wrk(port: int, path: str, cookie: str | None, data: list[dict] | None, csrf: str | None) -> dict:
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "30s", "--latency", "-H", "X-Forwarded-Proto: https"]
    script = None
    if cookie:
        cmd += ["-H", f"Cookie: sessionid={cookie}; csrftoken={csrf}"]
    if data is not None:
        from urllib.parse import urlencode

        bodies = ", ".join(f'"{urlencode(d)}"' for d in data)
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(f'wrk.method = "POST"\n'
                     f'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
                     f'wrk.headers["X-CSRFToken"] = "{csrf}"\nwrk.headers["Referer"] = "https://127.0.0.1:{port}/"\n'
                     f'bodies = {{{bodies}}}\nturn = 0\n'
                     f'request = function()\n  turn = turn + 1\n'
                     f'  return wrk.format(nil, nil, nil, bodies[turn % #bodies + 1])\nend\n')
        script.close()
        cmd += ["-s", script.name]
    out = subprocess.run([*cmd, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
    if script:
        os.unlink(script.name)

    def ms(label):
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)\b", out)
        value = float(m.group(1))
        return round(value / 1000 if m.group(2) == "us" else value * 1000 if m.group(2) == "s" else value, 1)

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50_ms": ms("50"), "p95_ms": _p95(out),
            "errors": int(non2xx.group(1)) if non2xx else 0}


def _p95(out: str) -> float:
    """wrk prints 50/75/90/99%: p95 is interpolated between 90% and 99%."""
    values = {}
    for label, value, unit in re.findall(r"(\d+)%\s+([\d.]+)(us|ms|s)\b", out):
        values[int(label)] = float(value) / 1000 if unit == "us" else float(value) * 1000 if unit == "s" else float(value)
    return round(values[90] + (values[99] - values[90]) * 5 / 9, 1)


def _warm(port: int, path: str, cookie: str | None, csrf: str | None) -> None:
    import urllib.request

    headers = {"X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}; csrftoken={csrf}"
    for _ in range(4):
        with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers),
                                    timeout=120) as response:
            response.read()


def _serve(pages, sessions, csrf) -> dict:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DEBUG": "false", "LOG_LEVEL": "ERROR", "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_ACCESSLOG": os.devnull, "OCOP_API_RATE_USER": "1000000/minute", "OCOP_API_RATE_ANON": "1000000/minute",
           "OCOP_LOGIN_FAILURE_LIMIT": "1000000", "GUNICORN_CMD_ARGS": "--log-level error"}
    (ROOT / "staticfiles").mkdir(exist_ok=True)
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "ocop_portal/gunicorn_conf.py",
                               "ocop_portal.wsgi:application"], cwd=ROOT, env=env)
    out = {}
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        # Warm both workers on every page (imports, template loading) before anything is measured.
        for name, username, path, data in pages:
            if data is None:
                _warm(port, path, sessions.get(username), csrf.get(username))
        login = _wrk(port, "/dang-nhap/", None, None, None)
        for name, username, path, data in pages:
            if name == "login":
                continue
            page = _wrk(port, path, sessions.get(username), data, csrf.get(username))
            after = _wrk(port, "/dang-nhap/", None, None, None)
            base = (login["rps"] + after["rps"]) / 2
            out[name] = {**page, "login_rps": round(base, 1), "ratio": round(page["rps"] / base, 3) if base else None}
            login = after
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def main() -> None:
    pages = _pages()
    clients, sessions, csrf = {None: Client()}, {}, {}
    for username in {u for _n, u, _p, _d in pages if u}:
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.get("/")  # sets the CSRF cookie
        clients[username] = client
        sessions[username] = client.cookies["sessionid"].value
        csrf[username] = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    process = _in_process(pages, clients)
    connection.close()
    served = _serve(pages, sessions, csrf) if SECONDS else {}
    rows = []
    for name, *_ in pages:
        row = {"bench": "pages", "page": name, **process[name], **served.get(name, {})}
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False))
    measured = [r for r in rows if "ratio" in r]
    worst = min(measured, key=lambda r: r["ratio"] or 0) if measured else {}
    summary = {"bench": "pages_summary", "scale": SCALE, "seconds": SECONDS, "connections": CONNECTIONS, **seed_info,
               "pages": len(measured), "under_25pct": [r["page"] for r in measured if (r["ratio"] or 0) < 0.25],
               "p95_over_150ms": [r["page"] for r in measured if r["p95_ms"] > 150],
               "worst": {k: worst.get(k) for k in ("page", "ratio", "p95_ms")}}
    if "results_meeting_40" in served and "results_meeting_200" in served:
        summary["results_200_vs_40"] = round(served["results_meeting_40"]["rps"] / served["results_meeting_200"]["rps"], 2)
    print(json.dumps(summary, ensure_ascii=False))


main()
