"""`make demo` on a fresh machine: a new SQLite database, the demo province, the served portal.

This runs `make demo` itself (bootstrap, migrate, load_demo, runserver) on a free port with a database
and media folder of its own and no REDIS_URL, checks that it prints every demo login, then logs in
through the browser as every demo role.
"""
import os
import signal
import socket
import subprocess
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
    env["DATABASE_URL"] = f"sqlite:///{workdir / 'demo.sqlite3'}"  # a fresh database, not the developer's
    env["MEDIA_ROOT"] = str(workdir / "media")
    port = _free_port()
    log = workdir / "make-demo.log"
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen(
            # --noreload: a file saved elsewhere on the machine must not restart the server mid-test.
            ["make", "demo", "HOST=127.0.0.1", f"PORT={port}", "RUNSERVER_ARGS=--noreload"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 900
        while True:
            assert server.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "make demo did not serve within 15 minutes"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        printed = log.read_text(encoding="utf-8")
        for _key, username, *_ in DEMO_USERS:
            assert username in printed, f"make demo did not print the login {username}"
        assert DEMO_PASSWORD in printed and f"http://127.0.0.1:{port}/" in printed
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # make, runserver and its autoreloader child
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
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
    assert page.locator("h2", has_text="Việc cần làm tiếp theo").count() == 1
    assert page.locator("#todo-list, #todo-empty").count() == 1
    os.makedirs(ROOT / "test-artifacts", exist_ok=True)
    page.screenshot(path=str(ROOT / "test-artifacts" / f"home-{username}.png"), full_page=True)

    # The account menu (a Bootstrap dropdown, vendored JS) holds the profile, the inbox and the logout.
    page.get_by_role("button", name=full_name).click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()
    page.goto(f"{demo_server}/")
    assert "/dang-nhap/" in page.url
