"""Shared fixtures: factories live in tests/factories.py; here the Celery worker and the browser."""
import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


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

    cache.clear()


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
