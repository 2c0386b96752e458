#!/usr/bin/env bash
# Sao lưu: the database and the private media into one timestamped archive,
#   $BACKUP_DIR/ocop-backup-YYYYMMDD-HHMMSSZ.tar.gz   (BACKUP_DIR defaults to var/backups)
# PostgreSQL (DATABASE_URL set): pg_dump in custom format; SQLite: an online copy (sqlite3 backup API).
# The media folder (MEDIA_ROOT) is copied as it is; with object storage (OCOP_STORAGE=s3) the bucket is backed
# up by the storage itself (versioning or replication) and only the database goes into the archive.
# The archive holds personal data: it is created readable by its owner only.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$(if [ -x .venv/bin/python ]; then echo .venv/bin/python; else echo python3; fi)}
BACKUP_DIR=${BACKUP_DIR:-var/backups}

eval "$("$PY" scripts/backup_settings.py)"
umask 077
stamp=$(date -u +%Y%m%d-%H%M%SZ)
name="ocop-backup-$stamp"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/$name" "$BACKUP_DIR"

case "$DB_VENDOR" in
  postgresql)
    command -v pg_dump >/dev/null || { echo "Thiếu pg_dump: cài gói postgresql-client (cùng phiên bản máy chủ trở lên)." >&2; exit 2; }
    pg_dump --format=custom --no-owner --no-privileges --file="$work/$name/database.dump" "$DATABASE_URL"
    ;;
  sqlite3)
    [ -s "$DB_NAME" ] || { echo "Không thấy cơ sở dữ liệu SQLite $DB_NAME." >&2; exit 2; }
    "$PY" - "$DB_NAME" "$work/$name/database.sqlite3" <<'PYEOF'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
source.backup(target)  # a consistent copy even while the portal writes
target.close(); source.close()
PYEOF
    ;;
  *) echo "Không sao lưu được cơ sở dữ liệu loại $DB_VENDOR." >&2; exit 2 ;;
esac

if [ "$MEDIA_ON_FILESYSTEM" = 1 ]; then
  mkdir -p "$work/$name/media"
  if [ -d "$MEDIA_DIR" ]; then cp -a "$MEDIA_DIR/." "$work/$name/media/"; fi
  media="filesystem"
else
  echo "Tệp riêng nằm trên kho đối tượng (S3): sao lưu kho bằng tính năng của kho (versioning/replication)." >&2
  media="object-storage"
fi

{
  echo "created=$stamp"
  echo "database=$DB_VENDOR"
  echo "media=$media"
  echo "revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} > "$work/$name/MANIFEST"

tar -C "$work" -czf "$BACKUP_DIR/$name.tar.gz.part" "$name"
mv "$BACKUP_DIR/$name.tar.gz.part" "$BACKUP_DIR/$name.tar.gz"
echo "$BACKUP_DIR/$name.tar.gz"
