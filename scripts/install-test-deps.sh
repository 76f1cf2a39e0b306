#!/usr/bin/env bash
# Installs what the end-to-end tests need beyond scripts/install-deps.sh and is missing: Debian's
# Chromium, which the backtest report test drives headless; Prometheus (the server and promtool, for
# make test-ops and the Prometheus end-to-end test), Alertmanager's amtool and PyYAML for the
# monitoring checks. Idempotent and quiet when all is there.
set -euo pipefail

packages=(chromium prometheus prometheus-alertmanager python3-yaml)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-test-deps: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # the packages enable system services (Prometheus on :9090, Alertmanager on :9093): the tests run
  # their own on free ports, so none is left enabled or running
  for service in prometheus prometheus-alertmanager; do
    if [[ " ${missing[*]} " == *" $service "* ]] && command -v systemctl >/dev/null; then
      $sudo systemctl disable --now "$service" >/dev/null 2>&1 || true
    fi
  done
fi
