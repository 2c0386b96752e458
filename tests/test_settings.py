"""Settings come from the environment: SQLite and in-process tasks with nothing set, PostgreSQL and a
real broker with DATABASE_URL and REDIS_URL; and the running suite uses what its environment names."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
_ENV_NAMES = {
    "DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "MEDIA_ROOT", "EMAIL_HOST", "EMAIL_PORT",
    "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL", "DJANGO_SETTINGS_MODULE",
}
_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.mail import get_connection
from ocop_portal.celery import app
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "broker": app.conf.broker_url, "eager": app.conf.task_always_eager,
    "cache": settings.CACHES["default"]["BACKEND"], "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "mail": type(get_connection()).__module__,
    "mail_host": getattr(get_connection(), "host", None),
    "debug": settings.DEBUG, "secret_key": settings.SECRET_KEY, "allowed_hosts": settings.ALLOWED_HOSTS,
    "media_root": str(settings.MEDIA_ROOT), "language": settings.LANGUAGE_CODE,
    "languages": [code for code, _ in settings.LANGUAGES], "time_zone": settings.TIME_ZONE,
}))
"""


def _settings_with(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in _ENV_NAMES}
    clean["DJANGO_SETTINGS_MODULE"] = "ocop_portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_nothing_set_the_portal_needs_no_server():
    s = _settings_with()

    assert s["engine"] == "django.db.backends.sqlite3" and s["name"].endswith("var/db.sqlite3")
    assert (s["broker"], s["eager"]) == ("memory://", True)
    assert s["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["mail"] == "django.core.mail.backends.console"
    assert (s["language"], s["languages"], s["time_zone"]) == ("vi", ["vi", "en"], "Asia/Ho_Chi_Minh")


def test_database_and_redis_urls_select_postgresql_and_a_real_broker():
    s = _settings_with(DATABASE_URL="postgres://ocop:pw@db.example:5432/ocop", REDIS_URL="redis://cache.example:6379/3")

    assert (s["engine"], s["name"], s["host"]) == ("django.db.backends.postgresql", "ocop", "db.example")
    assert (s["broker"], s["eager"]) == ("redis://cache.example:6379/3", False)
    assert s["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert s["cache_location"] == "redis://cache.example:6379/4"  # not the broker's database: a clear keeps tasks
    assert _settings_with(REDIS_URL="redis://r:6379", REDIS_CACHE_URL="redis://c:6379/9")["cache_location"] == (
        "redis://c:6379/9")


def test_secret_debug_hosts_mail_and_media_come_from_the_environment(tmp_path):
    s = _settings_with(
        SECRET_KEY="k" * 50, DEBUG="false", ALLOWED_HOSTS="ocop.example.gov.vn, www.ocop.example.gov.vn",
        EMAIL_HOST="smtp.example.gov.vn", MEDIA_ROOT=str(tmp_path / "media"),
    )

    assert (s["secret_key"], s["debug"]) == ("k" * 50, False)
    assert s["allowed_hosts"] == ["ocop.example.gov.vn", "www.ocop.example.gov.vn"]
    assert (s["mail"], s["mail_host"]) == ("django.core.mail.backends.smtp", "smtp.example.gov.vn")
    assert s["media_root"] == str(tmp_path / "media")


@pytest.mark.django_db
def test_this_run_uses_the_database_and_broker_its_environment_names():
    """`.ci/run` exports DATABASE_URL and REDIS_URL: then the suite really runs on PostgreSQL and Redis."""
    from ocop_portal.celery import app

    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    expected_vendor = "postgresql" if database_url.startswith(("postgres://", "postgresql://")) else "sqlite"

    assert connection.vendor == expected_vendor
    assert app.conf.broker_url == (redis_url or "memory://")
    if redis_url:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)  # the broker answers
        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
