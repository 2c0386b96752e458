"""Throughput of the served portal: gunicorn (2 sync workers, as on a 2-core server) under wrk.

Seeds the two provinces of bench/_seed.py, starts gunicorn on 127.0.0.1 with the same database and hits
the health check, the province staff's dossier API list (50 rows of 12,000 visible, a logged-in session) and a
commune officer's list, each for 10 s with 16 connections. Needs `wrk` (Debian package) on the PATH.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench .venv/bin/python bench/bench_http.py
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

from _setup import ROOT, django_setup

django_setup()

from _seed import seed_two_provinces  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.enums import Role  # noqa: E402
from accounts.models import RoleAssignment, User  # noqa: E402

if not shutil.which("wrk"):
    sys.exit("wrk is not installed (apt-get install wrk)")

province, communes = seed_two_provinces()
if connection.vendor == "postgresql":
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
sessions = {}  # username -> session cookie (a logged-in browser, not a password hash per request)
for username, role, unit in (("http.tinh", Role.PROVINCE_STAFF, province), ("http.xa", Role.COMMUNE_OFFICER, communes[0])):
    user = User.objects.create_user(username=username, password="bench-pass-2026")
    RoleAssignment.objects.create(user=user, role=role, unit=unit)
    client = Client()
    client.force_login(user)
    sessions[username] = client.cookies["sessionid"].value
connection.close()

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
env = {**os.environ, "DEBUG": "false", "LOG_LEVEL": "ERROR"}
(ROOT / "staticfiles").mkdir(exist_ok=True)
server = subprocess.Popen(
    [str(ROOT / ".venv" / "bin" / "gunicorn"), "ocop_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
     "--workers", "2", "--log-level", "error"],
    cwd=ROOT, env=env,
)
try:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)

    def wrk(path: str, username: str | None = None) -> dict:
        cmd = ["wrk", "-t2", "-c16", "-d10s", "--latency"]
        if username:
            cmd += ["-H", f"Cookie: sessionid={sessions[username]}"]
        out = subprocess.run([*cmd, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
        p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        return {"req_per_s": rps, "p50": p50, "p99": p99, "errors": int(non2xx.group(1)) if non2xx else 0}

    results = {
        "healthz": wrk("/healthz"),
        "province_staff_api_dossiers": wrk("/api/dossiers/", "http.tinh"),
        "commune_officer_api_dossiers": wrk("/api/dossiers/", "http.xa"),
    }
finally:
    server.terminate()
    server.wait(timeout=20)
print(json.dumps({"bench": "http", "vendor": connection.vendor, **results}, ensure_ascii=False))
