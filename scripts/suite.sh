#!/usr/bin/env bash
# Starts, stops and reports on the five Tradewind daemons as background processes.
#   scripts/suite.sh up      start all five (binaries from $TRADEWIND_BIN), wait until each /ready is 200
#   scripts/suite.sh down    SIGTERM all five and wait for them to exit
#   scripts/suite.sh status  one line per daemon
# State lives under .run/ (pid files, logs, ipc sockets). Pass a config file with TRADEWIND_CONFIG.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${TRADEWIND_BIN:-}
run=.run
mkdir -p "$run/pids" "$run/logs" "$run/bus"

# The daemons, upstream first, and their HTTP addresses: from the suite's one table merged with the
# configuration the daemons read (`tradewind suite addresses`), so a config that moves a port or an
# endpoint moves it here too.
declare -a daemons=()
declare -A urls=()
if [ -x "$bin/tradewind" ]; then
  table=$("$bin/tradewind" suite addresses --json ${TRADEWIND_CONFIG:+--config "$TRADEWIND_CONFIG"}) || exit 2
elif [ "${1:-}" = down ]; then
  # nothing built (or TRADEWIND_BIN unset): stop whatever pid files name, upstream first as recorded
  table=$(python3 -c 'import json, pathlib
names = [l.split()[0] for l in pathlib.Path(".run/pids/order").read_text().splitlines()] if pathlib.Path(".run/pids/order").exists() else []
print(json.dumps({"daemons": [{"name": n, "http_url": ""} for n in names]}))')
else
  echo "tradewind: set TRADEWIND_BIN to the folder holding the tradewind binaries (make up does)" >&2
  exit 2
fi
while read -r name url; do
  daemons+=("$name")
  urls[$name]=$url
done < <(python3 -c 'import json, sys
for d in json.load(sys.stdin)["daemons"]: print(d["name"], d["http_url"])' <<<"$table")

bus_running() { # url -> success once the daemon's /ready says its bus runs (state restored, SUBs connected)
  python3 - "$1" <<'PY'
import json, sys, urllib.request, urllib.error
try:
    body = urllib.request.urlopen(sys.argv[1], timeout=1).read()
except urllib.error.HTTPError as e:
    body = e.read()
except Exception:
    sys.exit(1)
sys.exit(0 if json.loads(body)["checks"]["bus"]["ok"] else 1)
PY
}

http_code() { # url -> status code, 000 when unreachable
  python3 - "$1" <<'PY'
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=1).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")
PY
}

alive() { [ -f "$run/pids/$1.pid" ] && kill -0 "$(cat "$run/pids/$1.pid")" 2>/dev/null; }

up() {
  # the control token (kill switch, resume): from the environment if given, else a random one kept
  # in .run/api-token (mode 600) so `make up` works out of the box
  if [ -z "${TRADEWIND_API_TOKEN:-}" ] && [ -z "${TRADEWIND_API_TOKEN_FILE:-}" ]; then
    if [ ! -s "$run/api-token" ]; then
      (umask 077 && python3 -c 'import secrets; print(secrets.token_hex(24))' >"$run/api-token")
    fi
    export TRADEWIND_API_TOKEN_FILE="$PWD/$run/api-token"
  fi
  printf '%s\n' "${daemons[@]}" >"$run/pids/order"
  # downstream first, each with its state restored and its bus running before the next starts:
  # subscribers are connected (ZeroMQ connects the moment a publisher binds) before the feed starts,
  # so the first orders and fills are not lost to a late subscriber
  local deadline=$((SECONDS + 60))
  for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do
    local d=${daemons[i]}
    if alive "$d"; then echo "  $d already running (pid $(cat "$run/pids/$d.pid"))"; continue; fi
    nohup "$bin/tradewind-$d" ${TRADEWIND_CONFIG:+--config "$TRADEWIND_CONFIG"} >>"$run/logs/$d.log" 2>&1 &
    echo $! >"$run/pids/$d.pid"
    until bus_running "${urls[$d]}/ready"; do
      if ! alive "$d"; then
        echo "tradewind: $d exited during start-up; last lines of $run/logs/$d.log:" >&2
        tail -5 "$run/logs/$d.log" >&2
        down; exit 1
      fi
      if ((SECONDS > deadline)); then
        echo "tradewind: $d did not start within 60 s; see $run/logs/$d.log" >&2
        down; exit 1
      fi
      sleep 0.1
    done
  done
  for d in "${daemons[@]}"; do
    until [ "$(http_code "${urls[$d]}/ready")" = 200 ]; do
      if ! alive "$d"; then
        echo "tradewind: $d exited during start-up; last lines of $run/logs/$d.log:" >&2
        tail -5 "$run/logs/$d.log" >&2
        down; exit 1
      fi
      if ((SECONDS > deadline)); then
        echo "tradewind: $d not ready after 60 s; see $run/logs/$d.log" >&2
        down; exit 1
      fi
      sleep 0.2
    done
    echo "  $d ready on ${urls[$d]}  (log: $run/logs/$d.log)"
  done
  echo "tradewind: all five daemons ready"
}

down() {
  # upstream first, each waited for: a daemon is still running while its upstreams stop, so it takes
  # everything they sent before its own SIGTERM
  for d in "${daemons[@]}"; do
    alive "$d" || continue
    local pid; pid=$(cat "$run/pids/$d.pid")
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "  $d did not stop within 10 s; killing" >&2; kill -KILL "$pid" 2>/dev/null || true
    else
      echo "  $d stopped"
    fi
  done
  rm -f "$run"/pids/*.pid
}

status() {
  for d in "${daemons[@]}"; do
    if alive "$d"; then
      echo "$d: running (pid $(cat "$run/pids/$d.pid")), /ready $(http_code "${urls[$d]}/ready")"
    else
      echo "$d: stopped"
    fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
