#!/usr/bin/env python3
"""The systemd units for real: a Debian 12 container with systemd as PID 1 and PostgreSQL, where
deploy/install.sh installs the release binaries as an operator would, then

  start     `systemctl start tradewind.target`: every unit active (READY=1), every /ready 200
  kill -9   a daemon's main process: systemd restarts it, it is ready with the same state
  watchdog  `kill -STOP` a daemon: the watchdog aborts it, systemd restarts it, it is ready again
  stop      `systemctl stop tradewind.target` while trading: every unit inactive, exit status 0,
            everything the engine did is in PostgreSQL; started again it restores exactly that

Usage: Tests/systemd/systemd_test.py --bin .build/release [--keep] [--allow-simple]
Needs root and podman (scripts/container-env.sh sets them up; it is run when the base image is
missing). The container is always removed unless --keep.
"""
import argparse
import json
import os
import pathlib
import shlex
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

ROOT = pathlib.Path(__file__).resolve().parents[2]
BASE_IMAGE = "localhost/debian-systemd:bookworm"
IMAGE = "localhost/tradewind-systemd-test:bookworm"
DAEMONS = ["market-data", "signal-bridge", "risk-manager", "execution-engine", "position-tracker"]
PORTS = dict(zip(DAEMONS, range(9101, 9106)))
UNITS = [f"tradewind-{d}.service" for d in DAEMONS] + ["tradewind-health.service"]
BINARIES = ["tradewind"] + [f"tradewind-{d}" for d in DAEMONS]
T0 = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - T0:6.1f}s] {message}", flush=True)


class Failure(Exception):
    pass


