import gzip
import http.client
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "ocop_portal.settings_production",
        "SECRET_KEY": "x" * 20 + "a-very-long-and-random-production-secret-key-1234567890",
        "ALLOWED_HOSTS": "ocop.example.gov.vn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


# --- The production build and the served portal ------------------------------------------------------

PRODUCTION_SECRET = "x" * 20 + "a-very-long-and-random-production-secret-key-1234567890"


def _fresh_clone(target: Path) -> Path:
    """The files a `git clone` of this tree would give (tracked and new, not ignored): no var/, no .venv.
    Outside a git checkout (a source archive), the tree less what .gitignore names."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True,
    )
    if listing.returncode == 0:
        for name in filter(None, listing.stdout.decode().split("\0")):
            source = ROOT / name
            if source.is_file():  # a file deleted in the working tree but still in the index is not there
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    else:
        ignored = shutil.ignore_patterns(".git", ".venv", "var", "staticfiles", "test-artifacts", ".pytest_cache",
                                         ".schemathesis", "__pycache__", "*.pyc", "*.mo", "*.sqlite3")
        shutil.copytree(ROOT, target, ignore=ignored, dirs_exist_ok=True)
    assert not (target / "var").exists() and not (target / "staticfiles").exists()
    return target


def _dockerfile_build_step() -> tuple[dict, str]:
    """The ENV of the Dockerfile and its RUN step that builds translations and static files."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    env, build = {}, None
    for line in text.splitlines():
        if line.startswith("ENV "):
            env.update(item.split("=", 1) for item in shlex.split(line[4:]))
        if line.startswith("RUN ") and "collectstatic" in line:
            build = line[4:]
    assert build, "the Dockerfile no longer runs collectstatic"
    return env, build


@pytest.fixture(scope="module")
def docker_build(tmp_path_factory):
    """Runs the Dockerfile's build step (compilemessages, collectstatic under production settings) as
    `docker build` would: in a fresh copy of the tree, with the Dockerfile's environment and no database."""
    tree = _fresh_clone(tmp_path_factory.mktemp("image"))
    docker_env, command = _dockerfile_build_step()
    env = {
        **{k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "STATIC_ROOT", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        **docker_env,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",  # `python` is this virtualenv's
    }
    result = subprocess.run(["sh", "-c", command], cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return tree


def test_the_docker_build_step_collects_hashed_and_compressed_static_files(docker_build):
    static_root = docker_build / "staticfiles"
    manifest = json.loads((static_root / "staticfiles.json").read_text(encoding="utf-8"))["paths"]

    for name in ("vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js",
                 "vendor/htmx/htmx.min.js", "css/portal.css", "js/portal.js", "admin/js/core.js"):
        hashed = manifest[name]
        stem, suffix = name.rsplit(".", 1)
        assert re.fullmatch(re.escape(stem) + r"\.[0-9a-f]{12}\." + suffix, hashed), hashed
        assert (static_root / hashed).read_bytes() == (static_root / name).read_bytes()
        assert gzip.decompress((static_root / f"{hashed}.gz").read_bytes()) == (static_root / hashed).read_bytes()
        assert (static_root / f"{hashed}.br").is_file()
    assert (docker_build / "locale" / "en" / "LC_MESSAGES" / "django.mo").is_file()


def test_no_vendored_file_points_at_a_source_map_that_is_not_there():
    """The manifest storage follows every sourceMappingURL and fails the build on a missing map."""
    missing = []
    for path in (ROOT / "static").rglob("*"):
        if path.suffix in {".js", ".css"}:
            for ref in re.findall(r"sourceMappingURL=([^\s*]+)", path.read_text(encoding="utf-8")):
                if not (path.parent / ref).is_file():
                    missing.append(f"{path.relative_to(ROOT)} → {ref}")
    assert missing == []


class _Server:
    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, headers: dict | None = None, body: str | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=body, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})})
        response = conn.getresponse()
        content = response.read()
        conn.close()
        return response, content


