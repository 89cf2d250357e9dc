#!/usr/bin/env bash
# Build the one-folder package with PyInstaller (build.spec) and run its self-test.
# Linux here; on Windows run the same spec by hand (README "Packaging").
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/venv.sh
.venv/bin/python -m pip install -q "pyinstaller>=6.0"
start=$(date +%s)
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN build.spec
echo "构建用时 $(( $(date +%s) - start )) 秒；大小 $(du -sh dist/wenze | cut -f1)"
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" dist/wenze/wenze --smoke
