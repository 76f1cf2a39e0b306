#!/usr/bin/env bash
# Starts, stops and reports on the five Tradewind daemons as background processes.
#   scripts/suite.sh up      start all five (binaries from $TRADEWIND_BIN), wait until each /ready is 200
#   scripts/suite.sh down    SIGTERM all five and wait for them to exit
#   scripts/suite.sh status  one line per daemon
# State lives under .run/ (pid files, logs, ipc sockets). Pass a config file with TRADEWIND_CONFIG.
set -euo pipefail
cd "$(dirname "$0")/.."

daemons=(market-data signal-bridge risk-manager execution-engine position-tracker)
declare -A ports=([market-data]=9101 [signal-bridge]=9102 [risk-manager]=9103 [execution-engine]=9104 [position-tracker]=9105)
run=.run
mkdir -p "$run/pids" "$run/logs" "$run/bus"

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
  local bin=${TRADEWIND_BIN:?set TRADEWIND_BIN to the folder holding the tradewind-* binaries}
  # the control token (kill switch, resume): from the environment if given, else a random one kept
  # in .run/api-token (mode 600) so `make up` works out of the box
  if [ -z "${TRADEWIND_API_TOKEN:-}" ] && [ -z "${TRADEWIND_API_TOKEN_FILE:-}" ]; then
    if [ ! -s "$run/api-token" ]; then
      (umask 077 && python3 -c 'import secrets; print(secrets.token_hex(24))' >"$run/api-token")
    fi
    export TRADEWIND_API_TOKEN_FILE="$PWD/$run/api-token"
  fi
  # downstream first: subscribers are connected (ZeroMQ retries until the publisher binds) before
  # the feed starts, so the first orders and fills are not lost to a late subscriber
  for ((i = ${#daemons[@]} - 1; i >= 0; i--)); do
    local d=${daemons[i]}
    if alive "$d"; then echo "  $d already running (pid $(cat "$run/pids/$d.pid"))"; continue; fi
    nohup "$bin/tradewind-$d" ${TRADEWIND_CONFIG:+--config "$TRADEWIND_CONFIG"} >>"$run/logs/$d.log" 2>&1 &
    echo $! >"$run/pids/$d.pid"
  done
  local deadline=$((SECONDS + 60))
  for d in "${daemons[@]}"; do
    until [ "$(http_code "http://127.0.0.1:${ports[$d]}/ready")" = 200 ]; do
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
    echo "  $d ready on http://127.0.0.1:${ports[$d]}  (log: $run/logs/$d.log)"
  done
  echo "tradewind: all five daemons ready"
}

down() {
  local pids=()
  for d in "${daemons[@]}"; do
    if alive "$d"; then kill -TERM "$(cat "$run/pids/$d.pid")"; pids+=("$d"); fi
  done
  for d in "${pids[@]}"; do
    local pid; pid=$(cat "$run/pids/$d.pid")
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
      echo "$d: running (pid $(cat "$run/pids/$d.pid")), /ready $(http_code "http://127.0.0.1:${ports[$d]}/ready")"
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
