#!/usr/bin/env bash
# Makes this machine able to build and run containers, so docker-compose.yml and the systemd
# units can be tested for real. Idempotent; run as root; takes a few minutes the first time.
#
# What it sets up:
#   - podman (with runc; crun cannot run here), podman-compose, debootstrap
#   - /etc/containers/containers.conf: runtime runc, no default ulimits
#   - base images built from Debian packages (no image registry is reachable here):
#       docker.io/library/debian:bookworm-slim   plain Debian 12, so `FROM debian:bookworm-slim` resolves
#       localhost/debian-systemd:bookworm        Debian 12 with systemd as PID 1
# Usage:  scripts/container-env.sh            (then: podman-compose up -d, podman run ...)
# Note:   pass --ulimit=host to `podman run`; in compose files nothing extra is needed.
set -euo pipefail

log() { printf '[container-env] %s\n' "$*" >&2; }

need_pkgs=()
for p in podman runc debootstrap uidmap; do dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p"); done
if ((${#need_pkgs[@]})); then
  log "installing ${need_pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi
command -v podman-compose >/dev/null 2>&1 || { log "installing podman-compose"; python3 -m pip install -q podman-compose >/dev/null 2>&1; }

mkdir -p /etc/containers
cat >/etc/containers/containers.conf <<'EOF'
[containers]
default_ulimits = []
[engine]
runtime = "runc"
EOF

cache=/var/tmp/container-env
mkdir -p "$cache"

build_base() { # name, debootstrap --include list (may be empty)
  local name=$1 include=$2 root="$cache/rootfs-${1//[:\/]/_}"
  if podman image exists "$name"; then return; fi
  log "building $name from Debian packages"
  rm -rf "$root"
  debootstrap --variant=minbase ${include:+--include=$include} bookworm "$root" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  # keep the image's apt sources identical to the host's, so apt-get works inside builds
  : >"$root/etc/apt/sources.list"
  [ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/etc/apt/sources.list"
  if [ -d /etc/apt/sources.list.d ]; then cp -r /etc/apt/sources.list.d/. "$root/etc/apt/sources.list.d/"; fi
  tar -C "$root" -c . | podman import --quiet - "$name" >/dev/null
  rm -rf "$root"
}

build_base docker.io/library/debian:bookworm-slim ""
podman image exists docker.io/library/debian:bookworm || podman tag docker.io/library/debian:bookworm-slim docker.io/library/debian:bookworm
build_base localhost/debian-systemd:bookworm "systemd,systemd-sysv,dbus,ca-certificates"

podman run --rm --ulimit=host docker.io/library/debian:bookworm-slim true
log "ready: podman $(podman --version | awk '{print $3}'), $(podman-compose --version 2>/dev/null | head -1)"
