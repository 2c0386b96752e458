#!/usr/bin/env bash
# Khôi phục: scripts/restore.sh var/backups/ocop-backup-….tar.gz
# Restores an archive of scripts/backup.sh into an EMPTY database (DATABASE_URL, or the SQLite file when it is
# not set) and an empty MEDIA_ROOT, then brings the schema up to this code (migrate) and renders again every
# certificate, council minutes or report file the database names but the archive lacks (manage.py media_repair).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$(if [ -x .venv/bin/python ]; then echo .venv/bin/python; else echo python3; fi)}
archive=${1:?"Cách dùng: scripts/restore.sh ĐƯỜNG_DẪN/ocop-backup-….tar.gz"}
[ -f "$archive" ] || { echo "Không thấy tệp sao lưu $archive." >&2; exit 2; }

eval "$("$PY" scripts/backup_settings.py)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$archive"
root=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'ocop-backup-*' | head -n1)
[ -n "$root" ] && [ -f "$root/MANIFEST" ] || { echo "$archive không phải bản sao lưu của cổng OCOP." >&2; exit 2; }

if [ -f "$root/database.dump" ]; then
  [ "$DB_VENDOR" = postgresql ] || { echo "Bản sao lưu là PostgreSQL: hãy đặt DATABASE_URL tới một cơ sở dữ liệu trống." >&2; exit 2; }
  tables=$(psql "$DATABASE_URL" -tAc "select count(*) from pg_catalog.pg_tables where schemaname = 'public'")
  [ "$tables" = 0 ] || { echo "Cơ sở dữ liệu đích không trống ($tables bảng): khôi phục chỉ vào cơ sở dữ liệu trống." >&2; exit 3; }
  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$root/database.dump"
elif [ -f "$root/database.sqlite3" ]; then
  [ "$DB_VENDOR" = sqlite3 ] || { echo "Bản sao lưu là SQLite: hãy bỏ DATABASE_URL." >&2; exit 2; }
  if [ -s "$DB_NAME" ]; then echo "Tệp cơ sở dữ liệu $DB_NAME đã có: khôi phục chỉ vào cơ sở dữ liệu trống." >&2; exit 3; fi
  mkdir -p "$(dirname "$DB_NAME")"
  cp "$root/database.sqlite3" "$DB_NAME"
else
  echo "Bản sao lưu không có cơ sở dữ liệu." >&2; exit 2
fi

if [ -d "$root/media" ]; then
  if [ "$MEDIA_ON_FILESYSTEM" = 1 ]; then
    mkdir -p "$MEDIA_DIR"
    if [ -n "$(ls -A "$MEDIA_DIR")" ]; then echo "Thư mục tệp riêng $MEDIA_DIR không trống." >&2; exit 3; fi
    cp -a "$root/media/." "$MEDIA_DIR/"
  else
    echo "Tệp riêng trong bản sao lưu chưa được chép: kho đối tượng (S3) được khôi phục bằng công cụ của kho." >&2
  fi
fi

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py media_repair
echo "Đã khôi phục $archive."
