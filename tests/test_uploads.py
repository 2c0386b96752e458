"""Upload limits (ocop_portal/uploads.py): nothing big reaches the disk before the size is refused.

The socket tests talk HTTP to a live server, stream their bodies from generators (never held in memory) and
watch FILE_UPLOAD_TEMP_DIR from a thread to record the most bytes it ever held.
"""
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from django.test import RequestFactory
from django.urls import reverse

from accounts.enums import Role
from ocop_portal.uploads import UploadLimitMiddleware, oversized_uploads
from registrations.models import EvidenceFile
from tests.factories import CommuneFactory, ProvinceFactory, user_with_role
from tests.registrations.factories import PDF_BYTES, DossierFactory, ProducerFactory

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent


class DiskPeak(threading.Thread):
    """Polls a folder every 2 ms and keeps the largest total size of its files."""

    def __init__(self, folder):
        super().__init__(daemon=True)
        self.folder, self.peak, self._stop_event = folder, 0, threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            total = 0
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    try:
                        total += entry.stat().st_size
                    except FileNotFoundError:
                        pass
            self.peak = max(self.peak, total)
            time.sleep(0.002)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self._stop_event.set()
        self.join()


def zeros(total: int, chunk: int = 256 * 1024):
    sent = 0
    while sent < total:
        size = min(chunk, total - sent)
        yield b"0" * size
        sent += size


class RawPost:
    """POST over a plain socket: headers first, then the body from a generator in a thread while the
    response is read, so a server that answers before reading the body is seen doing so."""

    def __init__(self, url, path, headers, body):
        address = urlparse(url)
        self.sock = socket.create_connection((address.hostname, address.port), timeout=60)
        head = f"POST {path} HTTP/1.1\r\nHost: {address.hostname}:{address.port}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
        self.sock.sendall(head.encode("latin-1"))
        self.sent, self.answered = 0, threading.Event()
        self.sent_when_answered = None
        self.sender = threading.Thread(target=self._send, args=(body,), daemon=True)
        self.sender.start()

    def _send(self, body):
        try:
            for chunk in body:
                if self.answered.is_set():
                    return
                self.sock.sendall(chunk)
                self.sent += len(chunk)
        except OSError:  # the server closed the connection without reading the rest: what we want
            pass

    def response(self) -> tuple[int, dict, str]:
        reader = self.sock.makefile("rb")
        status = int(reader.readline().split()[1])
        self.sent_when_answered = self.sent
        self.answered.set()
        headers = {}
        while (line := reader.readline().decode("latin-1").strip()):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = reader.read(int(headers["content-length"])) if "content-length" in headers else reader.read()
        self.sender.join(timeout=60)
        self.sock.close()
        return status, headers, body.decode()


def multipart(boundary, fields, file_field, file_name, file_head, file_size):
    """A multipart body as a generator: the fields, then one file of file_size bytes (no closing boundary
    when the caller cuts it short)."""
    for name, value in fields.items():
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"{file_name}\"\r\n"
           "Content-Type: application/pdf\r\n\r\n").encode()
    yield file_head
    yield from zeros(file_size - len(file_head))
    yield f"\r\n--{boundary}--\r\n".encode()


@pytest.fixture
def upload_tmp(settings, tmp_path):
    folder = tmp_path / "upload-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return folder


@pytest.fixture
def officer_session(transactional_db, client):
    """A commune officer's session cookie, a CSRF token and a draft dossier of the officer's commune."""
    commune = CommuneFactory(parent=ProvinceFactory(name="Tỉnh Vĩnh Long", code="86"), name="Xã Chợ Lách", code="29017")
    officer = user_with_role(Role.COMMUNE_OFFICER, commune, username="canbo.xa")
    dossier = DossierFactory(producer=ProducerFactory(commune=commune))
    client.force_login(officer)
    token = _get_new_csrf_string()
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    return dossier, cookie, token


def test_the_request_cap_is_one_file_plus_the_form_fields_plus_framing(settings):
    assert settings.OCOP_MAX_UPLOAD_BYTES == 20 * MB
    assert settings.OCOP_MAX_REQUEST_BYTES == 20 * MB + 5 * MB + 1 * MB
    assert settings.FILE_UPLOAD_HANDLERS[0] == "ocop_portal.uploads.UploadLimitHandler"


