#!/usr/bin/env bash
# Build the one-folder package with PyInstaller (build.spec) and run its self-test.
# Linux here; on Windows run the same spec by hand (README "Packaging").
set -euo pipefail
cd "$(dirname "$0")/.."
# WENZE_VENV: build from another virtual environment (default .venv, made by scripts/venv.sh).
VENV="${WENZE_VENV:-.venv}"
[ -n "${WENZE_VENV:-}" ] || [ -x .venv/bin/python ] || bash scripts/venv.sh
# The [build] extra (PyInstaller, the PostgreSQL driver), not the project itself: an editable
# install here would re-point a shared .venv at this checkout.
mapfile -t build_reqs < <("$VENV/bin/python" -c 'import tomllib
for r in tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["build"]:
    print(r)')
"$VENV/bin/python" -m pip install -q "${build_reqs[@]}"
start=$(date +%s)
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN build.spec
echo "构建用时 $(( $(date +%s) - start )) 秒；大小 $(du -sh dist/wenze | cut -f1)"
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" dist/wenze/wenze --smoke
