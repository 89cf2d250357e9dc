#!/usr/bin/env bash
# Quick start 1: set up and start 问责案管 on an embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh app
bash scripts/venv.sh
exec .venv/bin/wenze "$@"
