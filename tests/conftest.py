"""Shared fixtures: factories live in tests/factories.py; here the Celery worker and the browser."""
import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _own_redis_databases() -> None:
    """This test process's own Redis databases for the broker and the cache (the broker's next one): 2 and 3
    for a plain run, 2+2n and 3+2n for the n-th pytest-xdist worker (OCOP_TEST_REDIS_DB moves the 2). A worker left running on database 0 (a
    developer's `make worker`) cannot take this run's tasks, and two xdist workers never empty each other's
    cache or queues. Django's settings are already loaded here (pytest-django loads them first), but neither
    the cache nor the broker has connected yet; subprocesses the tests start inherit the environment."""
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ.get("REDIS_URL", "")
    if not url:
        return
    from django.conf import settings

    from ocop_portal.settings import redis_next_db

    n = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    base = int(os.environ.get("OCOP_TEST_REDIS_DB", 2))  # another base for a second suite run beside this one
    broker = urlunsplit(urlsplit(url)._replace(path=f"/{base + 2 * n}"))
    os.environ["REDIS_URL"] = broker
    os.environ["REDIS_CACHE_URL"] = redis_next_db(broker)
    settings.REDIS_URL = settings.CELERY_BROKER_URL = broker
    settings.REDIS_CACHE_URL = os.environ["REDIS_CACHE_URL"]
    settings.CACHES["default"]["LOCATION"] = os.environ["REDIS_CACHE_URL"]
    from ocop_portal.celery import app

    app.conf.broker_url = broker


_own_redis_databases()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test writes uploads and generated files to its own private folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a cached page (the dashboard) of an earlier test or run, whose ids
    a new test database reuses, must not answer."""
    from django.core.cache import cache

    from ocop_portal import pagecache

    cache.clear()
    pagecache._LOCAL.clear()


@pytest.fixture(autouse=True)
def _eager_tasks_by_default(request):
    """Unit tests run tasks in-process; tests that use `celery_worker` get a real worker instead."""
    from ocop_portal.celery import app

    if "celery_worker" in request.fixturenames:
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker thread consuming from the configured broker (Redis in CI)."""
    from celery.contrib.testing.worker import start_worker

    from ocop_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()  # messages left in the broker by an earlier, interrupted run are not this test's
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10) as worker:
        yield worker
    app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture(autouse=True)
def _data_versions_per_statement(request):
    """A test's transaction is rolled back, never committed: the data-version triggers, which fire at the commit,
    fire at each statement instead, so a page cached earlier in the test is recomputed after the test's writes
    (ocop_portal.versions)."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("_django_db_helper")
        from ocop_portal.versions import immediate

        immediate()


@pytest.fixture
def client():
    """The test client asks for every page afresh ("Cache-Control: no-cache", a hard reload): a view test reads
    the page's template context and counts the queries of computing it, not of answering from the page cache.
    The page cache itself is tested with plain clients (tests/registrations/test_page_cache.py) and in the
    browser journeys."""
    from django.test import Client

    return Client(headers={"Cache-Control": "no-cache"})
