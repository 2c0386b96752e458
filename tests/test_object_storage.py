"""OCOP_STORAGE=s3: private files in an S3-compatible bucket (django-storages), tried against a real S3 server
(moto_server from PyPI) on 127.0.0.1: an evidence upload and a certificate PDF go into the bucket, not the local
folder, and the portal's own views serve them back."""
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.enums import Role
from products.models import Certificate
from registrations.models import EvidenceFile
from tests.factories import CommuneFactory, user_with_role
from tests.products.factories import closed_round, province_with_committee, published_decision
from tests.registrations.factories import PDF_BYTES, DossierFactory, ProducerFactory

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "ocop-private"
MOTO = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto_server as its own process; stopped by its pid at the end."""
    if MOTO is None:
        pytest.fail("moto_server is missing: pip install -r requirements.txt")
    port = _free_port()
    server = subprocess.Popen([MOTO, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "moto_server did not start"
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


S3_ENV = {"OCOP_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_REGION_NAME": "ap-southeast-1",
          "AWS_S3_ADDRESSING_STYLE": "path", "AWS_ACCESS_KEY_ID": "ocop-test", "AWS_SECRET_ACCESS_KEY": "ocop-test-secret"}


def _storage_from_environment(endpoint: str) -> dict:
    """The "default" storage settings.py builds from the environment (read in a fresh interpreter)."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")}, **S3_ENV, "AWS_S3_ENDPOINT_URL": endpoint}
    out = subprocess.run([sys.executable, "-c", "import json; from ocop_portal import settings; "
                          "print(json.dumps(settings.STORAGES['default']))"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    import boto3

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, S3_ENV[name])
    client = boto3.client("s3", endpoint_url=s3_server, region_name="ap-southeast-1",
                          aws_access_key_id="ocop-test", aws_secret_access_key="ocop-test-secret")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
    settings.STORAGES = {**settings.STORAGES, "default": _storage_from_environment(s3_server)}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _objects(client) -> dict:
    return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read()
            for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_the_environment_selects_the_s3_backend_with_a_private_bucket(s3_server):
    storage = _storage_from_environment(s3_server)
    assert storage == {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": BUCKET, "endpoint_url": s3_server, "region_name": "ap-southeast-1", "location": "",
        "addressing_style": "path", "signature_version": "s3v4", "default_acl": None, "file_overwrite": False,
        "querystring_auth": True}}


def test_evidence_and_certificate_go_to_the_bucket_and_are_served_by_the_portal(
        bucket, client, settings, db, django_capture_on_commit_callbacks):
    province = province_with_committee()
    commune = CommuneFactory(parent=province)
    officer = user_with_role(Role.COMMUNE_OFFICER, commune, username="canbo.xa")
    staff = user_with_role(Role.PROVINCE_STAFF, province, username="canbo.tinh")
    dossier = DossierFactory(producer=ProducerFactory(commune=commune))

    # An evidence file uploaded through the dossier page.
    client.force_login(officer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("giay-phep.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(reverse("registrations:dossier_edit", args=[dossier.pk]), {
        "kind": "first", "product_name": dossier.product_name, "product_set": dossier.product_set_id,
        "representative_name": "Nguyễn Văn Tư", "representative_position": "Giám đốc", "contact_address": "Ấp Phú Hiệp",
        "phone": "0275 3871 234", "email": "", "sample_count": "5", "history": "Thành lập năm 2015",
        "markets": "Siêu thị Co.op Mart", "action": "save",
        "evidence_kind": "business_registration", "evidence_file": upload,
    })
    evidence = EvidenceFile.objects.get()
    assert response.status_code == 302
    assert _objects(bucket)[evidence.file.name] == PDF_BYTES
    download = client.get(reverse("registrations:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES

    # A certificate rendered when its decision is published.
    with django_capture_on_commit_callbacks(execute=True):
        published_decision(closed_round(province, [4], commune=commune), staff)
    certificate = Certificate.objects.get()
    stored = _objects(bucket)
    assert sorted(stored) == sorted([evidence.file.name, certificate.pdf.name])
    assert stored[certificate.pdf.name].startswith(b"%PDF")
    client.force_login(staff)
    pdf = client.get(reverse("products:certificate_pdf", args=[certificate.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == stored[certificate.pdf.name]

    # A PDF lost from the bucket is rendered again into it (what scripts/restore.sh runs).
    bucket.delete_object(Bucket=BUCKET, Key=certificate.pdf.name)
    out = io.StringIO()
    call_command("media_repair", stdout=out)
    assert f"Đã lập lại giấy chứng nhận #{certificate.pk} (thiếu tệp {certificate.pdf.name})." in out.getvalue()
    certificate.refresh_from_db()
    assert _objects(bucket)[certificate.pdf.name].startswith(b"%PDF")

    # A report file, produced by its run and downloaded.
    from django.utils import timezone

    from reports.periods import Params
    from reports.services import report_run_request

    viewer = user_with_role(Role.REPORT_VIEWER, province, username="so.nnmt")
    with django_capture_on_commit_callbacks(execute=True):
        run, _created = report_run_request(code="dossier_progress", fmt="csv", by=viewer,
                                           params=Params(province=province, year=timezone.localdate().year))
    run.refresh_from_db()
    client.force_login(viewer)
    report = client.get(reverse("reports:run_download", args=[run.pk]))
    assert report.status_code == 200
    assert b"".join(report.streaming_content) == _objects(bucket)[run.file.name]

    # An object missing from the bucket is a 404, as a missing file is on the filesystem.
    bucket.delete_object(Bucket=BUCKET, Key=evidence.file.name)
    client.force_login(officer)
    assert client.get(reverse("registrations:evidence_download", args=[evidence.pk])).status_code == 404

    # Nothing was written to the local private folder.
    assert not Path(settings.MEDIA_ROOT).exists() or list(Path(settings.MEDIA_ROOT).rglob("*")) == []