@pytest.fixture
def production_gunicorn(docker_build, transactional_db, tmp_path):
    """gunicorn, started with the project's gunicorn configuration and production settings, serving the
    static files of the build above from the migrated PostgreSQL test database."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("serves production settings against PostgreSQL: set DATABASE_URL (CI does)")
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "ocop_portal.settings_production",
        "SECRET_KEY": PRODUCTION_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "STATIC_ROOT": str(docker_build / "staticfiles"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "GUNICORN_BIND": "127.0.0.1:0",  # the kernel picks a free port; gunicorn logs which
        "GUNICORN_WORKERS": "1",
    }
    log = tmp_path / "gunicorn.log"
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "ocop_portal/gunicorn_conf.py",
             "ocop_portal.wsgi:application"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not (match := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text(encoding="utf-8"))):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        yield _Server(int(match.group(1)))
    finally:
        server.terminate()
        server.wait(timeout=30)


def _policy(header: str) -> dict:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in header.split(";")) if d}


def test_gunicorn_serves_the_login_page_and_hashed_static_files_under_a_strict_policy(production_gunicorn, docker_build):
    response, body = production_gunicorn.request("GET", "/dang-nhap/")
    html = body.decode()

    assert response.status == 200, html
    assert response.getheader("Server") == "OCOP"  # not "gunicorn": ocop_portal/gunicorn_conf.py
    assert re.search(r'<form method="post"[^>]*>', html)
    assert 'name="username"' in html and 'name="password"' in html
    policy = _policy(response.getheader("Content-Security-Policy"))
    assert policy["script-src"][0] == policy["style-src"][0] == "'self'"
    assert all("unsafe" not in source for sources in policy.values() for source in sources), policy
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert "csrftoken=" in response.getheader("Set-Cookie") and "Secure" in response.getheader("Set-Cookie")

    served = dict(re.findall(r'(?:href|src)="(/static/([\w/.-]+?)\.[0-9a-f]{12}\.(?:css|js))"', html))
    assert {"css/portal", "js/portal", "vendor/htmx/htmx.min", "vendor/bootstrap/bootstrap.min"} <= set(served.values())
    urls = {name: url for url, name in served.items()}
    for name, content_type in (("css/portal", 'text/css; charset="utf-8"'),
                               ("vendor/htmx/htmx.min", 'text/javascript; charset="utf-8"')):
        url = urls[name]
        static, content = production_gunicorn.request("GET", url, {"Accept-Encoding": "gzip"})
        assert static.status == 200
        assert static.getheader("Content-Type") == content_type
        assert static.getheader("Content-Encoding") == "gzip"
        assert "immutable" in static.getheader("Cache-Control")
        assert gzip.decompress(content) == (docker_build / "staticfiles" / url.removeprefix("/static/")).read_bytes()


def test_the_language_cookie_is_secure_and_http_only_in_production(production_gunicorn):
    page, body = production_gunicorn.request("GET", "/dang-nhap/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie")).group(1)

    response, _ = production_gunicorn.request(
        "POST", "/i18n/setlang/", {
            "Cookie": f"csrftoken={cookie}", "Referer": "https://127.0.0.1/dang-nhap/",
            "Content-Type": "application/x-www-form-urlencoded",
        }, body=f"csrfmiddlewaretoken={token}&language=en&next=/dang-nhap/",
    )

    assert response.status == 302, response.getheader("Location")
    language_cookie = response.getheader("Set-Cookie")
    assert language_cookie.startswith("django_language=en;")
    assert {"Secure", "HttpOnly"} <= {part.strip() for part in language_cookie.split(";")}


def test_a_fresh_clone_runs_check_and_migrate_without_creating_var_first(tmp_path):
    tree = _fresh_clone(tmp_path / "clone")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}

    check = subprocess.run([sys.executable, "manage.py", "check"], cwd=tree, env=env, capture_output=True, text=True, timeout=120)
    plan = subprocess.run([sys.executable, "manage.py", "migrate", "--plan"], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=120)

    assert check.returncode == 0, check.stdout + check.stderr
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "accounts.0001_initial" in plan.stdout
    assert (tree / "var" / "db.sqlite3").is_file()


def test_the_image_and_compose_serve_with_the_gunicorn_configuration():
    """The configuration is what hides 'Server: gunicorn'; a command without it would bring the name back."""
    import yaml

    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    cmd = json.loads(next(line for line in dockerfile.splitlines() if line.startswith("CMD "))[4:])
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]["web"]["command"]

    for command in (cmd, web):
        assert command[:3] == ["gunicorn", "-c", "ocop_portal/gunicorn_conf.py"], command
        assert command[-1] == "ocop_portal.wsgi:application"
