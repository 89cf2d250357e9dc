#!/usr/bin/env bash
# Quick start 2: set up and run the whole test suite (SQLite, then storage/service suites on PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh test
bash scripts/venv.sh test
export QT_QPA_PLATFORM=offscreen
if [ -z "${WENZE_TEST_PG_URL:-}" ] && [ "${WENZE_NO_PG:-}" != "1" ]; then
  WENZE_TEST_PG_URL="$(bash scripts/pg-test-server.sh)"
  export WENZE_TEST_PG_URL
fi
.venv/bin/ruff check app tests bench
.venv/bin/ruff format --check app tests bench
# Two workers, a test file each at a time (the suite is CPU-bound; CI has two cores). Each
# worker has its own PostgreSQL database (tests/conftest.py). WENZE_TEST_WORKERS=0 runs serially.
.venv/bin/python -m pytest -n "${WENZE_TEST_WORKERS:-2}" --dist loadfile --durations=40 "$@"
