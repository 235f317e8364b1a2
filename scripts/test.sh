#!/usr/bin/env bash
# `make test`: throwaway Redis and PostgreSQL on loopback, the suite on SQLite then on
# PostgreSQL, and everything cleaned up however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
. scripts/services.sh

tmp=$(mktemp -d /tmp/jobline-test.XXXXXX)
chmod 755 "$tmp"
redis_port=$(free_port)
pg_port=$(free_port)
cleanup() { stop_redis "$redis_port"; stop_postgres "$tmp"; rm -rf "$tmp"; }
trap cleanup EXIT

ensure_chromium
start_redis "$redis_port" "$tmp"
start_postgres "$pg_port" "$tmp"
"$(pg_bin)/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres jobline_test

echo "== lint: ruff and mypy"
"$VENV/bin/ruff" check .
"$VENV/bin/mypy"

export JOBLINE_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
echo "== tests on SQLite"
JOBLINE_TEST_DATABASE_URL="sqlite:///$tmp/jobline_test.sqlite3" "$VENV/bin/pytest" -q "$@"
echo "== tests on PostgreSQL"
JOBLINE_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$pg_port/jobline_test" \
  "$VENV/bin/pytest" -q "$@"