def test_a_100_mb_upload_is_answered_413_before_its_body_is_read(live_server, officer_session, upload_tmp):
    dossier, cookie, token = officer_session
    boundary = "ocop-test-boundary"
    size = 100 * MB
    with DiskPeak(upload_tmp) as disk:
        post = RawPost(live_server.url, reverse("registrations:dossier_edit", args=[dossier.pk]), {
            "Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(size + 1000),
        }, multipart(boundary, {"csrfmiddlewaretoken": token, "evidence_kind": "lab_test"},
                     "evidence_file", "bao-cao.pdf", PDF_BYTES, size))
        status, headers, page = post.response()
    assert status == 413
    assert "Dữ liệu gửi lên quá lớn" in page
    assert "Mỗi tệp tải lên tối đa 20 MB, cả lần gửi tối đa 26 MB." in page
    # Answered while the client was still sending (the socket buffers hold a few MB at most) ...
    assert post.sent_when_answered < 30 * MB
    # ... and not one byte was written to the temporary folder.
    assert disk.peak == 0
    assert EvidenceFile.objects.count() == 0


def test_a_lying_content_length_gets_no_more_than_one_files_limit_onto_the_disk(live_server, officer_session, upload_tmp):
    """Declares 25 MB (under the cap) and sends 100 MB: the server reads no more than declared, and the
    upload handler stops writing the file once it passes 20 MB; the page says why, the draft is kept."""
    dossier, cookie, token = officer_session
    boundary = "ocop-test-boundary"
    with DiskPeak(upload_tmp) as disk:
        post = RawPost(live_server.url, reverse("registrations:dossier_edit", args=[dossier.pk]), {
            "Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(25 * MB),
        }, multipart(boundary, {"csrfmiddlewaretoken": token, "action": "save", "evidence_kind": "lab_test"},
                     "evidence_file", "bao-cao.pdf", PDF_BYTES, 100 * MB))
        status, _headers, page = post.response()
    assert status == 400
    assert "Tệp bao-cao.pdf vượt quá dung lượng tối đa 20 MB nên không được lưu." in page
    # The temporary file did grow (the measurement sees writes) but stopped at the per-file limit ...
    assert 1 * MB < disk.peak <= 20 * MB + 256 * 1024
    # ... and was removed; nothing was stored.
    assert list(upload_tmp.iterdir()) == []
    assert EvidenceFile.objects.count() == 0


def test_a_body_without_content_length_is_refused_411_and_not_read(live_server, officer_session, upload_tmp):
    dossier, cookie, token = officer_session
    boundary = "ocop-test-boundary"

    def chunked(parts):
        for part in parts:
            yield b"%x\r\n%s\r\n" % (len(part), part)
        yield b"0\r\n\r\n"

    with DiskPeak(upload_tmp) as disk:
        post = RawPost(live_server.url, reverse("registrations:dossier_edit", args=[dossier.pk]), {
            "Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Transfer-Encoding": "chunked",
        }, chunked(multipart(boundary, {"csrfmiddlewaretoken": token, "evidence_kind": "lab_test"},
                             "evidence_file", "bao-cao.pdf", PDF_BYTES, 100 * MB)))
        status, headers, page = post.response()
    assert status == 411
    assert "Máy chủ chỉ nhận dữ liệu gửi lên có khai báo độ dài (Content-Length)." in page
    assert disk.peak == 0
    assert EvidenceFile.objects.count() == 0


def test_a_skipped_file_gives_the_413_page_on_a_view_that_does_not_report_it(client, db, settings):
    """A view not marked handles_oversized_uploads never sees a request with a file silently missing."""
    settings.OCOP_MAX_UPLOAD_BYTES = 1024
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    commune = CommuneFactory(parent=ProvinceFactory())
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, commune, username="canbo.xa"))
    response = client.post(reverse("registrations:producer_create"), {
        "name": "Cơ sở A", "attachment": SimpleUploadedFile("a.pdf", PDF_BYTES + b"0" * 2048),
    })
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()


