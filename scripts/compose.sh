#!/usr/bin/env bash
# Runs the project's docker-compose.yml with whichever compose works here: `docker compose` (v2
# plugin), else `docker-compose`, each only if a Docker engine answers (`docker info`), else
# `podman-compose`. TW_COMPOSE="podman-compose" (any command) forces one.
#   scripts/compose.sh engine            print the compose command chosen
#   scripts/compose.sh secrets           create the missing files in deploy/compose/secrets/: a random
#                                        API token and database password, empty Binance credentials
#   scripts/compose.sh stage [BIN_DIR]   copy the six release binaries (built with --static-swift-stdlib)
#                                        into deploy/compose/bin/ for deploy/compose/Dockerfile.local
#   scripts/compose.sh services          the services to start here: all, less grafana when its image
#                                        cannot be had (no registry) and health when the tradewind image's
#                                        CLI has no `health` command yet
#   scripts/compose.sh wait [SERVICE...] wait until each service's container is healthy (running, for one
#                                        without a health check); TW_WAIT_SECONDS (180) bounds it
#   scripts/compose.sh down [-v]         compose's `down`, then removes any container of the project it left
#   scripts/compose.sh ARGS...           `<compose> -f docker-compose.yml -p <project> ARGS...`
# The project is COMPOSE_PROJECT_NAME, else tradewind.
set -euo pipefail
cd "$(dirname "$0")/.."

project=${COMPOSE_PROJECT_NAME:-tradewind}
secrets_dir=deploy/compose/secrets
binaries=(tradewind tradewind-market-data tradewind-signal-bridge tradewind-risk-manager
  tradewind-execution-engine tradewind-position-tracker)

die() { echo "compose.sh: $*" >&2; exit 1; }

# the compose command (an array) and the container CLI behind it (docker or podman)
choose() {
  if [ -n "${TW_COMPOSE:-}" ]; then
    read -r -a compose <<<"$TW_COMPOSE"
  elif command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1; then
    if docker compose version >/dev/null 2>&1; then
      compose=(docker compose)
    elif command -v docker-compose >/dev/null 2>&1; then
      compose=(docker-compose)
    fi
  fi
  if [ -z "${compose[*]:-}" ] && command -v podman-compose >/dev/null 2>&1 && timeout 20 podman info >/dev/null 2>&1; then
    compose=(podman-compose)
  fi
  [ -n "${compose[*]:-}" ] || die "no working compose: install Docker with its compose plugin, or podman and podman-compose"
  case "${compose[0]}" in
    podman-compose) cli=podman ;;
    *) cli=docker ;;
  esac
}

run_compose() { "${compose[@]}" -f docker-compose.yml -p "$project" "$@"; }

secrets() {
  mkdir -p "$secrets_dir"
  chmod 700 "$secrets_dir"
  # readable by the containers' users (the directory keeps other users of this machine out)
  local f
  for f in api_token postgres_password; do
    [ -s "$secrets_dir/$f" ] && continue
    python3 -c 'import secrets; print(secrets.token_hex(24))' >"$secrets_dir/$f"
    chmod 644 "$secrets_dir/$f"
    echo "compose.sh: created $secrets_dir/$f" >&2
  done
  for f in binance_api_key binance_api_secret; do
    [ -e "$secrets_dir/$f" ] || { : >"$secrets_dir/$f"; chmod 644 "$secrets_dir/$f"; }
  done
}

stage() {
  local bin=${1:-$(scripts/swift.sh build -c release --show-bin-path)}
  mkdir -p deploy/compose/bin
  local b
  for b in "${binaries[@]}"; do
    [ -x "$bin/$b" ] || die "$bin/$b is missing: scripts/swift.sh build -c release --static-swift-stdlib"
    if ldd "$bin/$b" | grep -q libswiftCore; then
      die "$bin/$b links the Swift runtime dynamically: build with --static-swift-stdlib"
    fi
    # debug info off (a third of the size), symbols kept for crash backtraces; an unchanged binary
    # is left as it is, so the image build's cache holds
    strip --strip-debug -o "deploy/compose/bin/.$b" "$bin/$b"
    if cmp -s "deploy/compose/bin/.$b" "deploy/compose/bin/$b"; then
      rm "deploy/compose/bin/.$b"
    else
      mv "deploy/compose/bin/.$b" "deploy/compose/bin/$b"
    fi
  done
}

