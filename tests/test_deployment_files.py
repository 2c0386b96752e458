"""docker-compose.yml is valid Compose and describes the deployment the README promises."""
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_file_validates_against_the_compose_specification():
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_the_whole_stack_with_health_checks_and_volumes():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]

    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert {name for name, s in services.items() if "healthcheck" in s} == {"db", "redis", "web", "worker", "beat"}
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "media"}
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:3] == ["celery", "-A", "ocop_portal"]
    assert services["beat"]["command"][3] == "beat"
    assert services["web"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    migrate = " ".join(services["migrate"]["command"])
    assert "migrate --noinput" in migrate and "load_units" in migrate and "load_rubrics" in migrate


def test_the_web_health_check_passes_with_the_production_host_settings():
    """The compose health check curls 127.0.0.1 inside the container; that host is not in ALLOWED_HOSTS."""
    import os

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    probe = compose["services"]["web"]["healthcheck"]["test"]
    assert probe[:2] == ["CMD", "curl"]
    url = probe[-1]
    headers = [probe[i + 1] for i, arg in enumerate(probe) if arg == "-H"]
    script = (
        "import django, sys, urllib.parse\n"
        "django.setup()\n"
        "from django.test import Client\n"
        f"url = urllib.parse.urlsplit({url!r})\n"
        f"headers = dict(h.split(': ', 1) for h in {headers!r})\n"
        "response = Client(headers=headers).get(url.path, HTTP_HOST=url.netloc)\n"
        "print(response.status_code, response.content.decode())\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "ocop_portal.settings_production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "ocop.example.gov.vn",  # as in .env.example
    }
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert result.stdout.strip() == '200 {"status": "ok"}', result.stdout + result.stderr


def test_the_beat_health_check_passes_on_a_fresh_heartbeat_and_fails_on_a_stale_one(tmp_path):
    """Beat (ocop_portal.celery.HeartbeatScheduler) touches the heartbeat file named in the environment; the
    probe checks that very file's age."""
    import os
    import time

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    heartbeat = compose["x-app"]["environment"]["CELERY_BEAT_HEARTBEAT_FILE"]
    probe = compose["services"]["beat"]["healthcheck"]["test"]
    assert probe[:3] == ["CMD", "python", "-c"] and f"'{heartbeat}'" in probe[3]
    local = tmp_path / "heartbeat"
    script = probe[3].replace(heartbeat, str(local))

    def healthy():
        return subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=30).returncode == 0

    local.touch()
    assert healthy() is True
    os.utime(local, (time.time() - 600, time.time() - 600))
    assert healthy() is False
    local.unlink()
    assert healthy() is False



def test_redis_bounds_the_cache_and_never_evicts_the_broker_queues():
    """Cached pages and sessions all expire; Celery's queues do not: volatile-lru evicts only the former."""
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["redis"]["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "volatile-lru"
    assert command[command.index("--maxmemory") + 1].endswith("mb")
