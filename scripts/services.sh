# Shared by run.sh and test.sh: install and start throwaway Redis and PostgreSQL servers.
# Source it; functions only, nothing runs on load.

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  # Debian packages, installed only when missing; a stale package index is refreshed once.
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null 2>&1 || {
    as_root apt-get update -qq >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
  }
}

ensure_chromium() {
  # The browser tests drive Debian's Chromium (Playwright downloads no browser here), with
  # a small CJK font so that Chinese pages render in screenshots.
  command -v chromium >/dev/null && fc-list 2>/dev/null | grep -qi wenquanyi && return 0
  echo "installing chromium and a CJK font"
  apt_install chromium fonts-wqy-microhei
}

free_port() {
  "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_redis() {  # start_redis PORT DIR
  command -v redis-server >/dev/null || { echo "installing redis-server"; apt_install redis-server; }
  redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$2/redis.pid" --logfile "$2/redis.log" --dir "$2"
  for _ in $(seq 50); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis did not start; see $2/redis.log" >&2; return 1
}

stop_redis() {  # stop_redis PORT
  redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true
}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

start_postgres() {  # start_postgres PORT DIR   (DIR must be traversable by the postgres user)
  [ -n "$(pg_bin)" ] || { echo "installing postgresql"; apt_install postgresql; }
  local bin; bin=$(pg_bin)
  local run=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$2"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 -D "$2/data" >"$2/initdb.log" 2>&1
  "${run[@]}" "$bin/pg_ctl" -w -D "$2/data" -l "$2/postgres.log" \
    -o "-p $1 -k $2 -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
}

stop_postgres() {  # stop_postgres DIR
  local run=()
  [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  [ -d "$1/data" ] && "${run[@]}" "$(pg_bin)/pg_ctl" -D "$1/data" -m immediate stop >/dev/null 2>&1 || true
}