def run(*args: str, check: bool = True, capture: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(args, text=True, capture_output=capture, timeout=timeout)
    if check and result.returncode != 0:
        raise Failure(f"{shlex.join(args)} exited {result.returncode}\n{result.stdout}{result.stderr}")
    return result


class Container:
    def __init__(self, name: str):
        self.name = name

    def sh(self, script: str, check: bool = True, timeout: float = 300) -> str:
        return run("podman", "exec", self.name, "bash", "-c", script, check=check, timeout=timeout).stdout

    def show(self, unit: str, *properties: str) -> dict:
        out = self.sh(f"systemctl show {unit} " + " ".join(f"-p {p}" for p in properties))
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def http(self, daemon: str, path: str, method: str = "GET", token: bool = False) -> tuple[int, str]:
        auth = '-H "Authorization: Bearer $(cat /etc/tradewind/credentials/api-token)"' if token else ""
        out = self.sh(f"curl -s -m 2 -X {method} {auth} -w '\\n%{{http_code}}' http://127.0.0.1:{PORTS[daemon]}{path}",
                      check=False)
        body, _, code = out.rpartition("\n")
        return int(code or 0), body

    def json(self, daemon: str, path: str) -> dict:
        code, body = self.http(daemon, path)
        if code != 200:
            raise Failure(f"{daemon} {path}: HTTP {code} {body[:300]}")
        return json.loads(body)

    def sql(self, query: str) -> list[list[str]]:
        out = self.sh(f"runuser -u postgres -- psql -d tradewind -v ON_ERROR_STOP=1 -AtF '|' -c {shlex.quote(query)}")
        return [line.split("|") for line in out.splitlines()]


def wait_for(what: str, predicate, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def binary_features(bin_dir: pathlib.Path) -> dict:
    """What the binaries implement (the deployment is designed for all of it)."""
    engine = (bin_dir / "tradewind-execution-engine").read_bytes()
    cli = subprocess.run([str(bin_dir / "tradewind"), "health", "--help"], capture_output=True, text=True)
    # a log line's text, not "NOTIFY_SOCKET": a release build keeps strings under 16 bytes inline in code
    return {"notify": b"systemd notified: ready" in engine, "cpu_affinity": b"cpu_affinity" in engine,
            "health": cli.returncode == 0 and "--listen" in cli.stdout}


def prepare_image() -> None:
    if run("podman", "image", "exists", BASE_IMAGE, check=False).returncode != 0:
        script = pathlib.Path(os.environ.get("CONTAINER_ENV", ROOT / "scripts/container-env.sh"))
        say(f"{BASE_IMAGE} missing: running {script}")
        run(str(script), capture=False, timeout=1800)
    started = time.monotonic()
    run("podman", "build", "-q", "-t", IMAGE, "-f", str(ROOT / "Tests/systemd/Containerfile"), str(ROOT / "Tests/systemd"),
        timeout=1800)
    say(f"image {IMAGE} ready ({time.monotonic() - started:.1f} s)")


def test_config(features: dict) -> str:
    config = json.loads((ROOT / "deploy/config/production.json").read_text())
    if features["cpu_affinity"]:
        config["market_data"]["cpu_affinity"] = [0]
        config["execution_engine"]["cpu_affinity"] = [1]
    return json.dumps(config, indent=2)


def install(c: Container, features: dict, allow_simple: bool) -> None:
    started = time.monotonic()
    out = c.sh("/opt/tradewind/deploy/install.sh --bin /opt/tradewind-bin --config /opt/tradewind/test.json --no-apt 2>&1")
    say(f"install.sh done in {time.monotonic() - started:.1f} s:\n    " + out.strip().replace("\n", "\n    "))
    started = time.monotonic()
    c.sh("/opt/tradewind/deploy/install.sh --bin /opt/tradewind-bin --no-apt 2>&1")
    say(f"install.sh again (idempotent) in {time.monotonic() - started:.1f} s")
    overrides = {}
    if not features["notify"]:
        if not allow_simple:
            raise Failure("the binaries do not speak sd_notify: Type=notify units would "
                          "never become active; build with the sd_notify change, or pass --allow-simple to test the rest")
        for d in DAEMONS:
            overrides[f"tradewind-{d}.service"] = "[Service]\nType=simple\nWatchdogSec=0\n"
        say("TEST-ONLY drop-ins: Type=simple, WatchdogSec=0 (binaries without sd_notify)")
    if not features["health"]:
        overrides["tradewind-health.service"] = "[Unit]\nConditionPathExists=/nonexistent/tradewind-health-command\n"
        say("TEST-ONLY drop-in: tradewind-health.service skipped (`tradewind health` not in these binaries)")
    for unit, text in overrides.items():
        c.sh(f"mkdir -p /etc/systemd/system/{unit}.d && printf %s {shlex.quote(text)} "
             f">/etc/systemd/system/{unit}.d/zz-systemd-test.conf")
    if overrides:
        c.sh("systemctl daemon-reload")


def check_started(c: Container, features: dict) -> None:
    for unit in UNITS:
        p = c.show(unit, "ActiveState", "SubState", "MainPID", "MemoryMax", "TasksMax", "CPUQuotaPerSecUSec",
                   "CPUAffinity", "WatchdogUSec", "Type")
        if unit == "tradewind-health.service" and not features["health"]:
            continue
        if p["ActiveState"] != "active":
            raise Failure(f"{unit} is {p['ActiveState']}/{p['SubState']}:\n" + c.sh(f"journalctl -u {unit} -n 20 -o cat"))
        user, rss, threads = (c.sh(f"ps -o user:20=,rss=,nlwp= -p {p['MainPID']}", check=False).split() + ["?"] * 3)[:3]
        say(f"  {unit:36} pid {p['MainPID']:>5} user {user} {p['Type']} watchdog {p['WatchdogUSec']} "
            f"rss {int(rss) >> 10 if rss.isdigit() else rss} MiB (MemoryMax {int(p['MemoryMax']) >> 20} MiB) "
            f"threads {threads} (TasksMax {p['TasksMax']}) CPUQuota {p['CPUQuotaPerSecUSec']}/s CPUAffinity [{p['CPUAffinity']}]")
        if user != "tradewind":
            raise Failure(f"{unit} runs as {user}")
    if features["cpu_affinity"]:
        for daemon, cpus in (("market-data", "0"), ("execution-engine", "1")):
            pid = c.show(f"tradewind-{daemon}.service", "MainPID")["MainPID"]
            mask = c.sh(f"taskset -cp {pid}").strip().rsplit(" ", 1)[-1]
            if mask != cpus:
                raise Failure(f"tradewind-{daemon} runs on CPUs {mask}, configured {cpus}")
        say("  CPU affinity from the config: market-data on CPU 0, execution-engine on CPU 1 (taskset)")
    exposure = c.sh("for u in " + " ".join(UNITS) + "; do systemd-analyze security $u | tail -1; done")
    say("  systemd-analyze security (online, in the container):\n    " + exposure.strip().replace("\n", "\n    "))
    lines = c.sh("journalctl -t tradewind-execution-engine -o cat --no-pager").splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    if not records or not any(r.get("message") == "systemd notified: ready" for r in records) and features["notify"]:
        raise Failure(f"the journal lacks the engine's JSON lines or its READY notice: {lines[-5:]}")
    others = [line for line in lines if not line.startswith("{")]
    say(f"  journal: {len(records)} JSON lines from the engine (last: {records[-1]['message']!r}), "
        f"{len(others)} other lines {others[:2]}")


def all_ready(c: Container) -> bool:
    return all(c.http(d, "/ready")[0] == 200 for d in DAEMONS)


def start_suite(c: Container, features: dict) -> None:
    started = time.monotonic()
    c.sh("systemctl start tradewind.target", timeout=300)
    say(f"systemctl start tradewind.target returned in {time.monotonic() - started:.1f} s")
    check_started(c, features)
    wait_for("every daemon's /ready 200", lambda: all_ready(c), 90, 0.5)
    say(f"all five /ready 200, {time.monotonic() - started:.1f} s after start")
    commit = c.sh("cat /usr/local/lib/tradewind/BUILD_COMMIT 2>/dev/null", check=False).strip()
    if commit:
        _, metrics = c.http("market-data", "/metrics")
        info = next((line for line in metrics.splitlines() if line.startswith("tradewind_build_info")), "")
        if commit not in info:
            raise Failure(f"tradewind_build_info does not name the installed build {commit}: {info!r}")
        say(f"installed build {commit}: {info}")
    if features["health"]:
        code = c.sh("curl -s -o /dev/null -m 2 -w '%{http_code}' http://127.0.0.1:9106/metrics", check=False)
        if code in ("", "000"):
            raise Failure("tradewind-health does not answer on 127.0.0.1:9106")
        say(f"tradewind-health answers on 127.0.0.1:9106 (/metrics: HTTP {code})")


def engine_totals(c: Container) -> dict:
    return c.json("execution-engine", "/v1/orders")["totals"]


def durable_state(c: Container) -> dict:
    """What the daemons restore from PostgreSQL after a crash: the engine's open orders, the tracker's
    positions (quantity, average price, realized PnL, fees, fills) and the risk manager's trading state."""
    orders = c.json("execution-engine", "/v1/orders")
    tracker = c.json("position-tracker", "/v1/positions")
    risk = c.json("risk-manager", "/v1/risk")
    keep = ("quantity", "average_price", "realized_pnl", "fees", "fill_count")
    return {
        "open_orders": sorted(o["client_order_id"] for o in orders["open_orders"]),
        "positions": {p["instrument"]: {k: p[k] for k in keep} for p in tracker["positions"]},
        "realized_pnl": tracker["portfolio"]["realized_pnl"],
        "risk": {k: risk[k] for k in ("kill_switch", "trading_state", "daily_realized_pnl")},
    }


def positions(c: Container) -> dict:
    held = {p["instrument"]: Decimal(p["quantity"]) for p in c.json("position-tracker", "/v1/positions")["positions"]}
    return {instrument: quantity for instrument, quantity in held.items() if quantity != 0}


def fills_in_database(c: Container) -> dict:
    rows = c.sql("SELECT instrument, sum(CASE side WHEN 'buy' THEN quantity ELSE -quantity END) "
                 "FROM execution_engine.fills GROUP BY instrument")
    return {instrument: Decimal(total) for instrument, total in rows if Decimal(total) != 0}


def settle(c: Container) -> dict:
    """Waits until the engine has no open order and its totals stop moving (trading halted)."""
    previous = None
    def still():
        nonlocal previous
        current = c.json("execution-engine", "/v1/orders")
        snapshot = (json.dumps(current["totals"], sort_keys=True), len(current["open_orders"]))
        steady = snapshot == previous and snapshot[1] == 0
        previous = snapshot
        return steady
    wait_for("the engine to settle", still, 30, 1.0)
    return engine_totals(c)


def restart_of(c: Container, daemon: str, signal: str, timeout: float) -> tuple[float, float]:
    unit = f"tradewind-{daemon}.service"
    before = c.show(unit, "MainPID", "NRestarts")
    sent = time.monotonic()
    c.sh(f"kill -{signal} {before['MainPID']}")
    def restarted():
        p = c.show(unit, "MainPID", "NRestarts", "ActiveState")
        return (p["ActiveState"] == "active" and int(p["NRestarts"]) == int(before["NRestarts"]) + 1
                and p["MainPID"] not in ("0", before["MainPID"]))
    wait_for(f"systemd to restart {unit} after SIGKILL" if signal == "9" else f"the watchdog to restart {unit}",
             restarted, timeout, 0.2)
    active = time.monotonic() - sent
    wait_for("every /ready 200", lambda: all_ready(c), 60, 0.2)
    return active, time.monotonic() - sent


CLI = "tradewind {} --config /etc/tradewind/tradewind.json"


def operator_tools(c: Container) -> None:
    """The commands docs/DEPLOYMENT.md gives an operator."""
    c.sh(CLI.format("status"))
    lines = c.sh("runuser -u tradewind -- " + CLI.format("tail md.quote. --count 3 --seconds 10")).splitlines()
    if len(lines) != 3:
        raise Failure(f"tradewind tail as the tradewind user over the ipc sockets: {lines}")
    c.sh("TRADEWIND_API_TOKEN_FILE=/etc/tradewind/credentials/api-token " + CLI.format("kill --reason systemd-test"))
    say("operator tools: `tradewind status` ready, `tradewind tail` (as tradewind) read 3 quotes off the ipc bus, "
        "`tradewind kill` with the token file engaged the kill switch")


def kill_and_watchdog(c: Container, features: dict) -> None:
    wait_for("three fills", lambda: engine_totals(c)["fills"] >= 3, 60, 1.0)
    operator_tools(c)
    totals = settle(c)
    state = durable_state(c)
    say(f"kill switch engaged, engine settled after {totals['fills']} fills; positions {state['positions']}")

    for daemon in ("execution-engine", "position-tracker"):
        active, ready = restart_of(c, daemon, "9", 30)
        say(f"(a) kill -9 {daemon}: active again after {active:.1f} s, all /ready after {ready:.1f} s (NRestarts 1)")
        after = durable_state(c)
        if after != state:
            raise Failure(f"state after the restart differs:\n  after  {after}\n  before {state}")
    say("(a) open orders, positions (quantity, average price, realized PnL, fees, fills) and trading state as before")

    if not features["notify"]:
        say("(b) watchdog: NOT TESTED (binaries without sd_notify run with WatchdogSec=0)")
        return
    active, ready = restart_of(c, "risk-manager", "STOP", 60)
    journal = c.sh("journalctl -u tradewind-risk-manager.service -o cat --no-pager | grep -F 'Watchdog timeout'")
    say(f"(b) kill -STOP risk-manager: restarted by the watchdog after {active:.1f} s, all /ready after {ready:.1f} s; "
        f"journal: {journal.strip().splitlines()[0]}")
    if durable_state(c) != state:
        raise Failure(f"state after the watchdog restart differs: {durable_state(c)} vs {state}")
    say("(b) the risk manager came back HALTED with its kill switch engaged; positions as before")


def stopped_cleanly(c: Container, features: dict) -> None:
    for unit in UNITS:
        p = c.show(unit, "ActiveState", "Result", "ExecMainCode", "ExecMainStatus")
        if unit == "tradewind-health.service" and not features["health"]:
            continue
        say(f"  {unit:36} {p['ActiveState']}, result {p['Result']}, exit status {p['ExecMainStatus']}")
        if unit == "tradewind-health.service" and (p["ActiveState"], p["Result"]) == ("inactive", "success"):
            continue  # Type=simple: SIGTERM without a handler is a clean stop for systemd as well
        if (p["ActiveState"], p["Result"], p["ExecMainCode"], p["ExecMainStatus"]) != ("inactive", "success", "1", "0"):
            raise Failure(f"{unit} did not stop cleanly: {p}\n" + c.sh(f"journalctl -u {unit} -n 15 -o cat"))


def clean_stop(c: Container, features: dict) -> None:
    code, body = c.http("risk-manager", "/v1/resume", "POST", token=True)
    if code != 200:
        raise Failure(f"POST /v1/resume: {code} {body}")
    base = engine_totals(c)["fills"]
    wait_for("three more fills", lambda: engine_totals(c)["fills"] >= base + 3, 60, 0.5)
    reported = {(f["client_order_id"], f["trade_id"]) for f in c.json("execution-engine", "/v1/orders")["recent_fills"]}
    started = time.monotonic()
    c.sh("systemctl stop tradewind.target", timeout=120)
    say(f"(c) systemctl stop tradewind.target while trading: {time.monotonic() - started:.1f} s")
    stopped_cleanly(c, features)
    persisted = {tuple(r) for r in c.sql("SELECT client_order_id, trade_id FROM execution_engine.fills")}
    orders = int(c.sql("SELECT count(*) FROM execution_engine.orders")[0][0])
    gaps = c.sql("SELECT o.client_order_id FROM execution_engine.orders o "
                 "LEFT JOIN execution_engine.order_audit_trail a USING (client_order_id) "
                 "GROUP BY o.client_order_id, o.event_count HAVING count(a.sequence) <> o.event_count")
    if reported - persisted or gaps:
        raise Failure(f"fills the engine reported but PostgreSQL lacks: {sorted(reported - persisted)[:5]}; "
                      f"orders with missing audit rows: {gaps[:5]}")
    audit = c.sh("runuser -u tradewind -- tradewind audit verify --database-url "
                 "'postgresql:///tradewind?host=/var/run/postgresql&user=tradewind'").strip()
    say(f"(c) PostgreSQL holds all {len(reported)} fills the engine showed just before the stop "
        f"({len(persisted)} fills, {orders} orders in all), every order's audit rows; {audit}")

    started = time.monotonic()
    c.sh("systemctl start tradewind.target", timeout=300)
    wait_for("every /ready 200", lambda: all_ready(c), 90, 0.5)
    say(f"(c) started again: all /ready in {time.monotonic() - started:.1f} s")
    c.http("risk-manager", "/v1/kill", "POST", token=True)
    settle(c)
    def consistent():
        engine = {tuple(r) for r in c.sql("SELECT client_order_id, trade_id FROM execution_engine.fills")}
        tracker = c.sql("SELECT client_order_id, trade_id FROM position_tracker.fills_applied")
        return (positions(c) == fills_in_database(c) and len(tracker) == len(engine)
                and {tuple(r) for r in tracker} == engine)
    wait_for("positions equal to the sum of persisted fills", consistent, 30, 1.0)
    say(f"(c) the tracker applied each of the {len(c.sql('SELECT 1 FROM execution_engine.fills'))} persisted fills "
        f"exactly once; positions = sum of persisted fills")
    started = time.monotonic()
    c.sh("systemctl stop tradewind.target", timeout=120)
    say(f"(c) stopped again in {time.monotonic() - started:.1f} s")
    stopped_cleanly(c, features)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, type=pathlib.Path)
    parser.add_argument("--keep", action="store_true", help="leave the container running")
    parser.add_argument("--swift-runtime", type=pathlib.Path,
                        help="a quick run with dynamically linked (debug) binaries: mount this Swift toolchain "
                             "(e.g. /opt/swift) read-only at the same path in the container")
    parser.add_argument("--allow-simple", action="store_true",
                        help="binaries without sd_notify: run the daemons as Type=simple (test-only drop-in)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("systemd_test: run as root (podman, container-env.sh)", file=sys.stderr)
        return 2
    missing = [b for b in BINARIES if not (args.bin / b).is_file()]
    if missing:
        print(f"systemd_test: {args.bin} lacks {missing}", file=sys.stderr)
        return 2
    if not args.swift_runtime and "libswiftCore" in run("ldd", str(args.bin / "tradewind-market-data"), check=False).stdout:
        print("systemd_test: the binaries link the Swift runtime dynamically; build with --static-swift-stdlib", file=sys.stderr)
        return 2
    features = binary_features(args.bin)
    say(f"binaries in {args.bin}: sd_notify {features['notify']}, cpu_affinity {features['cpu_affinity']}, "
        f"`tradewind health` {features['health']}")
    prepare_image()
    name = f"tradewind-systemd-test-{os.getpid()}"
    c = Container(name)
    try:
        mounts = ["-v", f"{args.swift_runtime}:{args.swift_runtime}:ro"] if args.swift_runtime else []
        run("podman", "run", "-d", "--ulimit=host", *mounts, "--name", name, IMAGE, "/lib/systemd/systemd")
        state = c.sh("systemctl is-system-running --wait", check=False).strip()
        say(f"container {name}: systemd {state}")
        c.sh("mkdir -p /opt/tradewind-bin /opt/tradewind")
        for b in BINARIES + (["BUILD_COMMIT"] if (args.bin / "BUILD_COMMIT").is_file() else []):
            run("podman", "cp", str(args.bin / b), f"{name}:/opt/tradewind-bin/{b}")
        run("podman", "cp", str(ROOT / "deploy"), f"{name}:/opt/tradewind/deploy")
        with tempfile.NamedTemporaryFile("w", suffix=".json") as config:
            config.write(test_config(features))
            config.flush()
            run("podman", "cp", config.name, f"{name}:/opt/tradewind/test.json")
        install(c, features, args.allow_simple)
        start_suite(c, features)
        kill_and_watchdog(c, features)
        clean_stop(c, features)
        say("PASS" + ("" if all(features.values()) else
                      f" (with test-only adaptations for missing features: {[k for k, v in features.items() if not v]})"))
        return 0
    except Failure as failure:
        say(f"FAIL: {failure}")
        return 1
    finally:
        if args.keep:
            say(f"container kept: podman exec -it {name} bash; podman rm -f {name}")
        else:
            run("podman", "rm", "-f", "-t", "0", name, check=False)


if __name__ == "__main__":
    sys.exit(main())
