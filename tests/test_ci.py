"""`.ci/run` starts PostgreSQL and Redis when they are down, exports their URLs and runs `make test`;
`make test` runs the whole suite and `make demo` runs the steps the demo browser test relies on.

The system tools `.ci/run` calls (pg_isready, pg_ctlcluster, redis-cli, redis-server, make) are replaced
by recording stand-ins on PATH, so these tests neither start nor stop the machine's servers.
"""
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _stub(bin_dir: Path, name: str, body: str):
    path = bin_dir / name
    path.write_text(f"#!/usr/bin/env bash\necho \"{name} $*\" >> \"$CALLS\"\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def ci(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    state = tmp_path / "state"
    state.mkdir()
    # A server is "up" once its state file exists; the start commands create it.
    _stub(bin_dir, "pg_isready", f'[ -e "{state}/pg" ]')
    _stub(bin_dir, "pg_ctlcluster", f'touch "{state}/pg"')
    _stub(bin_dir, "redis-cli", f'[ -e "{state}/redis" ]')
    _stub(bin_dir, "redis-server", f'touch "{state}/redis"')
    _stub(bin_dir, "sleep", "")
    _stub(bin_dir, "make", 'echo "DATABASE_URL=$DATABASE_URL REDIS_URL=$REDIS_URL PYTEST_ARGS=$PYTEST_ARGS" >> "$CALLS"')
    calls = tmp_path / "calls"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "PYTEST_ARGS"}}
    env.update(PATH=f"{bin_dir}:{os.environ['PATH']}", CALLS=str(calls))

    def run(up=()):
        for name in up:
            (state / name).touch()
        result = subprocess.run(["bash", str(ROOT / ".ci" / "run")], cwd=tmp_path, env=env, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        return calls.read_text(encoding="utf-8").splitlines()

    return run


def test_ci_starts_postgresql_and_redis_when_they_are_down_then_runs_make_test(ci):
    calls = ci()

    assert any(c.startswith("pg_ctlcluster --skip-systemctl-redirect") and c.endswith("main start") for c in calls)
    assert any(c.startswith("redis-server --daemonize yes") for c in calls)
    assert calls[-2:] == [
        "make test",
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop REDIS_URL=redis://127.0.0.1:6379/0 PYTEST_ARGS=--create-db",
    ]


def test_ci_leaves_running_servers_alone(ci):
    calls = ci(up=("pg", "redis"))

    assert not any(c.startswith(("pg_ctlcluster", "redis-server")) for c in calls)
    assert calls[-2] == "make test"


def _make_dry_run(target: str) -> list[str]:
    # As a newcomer types it: not the make that may be running this suite (CI's `make test`), whose
    # MAKEFLAGS, MAKELEVEL and PYTEST_ARGS would otherwise leak into the dry run.
    env = {k: v for k, v in os.environ.items()
           if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PYTEST_ARGS", "TEST_JOBS", "RUNSERVER_ARGS", "HOST", "PORT"}}
    result = subprocess.run(["make", "-n", target], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_test_bootstraps_then_runs_the_whole_suite():
    lines = [" ".join(line.split()) for line in _make_dry_run("test")]

    assert lines == ["bash scripts/bootstrap.sh", ".venv/bin/python -m pytest -n auto --dist load"]
    assert re.search(r"^testpaths = tests$", (ROOT / "pytest.ini").read_text(encoding="utf-8"), re.M)


def test_make_demo_bootstraps_migrates_loads_the_demo_and_serves_on_port_8000():
    lines = [" ".join(line.split()) for line in _make_dry_run("demo") if not line.startswith("echo ")]

    assert lines == [
        "bash scripts/bootstrap.sh",
        ".venv/bin/python manage.py migrate --noinput -v0",
        ".venv/bin/python manage.py load_demo",
        ".venv/bin/python manage.py runserver 127.0.0.1:8000",
    ]
