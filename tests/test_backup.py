"""`make backup` / `make restore` (scripts/backup.sh, scripts/restore.sh): a populated province survives a round
trip into a fresh database with the same report figures, and its stored files are served again; a certificate
PDF lost before the backup is rendered again by the restore."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from tests.backup_probe import populate, report_figures, served_files

ROOT = Path(__file__).resolve().parent.parent


def _env(**values) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE", "SQLITE_PATH")}
    return {**env, "PY": sys.executable, **{k: str(v) for k, v in values.items()}}


def _run(args, env) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _probe(env) -> dict:
    out = _run([sys.executable, "manage.py", "shell", "-c", "from tests.backup_probe import main; main()"], env)
    return json.loads(out.strip().splitlines()[-1])


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_pg_database():
    import psycopg2

    name = connection.settings_dict["NAME"] + "_restored"
    admin = psycopg2.connect(_pg_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield _pg_url(name)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.django_db(transaction=True)
def test_backup_restored_into_a_fresh_postgresql_database_gives_the_same_figures_and_files(
        request, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump / pg_restore: runs with DATABASE_URL (CI); the SQLite path has its own test")
    restored_url = request.getfixturevalue("empty_pg_database")
    certificates = populate()
    figures, files = report_figures(), served_files()
    assert len(certificates) == 2 and len(files) == 4
    assert {f["status"] for f in files.values()} == {200}
    assert figures["producers"]["total"][1] > 0  # the figures compared below are not all empty
    lost_pk, lost_name = next(iter(certificates.items()))
    default_storage.delete(lost_name)  # lost before the backup: the restore renders it again

    backups = tmp_path / "backups"
    archive = _run(["bash", "scripts/backup.sh"], _env(DATABASE_URL=_pg_url(connection.settings_dict["NAME"]),
                                                        MEDIA_ROOT=settings.MEDIA_ROOT, BACKUP_DIR=backups)).strip()
    assert Path(archive).parent == backups and Path(archive).name.startswith("ocop-backup-")
    assert oct(Path(archive).stat().st_mode & 0o777) == "0o600"

    restored_media = tmp_path / "restored-media"
    restored_env = _env(DATABASE_URL=restored_url, MEDIA_ROOT=restored_media)
    out = _run(["bash", "scripts/restore.sh", archive], restored_env)
    assert f"Đã lập lại giấy chứng nhận #{lost_pk} (thiếu tệp {lost_name})." in out
    assert "Tệp lập lại: 1; tệp thiếu không lập lại được: 0." in out

    restored = _probe(restored_env)
    assert restored["figures"] == figures
    lost_url = next(url for url in files if url.endswith(f"/{lost_pk}/tep.pdf"))
    regenerated = restored["files"].pop(lost_url)
    assert (regenerated["status"], regenerated["pdf"]) == (200, True)
    # Every other file is served byte for byte as before the backup.
    assert restored["files"] == {url: f for url, f in files.items() if url != lost_url}
    assert (restored_media / lost_name).read_bytes().startswith(b"%PDF")

    # Restoring twice is refused: the database is no longer empty.
    again = subprocess.run(["bash", "scripts/restore.sh", archive], cwd=ROOT, env=restored_env, capture_output=True, text=True)
    assert again.returncode == 3
    assert "Cơ sở dữ liệu đích không trống" in again.stderr


def test_a_sqlite_portal_is_backed_up_and_restored_by_file_copy(tmp_path):
    """Without DATABASE_URL (the demo set-up): the same round trip, every step in its own process. It runs in
    the SQLite suite only (about a minute, most of it `migrate`); the PostgreSQL suite runs the test above."""
    if connection.vendor == "postgresql":
        pytest.skip("the PostgreSQL round trip above covers this run")
    original = _env(SQLITE_PATH=tmp_path / "portal.sqlite3", MEDIA_ROOT=tmp_path / "media", BACKUP_DIR=tmp_path / "backups")
    _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], original)
    _run([sys.executable, "manage.py", "shell", "-c", "from tests.backup_probe import populate; populate()"], original)
    before = _probe(original)
    assert len(before["files"]) == 4 and {f["status"] for f in before["files"].values()} == {200}

    archive = _run(["bash", "scripts/backup.sh"], original).strip()
    restored = _env(SQLITE_PATH=tmp_path / "restored" / "portal.sqlite3", MEDIA_ROOT=tmp_path / "restored" / "media")
    out = _run(["bash", "scripts/restore.sh", archive], restored)
    assert "Tệp lập lại: 0; tệp thiếu không lập lại được: 0." in out
    assert _probe(restored) == before
