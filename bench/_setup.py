"""Shared set-up for benchmarks: a throwaway database (SQLite file, or DATABASE_URL if set)."""
import math
import os
import resource
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_setup(*, migrate: bool = True) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='ocop-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_portal.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timed(label: str, results: dict):
    start = time.perf_counter()
    yield
    results[label] = round(time.perf_counter() - start, 3)


def private_media() -> str:
    """Point MEDIA_ROOT at a throwaway folder (call before django_setup) so generated PDFs and exports
    never land in var/media."""
    folder = tempfile.mkdtemp(prefix="ocop-bench-media-")
    os.environ["MEDIA_ROOT"] = folder
    return folder


def bench_settings() -> None:
    """Seeding creates many users: hash their passwords with MD5 as the test suite does; notification mails
    go to memory, not to stdout (each bench prints one JSON line)."""
    from django.test.utils import override_settings

    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                      EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                      MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}).enable()


def _stats(times: list) -> dict:
    import statistics

    times = sorted(times)
    return {"median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(math.ceil(len(times) * 0.95) - 1, 0)], 1)}


def measure_call(fn, n: int = 10, *, warm: bool = True) -> dict:
    """Median / p95 ms of `fn()` over n calls, and the SQL queries of one call."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    if warm:
        fn()
    reset_queries()  # DEBUG keeps only the last 9,000 queries: a full log would count 0
    with CaptureQueriesContext(connection) as ctx:
        fn()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return {**_stats(times), "queries": len(ctx.captured_queries)}


def measure_get(client, url: str, n: int = 20, *, status: int = 200) -> dict:
    """Median / p95 ms of a GET through the Django test client, queries of one request, response size."""
    sizes = []

    def get():
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        sizes.append(len(body))

    out = measure_call(get, n)
    out["kb"] = round(sizes[-1] / 1024, 1)
    return out
