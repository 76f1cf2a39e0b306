#!/usr/bin/env bash
# Installs (or upgrades) the Tradewind suite as systemd services on a Debian 12 host. Run as root;
# idempotent: running it again installs new binaries and units and keeps the configuration,
# the credentials, the state and the database.
#
#   deploy/install.sh --bin DIR [--config FILE] [--prefix /usr/local] [--database-url URL]
#                     [--binance-key-file FILE --binance-secret-file FILE] [--no-apt] [--start]
#   deploy/install.sh --uninstall [--prefix /usr/local] [--purge]
#
#   --bin DIR        the folder holding tradewind and the five tradewind-* daemons (a release build
#                    made with --static-swift-stdlib)
#   --config FILE    install FILE as /etc/tradewind/tradewind.json (the previous one is kept as
#                    tradewind.json.<time>); without it the existing file stays, or
#                    deploy/config/production.json is installed on a fresh host
#   --database-url   an external PostgreSQL (written to /etc/tradewind/environment); without it the
#                    suite uses the local server through its Unix socket with peer authentication,
#                    and this script creates the role and the database
#   --binance-*-file copy the Binance API key / secret into /etc/tradewind/credentials/
#   --no-apt         do not apt-get install missing runtime packages (fail instead)
#   --start          start (or restart) tradewind.target at the end
#   --uninstall      stop and remove units and binaries; --purge also removes /etc/tradewind,
#                    /var/lib/tradewind and the tradewind user (never the database)
# See docs/DEPLOYMENT.md, "Production: systemd".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
daemons=(market-data signal-bridge risk-manager execution-engine position-tracker)
units=("${daemons[@]/#/tradewind-}")
units=("${units[@]/%/.service}" tradewind-health.service)
etc=/etc/tradewind
creds=$etc/credentials
unit_dir=/etc/systemd/system
user=tradewind
local_database_url="postgresql:///tradewind?host=/var/run/postgresql&user=tradewind"

bin="" config="" prefix=/usr/local database_url="" binance_key="" binance_secret=""
apt=1 start=0 uninstall=0 purge=0
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
  case "$1" in
    --bin) bin=${2:?}; shift ;;
    --config) config=${2:?}; shift ;;
    --prefix) prefix=${2:?}; shift ;;
    --database-url) database_url=${2:?}; shift ;;
    --binance-key-file) binance_key=${2:?}; shift ;;
    --binance-secret-file) binance_secret=${2:?}; shift ;;
    --no-apt) apt=0 ;;
    --start) start=1 ;;
    --uninstall) uninstall=1 ;;
    --purge) purge=1 ;;
    -h|--help) usage ;;
    *) echo "install.sh: unknown option $1" >&2; usage ;;
  esac
  shift
done
libexec=$prefix/lib/tradewind

