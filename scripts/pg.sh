#!/usr/bin/env bash
# The embedded PostgreSQL: a private cluster under a folder of the project (default .run/pg),
# reachable only through a Unix socket in that folder, run as an unprivileged user.
#   scripts/pg.sh start [DIR]   initialise (once) and start; prints the connection URL
#   scripts/pg.sh stop [DIR]    fast shutdown
#   scripts/pg.sh url [DIR]     the connection URL
#   scripts/pg.sh status [DIR]
# With TRADEWIND_DATABASE_URL set, start/stop do nothing and url prints that URL.
set -euo pipefail
cd "$(dirname "$0")/.."

cmd=${1:?usage: scripts/pg.sh start|stop|url|status [DIR]}
dir=$(mkdir -p "${2:-.run/pg}" && cd "${2:-.run/pg}" && pwd)
# the port is chosen when the cluster is initialised (TRADEWIND_PG_PORT, default 5433) and kept
if [ -f "$dir/port" ]; then port=$(cat "$dir/port"); else port=${TRADEWIND_PG_PORT:-5433}; fi
data=$dir/data
sock=$dir/sock
url="postgresql:///tradewind?host=$sock&port=$port&user=tradewind"

if [ -n "${TRADEWIND_DATABASE_URL:-}" ]; then
  case "$cmd" in url|start) echo "$TRADEWIND_DATABASE_URL" ;; esac
  exit 0
fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_ctl" ] || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

# PostgreSQL refuses to run as root: run it as the postgres user the Debian package creates.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case "$cmd" in
  start)
    if [ ! -f "$data/PG_VERSION" ]; then
      mkdir -p "$data" "$sock"
      [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
      as_owner "$bin/initdb" -D "$data" -U tradewind --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
      echo "$port" >"$dir/port"
    fi
    if ! running; then
      as_owner "$bin/pg_ctl" -D "$data" -l "$dir/postgresql.log" -w -t 30 \
        -o "-k $sock -p $port -c listen_addresses='' -c fsync=on" start >/dev/null \
        || { tail -20 "$dir/postgresql.log" >&2; exit 1; }
    fi
    if ! as_owner "$bin/psql" -h "$sock" -p "$port" -U tradewind -d postgres -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = 'tradewind'" | grep -q 1; then
      as_owner "$bin/createdb" -h "$sock" -p "$port" -U tradewind tradewind
    fi
    echo "$url"
    ;;
  stop)
    if [ -f "$data/PG_VERSION" ] && running; then
      as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    ;;
  url) echo "$url" ;;
  status) if running; then echo "running: $url"; else echo "stopped"; exit 3; fi ;;
  *) echo "usage: scripts/pg.sh start|stop|url|status [DIR]" >&2; exit 2 ;;
esac
