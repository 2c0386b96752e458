"""`make demo` on a fresh machine: a new SQLite database, the demo province, the served portal.

This runs the same steps as the Makefile's demo target (migrate, load_demo, runserver) in a
subprocess with no DATABASE_URL or REDIS_URL, then logs in through the browser as every demo role.
"""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ocop_portal.demo import DEMO_PASSWORD, DEMO_USERS

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env["DATABASE_URL"] = f"sqlite:///{workdir / 'demo.sqlite3'}"
    env["MEDIA_ROOT"] = str(workdir / "media")
    for args in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=20)


@pytest.mark.browser
@pytest.mark.parametrize("key,username,full_name,role,unit", DEMO_USERS, ids=[u[1] for u in DEMO_USERS])
def test_each_demo_role_logs_in(demo_server, page, key, username, full_name, role, unit):
    page.goto(f"{demo_server}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url(f"{demo_server}/")
    assert page.locator("h1").inner_text() == f"Xin chào, {full_name}"
    assert str(role.label) in page.locator(".role-name").all_inner_texts()
    os.makedirs(ROOT / "test-artifacts", exist_ok=True)
    page.screenshot(path=str(ROOT / "test-artifacts" / f"home-{username}.png"), full_page=True)
