"""Settings a deployment of several machines sets through the environment (README: scaling out), each read
by a fresh interpreter as a server would."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEEP_OUT = ("DATABASE_URL", "CONN_MAX_AGE", "DB_DISABLE_SERVER_SIDE_CURSORS", "OCOP_STORAGE", "OCOP_MAX_UPLOAD_BYTES",
            "OCOP_MAX_UPLOAD_FILES", "OCOP_MAX_REQUEST_BYTES", "FILE_UPLOAD_TEMP_DIR")


def _settings(expression: str, **env):
    clean = {k: v for k, v in os.environ.items() if k not in KEEP_OUT and not k.startswith("AWS_")}
    done = subprocess.run([sys.executable, "-c", f"import json; from ocop_portal import settings as s; print(json.dumps({expression}, default=str))"],
                          cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)
    if done.returncode:
        return done.stderr.strip().splitlines()[-1]
    return json.loads(done.stdout)


def test_pgbouncer_transaction_pooling_and_connection_age_come_from_the_environment():
    database = '{k: s.DATABASES["default"][k] for k in ("CONN_MAX_AGE", "DISABLE_SERVER_SIDE_CURSORS", "NAME")}'
    url = "postgres://ocop@pgbouncer:6432/ocop"
    assert _settings(database, DATABASE_URL=url) == {"CONN_MAX_AGE": 60, "DISABLE_SERVER_SIDE_CURSORS": False, "NAME": "ocop"}
    assert _settings(database, DATABASE_URL=url, CONN_MAX_AGE="0", DB_DISABLE_SERVER_SIDE_CURSORS="1") == {
        "CONN_MAX_AGE": 0, "DISABLE_SERVER_SIDE_CURSORS": True, "NAME": "ocop"}


def test_private_storage_is_the_local_folder_unless_s3_is_chosen(tmp_path):
    assert _settings('s.STORAGES["default"]', MEDIA_ROOT=str(tmp_path)) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}
    assert _settings('s.STORAGES["default"]', OCOP_STORAGE="azure") == (
        "ValueError: OCOP_STORAGE must be 'filesystem' or 's3', not 'azure'")
    # S3 without a bucket name does not start.
    assert _settings('s.STORAGES["default"]', OCOP_STORAGE="s3") == "KeyError: 'AWS_STORAGE_BUCKET_NAME'"


@pytest.mark.parametrize(("env", "cap"), [
    ({}, 26 * 1024 * 1024),
    ({"OCOP_MAX_UPLOAD_BYTES": str(10 * 1024 * 1024), "OCOP_MAX_UPLOAD_FILES": "3"}, 36 * 1024 * 1024),
    ({"OCOP_MAX_REQUEST_BYTES": "1000"}, 1000),
])
def test_the_request_cap_follows_the_file_limit_and_count(env, cap):
    assert _settings("s.OCOP_MAX_REQUEST_BYTES", **env) == cap
