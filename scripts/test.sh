#!/usr/bin/env bash
# `make test`: throwaway Redis and PostgreSQL on loopback, the suite on SQLite and on
# PostgreSQL, and everything cleaned up however it ends.
#
# The whole suite runs the two databases side by side, one pytest each with a Redis of its
# own (a test empties its Redis, even FLUSHALL), which keeps both cores busy while one waits
# on a worker, a browser or a provider. The scale-out test then runs alone, as it measures
# answer times of a machine it has to itself. `make test ARGS` (some tests only) runs them
# on SQLite, then on PostgreSQL, one after the other.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
. scripts/services.sh

tmp=$(mktemp -d /tmp/jobline-test.XXXXXX)
chmod 755 "$tmp"
mkdir "$tmp/redis-sqlite" "$tmp/redis-postgresql"
redis_sqlite=$(free_port)
redis_postgresql=
pg_port=
cleanup() {
  stop_redis "$redis_sqlite"
  [ -z "$redis_postgresql" ] || stop_redis "$redis_postgresql"
  stop_postgres "$tmp"
  rm -rf "$tmp"
}
trap cleanup EXIT

ensure_chromium
start_redis "$redis_sqlite" "$tmp/redis-sqlite"
redis_postgresql=$(free_port)  # asked after the first Redis holds its port
start_redis "$redis_postgresql" "$tmp/redis-postgresql"
pg_port=$(free_port)
start_postgres "$pg_port" "$tmp"
"$(pg_bin)/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres jobline_test

echo "== lint: ruff and mypy"
"$VENV/bin/ruff" check .
"$VENV/bin/mypy"

on_sqlite() {
  JOBLINE_TEST_REDIS_URL="redis://127.0.0.1:$redis_sqlite/0" \
  JOBLINE_TEST_DATABASE_URL="sqlite:///$tmp/jobline_test.sqlite3" "$VENV/bin/pytest" -q "$@"
}
on_postgresql() {
  JOBLINE_TEST_REDIS_URL="redis://127.0.0.1:$redis_postgresql/0" \
  JOBLINE_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$pg_port/jobline_test" \
    "$VENV/bin/pytest" -q "$@"
}

if [ $# -gt 0 ]; then
  echo "== tests on SQLite"
  on_sqlite "$@"
  echo "== tests on PostgreSQL"
  on_postgresql "$@"
  exit 0
fi

echo "== tests on SQLite and on PostgreSQL, side by side (PostgreSQL's printed when done)"
started=$SECONDS
on_postgresql --ignore=tests/test_scale_out.py >"$tmp/postgresql.log" 2>&1 &
postgresql_run=$!
status=0
on_sqlite || status=$?
echo "== SQLite done after $((SECONDS - started)) s; tests on PostgreSQL:"
wait "$postgresql_run" || status=$?
cat "$tmp/postgresql.log"
echo "== PostgreSQL done after $((SECONDS - started)) s"
[ "$status" = 0 ] || exit "$status"
echo "== the scale-out test, alone, on PostgreSQL"
on_postgresql tests/test_scale_out.py
