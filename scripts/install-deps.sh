#!/usr/bin/env bash
# Installs what Tradewind needs on Debian 12 and is missing; idempotent and quiet when all is there.
# Swift itself (6.1 or later) is expected on PATH: Debian does not package it.
set -euo pipefail

packages=(libzmq3-dev libpq-dev libcurl4-openssl-dev zlib1g-dev postgresql protobuf-compiler pkg-config python3 python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "install-deps: swift is not on PATH; install Swift 6.1+ (https://www.swift.org/install/linux/) and retry" >&2
  exit 1
fi
