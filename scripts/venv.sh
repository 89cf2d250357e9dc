#!/usr/bin/env bash
# Create .venv (once) and install the project with the given extras. Usage: scripts/venv.sh [extras]
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    bash scripts/system-deps.sh venv-only >/dev/null 2>&1 || true
    ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get install -y -qq "python${ver}-venv" >/dev/null
    "$PY" -m venv .venv
  fi
fi
stamp=".venv/.installed-${1:-base}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".${1:+[$1]}"
  touch "$stamp"
fi
