#!/usr/bin/env bash
# Start a local PostgreSQL (Debian package) on loopback and print a URL to a fresh test database.
set -euo pipefail
ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
[ -n "$ver" ] || { echo "PostgreSQL 未安装" >&2; exit 1; }
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then
  pg_createcluster "$ver" main >/dev/null 2>&1 || true
fi
pg_ctlcluster "$ver" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi; }
as_pg "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname='wenze'\" | grep -q 1 || psql -q -c \"CREATE ROLE wenze LOGIN PASSWORD 'wenze' SUPERUSER\"" >/dev/null
as_pg "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname='wenze_test'\" | grep -q 1 || createdb -O wenze wenze_test" >/dev/null
echo "postgresql+psycopg://wenze:wenze@127.0.0.1:5432/wenze_test"
