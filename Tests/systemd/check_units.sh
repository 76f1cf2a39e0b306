#!/usr/bin/env bash
# Offline checks of deploy/systemd/ (no unit is installed, nothing is started):
#   - systemd-analyze verify on every unit (ExecStart pointed at a stub; any warning fails),
#   - systemd-analyze security --offline=true: prints each unit's exposure, fails above 2.0,
#   - the contract the deployment relies on (notify + watchdog, PartOf, credentials, no ordering
#     between the daemons, every unit wanted by tradewind.target).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=deploy/systemd
threshold=${SYSTEMD_EXPOSURE_THRESHOLD:-20} # systemd's internal 0-100 scale: 20 is an exposure of 2.0
daemons=(market-data signal-bridge risk-manager execution-engine position-tracker)
failed=0
fail() { echo "FAIL $*" >&2; failed=1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
printf '#!/bin/sh\nexit 0\n' >"$work/bin/stub"
chmod +x "$work/bin/stub"
for f in "$dir"/*.service "$dir"/*.target; do
  sed -E "s#^ExecStart=/usr/local/bin/[^ ]+#ExecStart=$work/bin/stub#" "$f" >"$work/$(basename "$f")"
done
if ! out=$(cd "$work" && systemd-analyze verify ./*.service ./*.target 2>&1) || [ -n "$out" ]; then
  fail "systemd-analyze verify: $out"
fi

printf '%-36s %s\n' unit exposure
for f in "$dir"/*.service; do
  unit=$(basename "$f")
  rc=0
  line=$(systemd-analyze security --offline=true --threshold="$threshold" --no-pager "$f" 2>&1 | tail -1) || rc=$?
  printf '%-36s %s\n' "$unit" "$(sed -E 's/.*: ([0-9.]+ [A-Z]+).*/\1/' <<<"$line")"
  ((rc == 0)) || fail "$unit: exposure above $((threshold / 10)).$((threshold % 10)) ($line)"
done

has() { grep -qxF "$2" "$dir/$1" || fail "$1 lacks '$2'"; }
for d in "${daemons[@]}"; do
  u=tradewind-$d.service
  for line in Type=notify NotifyAccess=main PartOf=tradewind.target Restart=on-failure KillSignal=SIGTERM \
      "ExecStart=/usr/local/bin/tradewind-$d --config /etc/tradewind/tradewind.json" \
      LoadCredential=api-token:/etc/tradewind/credentials/api-token Environment=TRADEWIND_API_TOKEN_FILE=%d/api-token \
      "RuntimeDirectory=tradewind/$d" "WorkingDirectory=%S/tradewind/$d" "SyslogIdentifier=tradewind-$d"; do
    has "$u" "$line"
  done
  grep -qE '^WatchdogSec=[1-9]' "$dir/$u" || fail "$u has no WatchdogSec="
  grep -qE "^StateDirectory=tradewind/$d( |$)" "$dir/$u" || fail "$u: StateDirectory is not tradewind/$d"
  for setting in MemoryMax CPUQuota TasksMax TimeoutStartSec TimeoutStopSec RestartSec StartLimitIntervalSec StartLimitBurst; do
    grep -qE "^$setting=." "$dir/$u" || fail "$u has no $setting="
  done
  grep -E '^(After|Before|Requires|BindsTo)=' "$dir/$u" | grep -q 'tradewind-' && fail "$u is ordered after another daemon"
  grep -qE "^Wants=.*\b$u\b" "$dir/tradewind.target" || fail "tradewind.target does not want $u"
done
grep -qE '^Wants=.*\btradewind-health.service\b' "$dir/tradewind.target" || fail "tradewind.target does not want tradewind-health.service"
has tradewind-health.service PartOf=tradewind.target

# deploy/config/production.json puts journals, sockets and data where the units let the daemons write
python3 - "$dir" deploy/config/production.json <<'PY' || failed=1
import json, pathlib, re, sys
units, config = pathlib.Path(sys.argv[1]), json.loads(pathlib.Path(sys.argv[2]).read_text())
def unit(name, key):
    return re.search(rf"^{key}=(.*)$", (units / f"tradewind-{name}.service").read_text(), re.M).group(1).split()
problems = []
if config["database"]["journal_dir"] != "/var/lib/tradewind":
    problems.append("database.journal_dir must be /var/lib/tradewind (the journals go to <journal_dir>/<daemon>, each unit's StateDirectory)")
if "tradewind/data" not in unit("market-data", "StateDirectory") or config["data"]["root"] != "/var/lib/tradewind/data":
    problems.append("data.root must be /var/lib/tradewind/data, a StateDirectory of market data")
for name in ["market-data", "signal-bridge", "risk-manager", "execution-engine", "position-tracker"]:
    section = config[name.replace("-", "_")]
    for key, endpoint in section.items():
        if key.endswith("endpoint") and not endpoint.startswith(f"ipc:///run/{unit(name, 'RuntimeDirectory')[0]}/"):
            problems.append(f"{name}.{key} = {endpoint} is not in its RuntimeDirectory /run/tradewind/{name}/")
for problem in problems:
    print("FAIL", problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

((failed == 0)) && echo "systemd units: ok"
exit "$failed"
