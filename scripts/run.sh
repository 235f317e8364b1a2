#!/usr/bin/env bash
# `make run`: a Redis that answers on REDIS_URL (a local one started if none does), the
# default database migrated, the demo loaded, then the web process and a worker.
# Ctrl-C stops what this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
. scripts/services.sh
export JOBLINE_DEVELOPMENT=1 PATH="$PWD/$VENV/bin:$PATH"
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

redis_url=$(python -c 'import os; from dotenv import load_dotenv; load_dotenv(); print(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")')
redis_up() { python -c 'import sys, redis; redis.Redis.from_url(sys.argv[1], socket_timeout=1).ping()' "$redis_url" 2>/dev/null; }

pids=()
started_redis=""
stop() {
  # Ctrl-C reaches the children too; whatever is already gone, stop the rest and Redis.
  trap - INT TERM EXIT
  set +e
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  [ ${#pids[@]} -gt 0 ] && wait "${pids[@]}" 2>/dev/null
  [ -n "$started_redis" ] && stop_redis "$started_redis"
  echo "stopped"
}
trap stop INT TERM EXIT

if ! redis_up; then
  port=$(python -c 'import sys, urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p.port or 6379)' "$redis_url")
  mkdir -p instance/redis
  echo "no Redis answers on $redis_url: starting one on port $port"
  start_redis "$port" "$PWD/instance/redis"
  started_redis=$port
fi

jobline db upgrade
# The demo, and console accounts a newcomer can sign in with (development only).
sign_ins=$(jobline demo --accounts | sed -n 's/^sign-in: /      /p')
gunicorn wsgi:app --bind "$HOST:$PORT" --workers 2 --access-logfile - &
pids+=($!)
jobline worker &
pids+=($!)

for _ in $(seq 100); do
  curl -fsS "http://$HOST:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1
done
cat <<MSG

  Jobline is running at http://$HOST:$PORT
    Console:                           http://$HOST:$PORT/console/
    Phone simulator:                   http://$HOST:$PORT/console/simulator
    Demo sign-ins (name / password, development only):
$sign_ins
    USSD (Africa's Talking callback):  POST http://$HOST:$PORT/ussd
    SMS (Twilio):                      POST http://$HOST:$PORT/sms/twilio
    SMS (Africa's Talking):            POST http://$HOST:$PORT/sms/africastalking
    Health:                            GET  http://$HOST:$PORT/healthz
  Outbound SMS go to the console (SMS_PROVIDER=console) and show in this log.
  Ctrl-C stops the web process, the worker and any Redis started here.

MSG
wait -n "${pids[@]}"