services() {
  local all image version
  all=$(run_compose config --services)
  image=${TW_IMAGE:-tradewind:dev}
  version=${TW_GRAFANA_VERSION:-11.6.0}
  for s in $all; do
    case "$s" in
      grafana)
        if ! $cli image inspect "grafana/grafana-oss:$version" >/dev/null 2>&1 &&
          ! timeout 120 $cli pull -q "grafana/grafana-oss:$version" >/dev/null 2>&1; then
          echo "compose.sh: leaving out grafana (grafana/grafana-oss:$version cannot be pulled here)" >&2
          continue
        fi ;;
      health)
        if ! $cli run --rm --entrypoint tradewind "$image" --help 2>/dev/null | grep -qE '^  health( |$)'; then
          echo "compose.sh: leaving out health ($image has no \`tradewind health\` yet)" >&2
          continue
        fi ;;
    esac
    echo "$s"
  done
}

container_of() { # service -> container id (the first one)
  $cli ps -a -q --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=$1" | head -1
}

wait_healthy() {
  local wanted=("$@")
  ((${#wanted[@]})) || read -r -a wanted <<<"$(run_compose config --services | tr '\n' ' ')"
  local start=$SECONDS deadline=$((SECONDS + ${TW_WAIT_SECONDS:-180})) pending=("${wanted[@]}")
  while ((${#pending[@]})); do
    local still=() s id state health
    for s in "${pending[@]}"; do
      id=$(container_of "$s")
      state=$([ -n "$id" ] && $cli inspect -f '{{.State.Status}}' "$id" 2>/dev/null || echo missing)
      health=$([ -n "$id" ] && $cli inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id" 2>/dev/null || true)
      if [ "$state" = running ] && [ -n "$health" ] && [ "$health" != healthy ] && [ "$cli" = podman ]; then
        # podman schedules health checks with systemd timers; without systemd it never runs them,
        # so run the container's own check here (it records the result, as the timer would)
        podman healthcheck run "$id" >/dev/null 2>&1 && health=healthy
      fi
      if [ "$state" = running ] && { [ -z "$health" ] || [ "$health" = healthy ]; }; then
        echo "  $s ${health:-running} ($((SECONDS - start)) s)"
      else
        still+=("$s")
      fi
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]})) || break
    if ((SECONDS > deadline)); then
      for s in "${pending[@]}"; do
        id=$(container_of "$s")
        echo "compose.sh: $s not healthy after ${TW_WAIT_SECONDS:-180} s; last log lines:" >&2
        [ -n "$id" ] && $cli logs --tail 5 "$id" >&2 2>&1 || true
      done
      return 1
    fi
    sleep 1
  done
}

# `down`, then a check that it left no container: podman applies a restart policy late (a daemon
# that failed while its restart could not run is restarted by the `podman stop` of `down` itself,
# and then survives the `rm`), so leftovers are named and removed here
down() {
  local rc=0
  run_compose down "$@" || rc=$?
  local left
  left=$($cli ps -aq --filter "label=com.docker.compose.project=$project")
  if [ -n "$left" ]; then
    echo "compose.sh: down left containers of $project: $($cli ps -a --filter "label=com.docker.compose.project=$project" --format '{{.Names}}' | tr '\n' ' ')- removing them" >&2
    # shellcheck disable=SC2086
    $cli rm -f $left >/dev/null
    run_compose down "$@" >/dev/null 2>&1 || true   # now the network (and volumes with -v) can go
  fi
  return $rc
}

compose=()
cli=
case "${1:-}" in
  secrets) secrets ;;
  stage) shift; stage "$@" ;;
  engine) choose; echo "${compose[*]}" ;;
  services) choose; services ;;
  wait) shift; choose; wait_healthy "$@" ;;
  down) shift; choose; down "$@" ;;
  "") die "usage: $0 engine|secrets|stage|services|wait|<compose subcommand>" ;;
  *) choose; run_compose "$@" ;;
esac