def test_files_together_past_the_cap_stop_the_upload_even_without_the_header_check(settings):
    """Where the Content-Length check is not the guard (a server that does not bound the body by it),
    the handler stops once the files together pass OCOP_MAX_REQUEST_BYTES."""
    settings.OCOP_MAX_UPLOAD_BYTES = 1000
    settings.OCOP_MAX_REQUEST_BYTES = 2500
    files = {f"f{i}": SimpleUploadedFile(f"{i}.pdf", b"%PDF" + b"0" * 896) for i in range(3)}
    request = RequestFactory().post("/", files)
    request.user = AnonymousUser()
    assert len(request.FILES) == 2  # the third file passed the cap and was not kept
    assert request.upload_limit_exceeded is True
    assert oversized_uploads(request) == []
    response = UploadLimitMiddleware(lambda r: None).process_view(request, lambda r: None, (), {})
    assert response.status_code == 413


def test_a_file_past_its_limit_is_skipped_and_named(settings):
    settings.OCOP_MAX_UPLOAD_BYTES = 1000
    request = RequestFactory().post("/", {
        "small": SimpleUploadedFile("nho.pdf", b"%PDF" + b"0" * 500),
        "big": SimpleUploadedFile("lon.pdf", b"%PDF" + b"0" * 5000),
    })
    assert list(request.FILES) == ["small"]
    assert [(u.field_name, u.file_name) for u in oversized_uploads(request)] == [("big", "lon.pdf")]
    assert request.upload_limit_exceeded is False


@pytest.fixture
def gunicorn_server(tmp_path):
    """The portal under gunicorn (the production server) in its own process, stopped by its pid."""
    folder = tmp_path / "gunicorn-upload-tmp"
    folder.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(FILE_UPLOAD_TEMP_DIR=str(folder), SQLITE_PATH=str(tmp_path / "unused.sqlite3"), DEBUG="0")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "ocop_portal.wsgi:application",
                               "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", folder
    server.terminate()
    server.wait(timeout=15)


def _anonymous_multipart_post(url, declared, total):
    """A multipart post to the login page (a view that does not report skipped files) with a CSRF token."""
    token, boundary = _get_new_csrf_string(), "ocop-test-boundary"
    headers = {"Cookie": f"csrftoken={token}", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    headers.update(declared)
    return RawPost(url, "/dang-nhap/", headers, multipart(boundary, {"csrfmiddlewaretoken": token, "username": "a"},
                                                           "attachment", "bao-cao.pdf", PDF_BYTES, total))


def test_gunicorn_answers_a_100_mb_upload_413_before_reading_it(gunicorn_server):
    url, folder = gunicorn_server
    with DiskPeak(folder) as disk:
        post = _anonymous_multipart_post(url, {"Content-Length": str(100 * MB + 1000)}, 100 * MB)
        status, _headers, page = post.response()
    assert status == 413
    assert "Dữ liệu gửi lên quá lớn" in page
    assert post.sent_when_answered < 30 * MB
    assert disk.peak == 0


def test_gunicorn_with_a_lying_content_length_writes_no_more_than_one_files_limit(gunicorn_server):
    url, folder = gunicorn_server
    with DiskPeak(folder) as disk:
        post = _anonymous_multipart_post(url, {"Content-Length": str(25 * MB)}, 100 * MB)
        status, _headers, page = post.response()
    assert status == 413
    assert "Dữ liệu gửi lên quá lớn" in page
    assert 1 * MB < disk.peak <= 20 * MB + 256 * 1024
    assert list(folder.iterdir()) == []


def test_gunicorn_refuses_a_chunked_body_411(gunicorn_server):
    url, folder = gunicorn_server

    def chunked(parts):
        for part in parts:
            yield b"%x\r\n%s\r\n" % (len(part), part)
        yield b"0\r\n\r\n"

    token, boundary = _get_new_csrf_string(), "ocop-test-boundary"
    with DiskPeak(folder) as disk:
        post = RawPost(url, "/dang-nhap/", {"Cookie": f"csrftoken={token}", "Transfer-Encoding": "chunked",
                                            "Content-Type": f"multipart/form-data; boundary={boundary}"},
                       chunked(multipart(boundary, {"csrfmiddlewaretoken": token}, "attachment", "bao-cao.pdf",
                                         PDF_BYTES, 100 * MB)))
        status, _headers, page = post.response()
    assert status == 411
    assert "Máy chủ chỉ nhận dữ liệu gửi lên có khai báo độ dài (Content-Length)." in page
    assert disk.peak == 0
