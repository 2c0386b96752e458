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
    assert {name for name, s in services.items() if "healthcheck" in s} == {"db", "redis", "web", "worker"}
    assert set(compose["volumes"]) == {"pgdata", "redisdata", "media"}
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:3] == ["celery", "-A", "ocop_portal"]
    assert services["beat"]["command"][3] == "beat"
    assert services["web"]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    migrate = " ".join(services["migrate"]["command"])
    assert "migrate --noinput" in migrate and "load_units" in migrate and "load_rubrics" in migrate
