#!/usr/bin/env bash
# Installs what the portal needs on a fresh Debian machine: system packages (WeasyPrint's Pango,
# HarfBuzz subsetting, fonts with Vietnamese glyphs, gettext, Chromium for the browser tests), a
# Python 3.12 virtualenv in .venv with the pinned requirements, and the compiled translations.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-dejavu-core gettext chromium poppler-utils zbar-tools"
missing=""
# Java runs the Nu HTML checker of the browser tests; npm installs it (any Java ≥ 11, any npm will do).
command -v java >/dev/null 2>&1 || DEB_PACKAGES="$DEB_PACKAGES default-jre-headless"
command -v npm >/dev/null 2>&1 || DEB_PACKAGES="$DEB_PACKAGES npm"
for pkg in $DEB_PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Cài gói hệ thống còn thiếu:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  else
    echo "Cảnh báo: thiếu gói hệ thống:$missing (hãy cài bằng trình quản lý gói của máy)." >&2
  fi
fi

find_python() {
  for candidate in "${PYTHON:-}" python3.12 "$HOME/.pyenv/versions/3.12.1/bin/python3.12" /usr/local/bin/python3.12 /usr/bin/python3.12; do
    [ -n "$candidate" ] || continue
    if PYENV_VERSION=3.12.1 "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  PY=$(find_python) || { echo "Cần Python 3.12 (đặt biến PYTHON=/đường/dẫn/python3.12)." >&2; exit 1; }
  echo "Tạo môi trường ảo .venv với $PY"
  PYENV_VERSION=3.12.1 "$PY" -m venv .venv
fi
if [ ! -f .venv/.requirements.stamp ] || ! cmp -s requirements.txt .venv/.requirements.stamp; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt
  cp requirements.txt .venv/.requirements.stamp
fi
# The Nu HTML checker for the browser tests (package.json / package-lock.json pin it; Java runs it).
if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] || ! cmp -s package-lock.json node_modules/.package-lock.stamp; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.package-lock.stamp
fi
mkdir -p var
.venv/bin/python manage.py compilemessages -v0 -i .venv >/dev/null