log() { printf 'install.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root"
command -v systemctl >/dev/null || die "systemd (systemctl) not found"

uninstall() {
  systemctl disable --now tradewind.target 2>/dev/null || true
  systemctl stop "${units[@]}" 2>/dev/null || true
  for u in "${units[@]}" tradewind.target; do rm -rf "$unit_dir/$u" "$unit_dir/$u.d"; done
  rm -f "$prefix/bin/tradewind" "${daemons[@]/#/$prefix/bin/tradewind-}"
  rm -rf "$libexec"
  systemctl daemon-reload
  systemctl reset-failed "${units[@]}" 2>/dev/null || true
  if ((purge)); then
    rm -rf "$etc" /var/lib/tradewind
    getent passwd "$user" >/dev/null && userdel "$user"
    log "purged $etc, /var/lib/tradewind and the $user user; the database stays (drop it with: runuser -u postgres -- dropdb tradewind; runuser -u postgres -- dropuser tradewind)"
  else
    log "removed the units and binaries; $etc, /var/lib/tradewind and the database stay (--purge removes the first two)"
  fi
}
if ((uninstall)); then uninstall; exit 0; fi

[ -n "$bin" ] || { log "--bin DIR is required"; usage; }
for b in tradewind "${daemons[@]/#/tradewind-}"; do [ -x "$bin/$b" ] || die "$bin/$b is missing or not executable"; done
{ [ -n "$binance_key" ] && [ -n "$binance_secret" ]; } || { [ -z "$binance_key" ] && [ -z "$binance_secret" ]; } \
  || die "give both --binance-key-file and --binance-secret-file"

# 1. runtime packages: the daemons link libzmq, libpq and libcurl; python3 reads the configuration here
packages=(libzmq5 libpq5 libcurl4 ca-certificates python3)
[ -z "$database_url" ] && [ ! -s "$etc/environment" ] && packages+=(postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  ((apt)) || die "missing packages: ${missing[*]} (apt-get install them, or drop --no-apt)"
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. the service user: a static system user shared by the six units (they connect to each other's
#    ipc sockets, and PostgreSQL's peer authentication maps it to the role of the same name)
if ! getent passwd "$user" >/dev/null; then
  useradd --system --user-group --home-dir /var/lib/tradewind --no-create-home --shell /usr/sbin/nologin "$user"
  log "created system user $user"
fi
install -d -m 0755 -o root -g root /var/lib/tradewind

# 3. binaries in <prefix>/lib/tradewind (with the build's BUILD_COMMIT, which tradewind_build_info
#    reports), linked from <prefix>/bin; replaced by rename, so a running daemon keeps its old image
#    until it restarts
install -d -m 0755 "$libexec" "$prefix/bin"
for b in tradewind "${daemons[@]/#/tradewind-}"; do
  install -m 0755 -o root -g root "$bin/$b" "$libexec/.$b.new"
  mv -f "$libexec/.$b.new" "$libexec/$b"
  ln -sfn "$libexec/$b" "$prefix/bin/$b"
done
if [ -f "$bin/BUILD_COMMIT" ]; then install -m 0644 "$bin/BUILD_COMMIT" "$libexec/BUILD_COMMIT"; else rm -f "$libexec/BUILD_COMMIT"; fi
log "installed binaries in $libexec (build $(cat "$libexec/BUILD_COMMIT" 2>/dev/null || echo unknown)), linked from $prefix/bin"
missing_libs=$(ldd "$libexec/tradewind-execution-engine" | grep 'not found' || true)
[ -z "$missing_libs" ] || die "libraries missing for the daemons: $missing_libs"

# 4. configuration: /etc/tradewind/tradewind.json, readable by the service user, validated by the daemons
install -d -m 0750 -o root -g "$user" "$etc"
if [ -n "$config" ]; then
  [ -f "$config" ] || die "no such config file: $config"
  if [ -f "$etc/tradewind.json" ] && ! cmp -s "$config" "$etc/tradewind.json"; then
    cp -p "$etc/tradewind.json" "$etc/tradewind.json.$(date +%Y%m%d%H%M%S)"
  fi
  install -m 0640 -o root -g "$user" "$config" "$etc/tradewind.json"
elif [ ! -f "$etc/tradewind.json" ]; then
  install -m 0640 -o root -g "$user" "$here/config/production.json" "$etc/tradewind.json"
fi
for d in "${daemons[@]}"; do
  out=$(env -i PATH=/usr/bin:/bin "$prefix/bin/tradewind-$d" --config "$etc/tradewind.json" --print-config 2>&1 >/dev/null) \
    || die "tradewind-$d refuses $etc/tradewind.json: $out"
done
merged=$(env -i PATH=/usr/bin:/bin "$prefix/bin/tradewind-market-data" --config "$etc/tradewind.json" --print-config)
setting() { # section.key -> the merged configuration's value (JSON lists as space-separated words)
  python3 -c 'import json, sys
value = json.load(sys.stdin)
for part in sys.argv[1].split("."):
    value = value.get(part) if isinstance(value, dict) else None
print(" ".join(map(str, value)) if isinstance(value, list) else ("" if value is None else value))' "$1" <<<"$merged"
}

# 5. the database URL, in a root-only file systemd reads for the units (it may carry a password)
if [ -n "$database_url" ]; then
  (umask 077 && printf 'TRADEWIND_DATABASE_URL=%s\n' "$database_url" >"$etc/environment")
elif [ ! -s "$etc/environment" ]; then
  (umask 077 && printf 'TRADEWIND_DATABASE_URL=%s\n' "$local_database_url" >"$etc/environment")
fi
chown root:root "$etc/environment"; chmod 0600 "$etc/environment"

# 6. credentials: root-only files that systemd hands to each unit (LoadCredential=)
install -d -m 0700 -o root -g root "$creds"
if [ ! -s "$creds/api-token" ]; then
  (umask 077 && od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$creds/api-token")
  log "generated the API token in $creds/api-token"
fi
if [ -n "$binance_key" ]; then
  install -m 0600 -o root -g root "$binance_key" "$creds/binance-api-key"
  install -m 0600 -o root -g root "$binance_secret" "$creds/binance-api-secret"
fi
chmod 0600 "$creds"/*

# 7. the local PostgreSQL: role and database for peer authentication over the Unix socket
if grep -qxF "TRADEWIND_DATABASE_URL=$local_database_url" "$etc/environment"; then
  systemctl is-active --quiet postgresql || systemctl start postgresql
  for _ in $(seq 30); do runuser -u postgres -- psql -Atqc 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
  psql_postgres() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -Atq "$@"; }
  if [ "$(psql_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != 1 ]; then
    psql_postgres -c "CREATE ROLE $user LOGIN"
    log "created PostgreSQL role $user"
  fi
  if [ "$(psql_postgres -c "SELECT 1 FROM pg_database WHERE datname = 'tradewind'")" != 1 ]; then
    runuser -u postgres -- createdb --owner="$user" tradewind
    log "created PostgreSQL database tradewind"
  fi
fi

# 8. units (ExecStart under --prefix) and the drop-ins derived from the configuration
for u in "${units[@]}" tradewind.target; do
  sed "s#/usr/local/bin/#$prefix/bin/#g" "$here/systemd/$u" >"$unit_dir/.$u.new"
  chmod 0644 "$unit_dir/.$u.new"
  mv -f "$unit_dir/.$u.new" "$unit_dir/$u"
done
dropin() { # unit, name, content ("" removes the drop-in)
  local dir="$unit_dir/$1.d"
  if [ -z "$3" ]; then
    rm -f "$dir/$2.conf"; rmdir "$dir" 2>/dev/null || true
  else
    install -d -m 0755 "$dir"
    printf '%s\n' "$3" >"$dir/$2.conf"
  fi
}
for d in "${daemons[@]}"; do
  section=${d//-/_}
  cpus=$(setting "$section.cpu_affinity")
  dropin "tradewind-$d.service" cpu-affinity "${cpus:+# written by deploy/install.sh from $section.cpu_affinity in $etc/tradewind.json
# (the daemon also pins itself to these CPUs with sched_setaffinity)
[Service]
CPUAffinity=$cpus}"
  [ -z "$cpus" ] || log "tradewind-$d: CPUAffinity=$cpus"
done
binance=""
if [ "$(setting execution_engine.venue)" = binance ]; then
  [ -s "$creds/binance-api-key" ] && [ -s "$creds/binance-api-secret" ] \
    || die "execution_engine.venue is binance: give --binance-key-file and --binance-secret-file (or put them in $creds/binance-api-key and binance-api-secret)"
  binance="# written by deploy/install.sh: execution_engine.venue is binance
[Service]
LoadCredential=binance-api-key:$creds/binance-api-key
LoadCredential=binance-api-secret:$creds/binance-api-secret
Environment=TRADEWIND_BINANCE_API_KEY_FILE=%d/binance-api-key
Environment=TRADEWIND_BINANCE_API_SECRET_FILE=%d/binance-api-secret"
fi
dropin tradewind-execution-engine.service binance-credentials "$binance"

systemctl daemon-reload
systemctl enable --quiet tradewind.target
log "installed ${#units[@]} units and tradewind.target (enabled: it starts at boot)"

if ((start)); then
  if systemctl is-active --quiet tradewind.target; then systemctl restart tradewind.target; else systemctl start tradewind.target; fi
  log "started tradewind.target"
elif systemctl is-active --quiet tradewind.target; then
  log "tradewind.target is running the previous binaries: systemctl restart tradewind.target"
else
  log "start it with: systemctl start tradewind.target"
fi
