#!/usr/bin/env python3
"""The docker-compose stack, for real: `make compose-test` (after the images are built).

Brings up a stack of its own (project tradewind-test, host ports chosen free) with the services
`scripts/compose.sh services` picks for this machine, then checks, waiting on what it can observe
(never a fixed sleep):
  - every container's health check passes, and each daemon's /ready answers 200 on its published port;
  - the suite trades: fills on the execution engine (/metrics, /v1/orders) and positions on the tracker;
  - the API token is a secret: a wrong one is refused, the real one accepted, and it is in no
    container's configuration;
  - the execution engine, killed with SIGKILL, is restarted (restart: on-failure) and fills again;
  - Prometheus scrapes every target (all up) and has loaded the alert rules, and Alertmanager is
    its active alertmanager; scripts/promql_check.py runs every dashboard panel's and rule's PromQL
    against it (without that checker: a few queries of the kind the dashboards draw);
  - `down -v` exits 0 and leaves no container.
Prints how long each phase took. Stdlib only. TW_DEPLOY_DIR points Prometheus, Alertmanager and
Grafana at another configuration tree; TW_TEST_TIMEOUT (default 240) bounds each wait, in seconds.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = str(ROOT / "scripts" / "compose.sh")
PROJECT = os.environ.get("COMPOSE_PROJECT_NAME", "tradewind-test")
TIMEOUT = float(os.environ.get("TW_TEST_TIMEOUT", "240"))
DEPLOY = Path(os.environ.get("TW_DEPLOY_DIR", ROOT / "deploy"))
TOKEN_FILE = ROOT / "deploy" / "compose" / "secrets" / "api_token"

# the services publishing a port, and the variable docker-compose.yml reads its host port from
DAEMONS = ["market-data", "signal-bridge", "risk-manager", "execution-engine", "position-tracker"]
PORT_VARIABLES = {name: f"TW_{name.upper().replace('-', '_')}_PORT" for name in DAEMONS} | {
    "health": "TW_HEALTH_PORT", "prometheus": "TW_PROMETHEUS_PORT", "alertmanager": "TW_ALERTMANAGER_PORT",
    "grafana": "TW_GRAFANA_PORT", "postgres": "TW_POSTGRES_PORT",
}


# what scripts/compose.sh leaves out where it cannot run (no Grafana image, no `tradewind health` yet)
OPTIONAL = {"grafana", "health"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORTS = {service: free_port() for service in PORT_VARIABLES}
ENV = os.environ | {"COMPOSE_PROJECT_NAME": PROJECT, "TW_BIND": "127.0.0.1", "TW_DEPLOY_DIR": str(DEPLOY)} | {
    variable: str(PORTS[service]) for service, variable in PORT_VARIABLES.items()}


def url(service, path):
    return f"http://127.0.0.1:{PORTS[service]}{path}"


def compose(*args, check=True, capture=False):
    result = subprocess.run([COMPOSE, *args], cwd=ROOT, env=ENV, text=True,
                            stdout=subprocess.PIPE if capture else None,
                            stderr=subprocess.PIPE if capture else None)
    if check and result.returncode != 0:
        raise AssertionError(f"scripts/compose.sh {' '.join(args)} exited {result.returncode}"
                             + (f": {result.stderr.strip()}" if capture else ""))
    return result


def http(address, method="GET", headers=None, timeout=3):
    """(status, body) of a request; status 0 when nothing answers."""
    request = urllib.request.Request(address, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, OSError):
        return 0, ""


def prometheus(path, **query):
    status, body = http(url("prometheus", path) + ("?" + urllib.parse.urlencode(query) if query else ""))
    if status != 200:
        raise AssertionError(f"Prometheus {path} answered {status}: {body[:200]}")
    return json.loads(body)["data"]


def until(what, probe, timeout=TIMEOUT, interval=1.0):
    """Polls probe() until it returns something truthy; fails naming `what` and the last value seen."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = probe()
        if last and not isinstance(last, Pending):
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}: {last}")
        time.sleep(interval)


class Pending(str):
    """A probe's answer meaning 'not yet', carrying why (shown on timeout)."""


def metric_sum(text, name):
    """The sum of a metric's samples in Prometheus text."""
    total = 0.0
    for line in text.splitlines():
        if re.match(rf"{name}(\{{|\s)", line):
            total += float(line.rsplit(" ", 1)[1])
    return total


class Timer:
    def __init__(self):
        self.start = self.last = time.monotonic()
        self.phases = []

    def lap(self, phase, detail=""):
        """Marks the end of `phase` (a short name for the summary); `detail` is printed with it."""
        now = time.monotonic()
        self.phases.append((phase, now - self.last))
        print(f"  ok  {phase}{': ' + detail if detail else ''} ({now - self.last:.1f} s)", flush=True)
        self.last = now

    def report(self):
        print(f"compose-test: passed in {time.monotonic() - self.start:.1f} s ("
              + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in self.phases) + ")")


def check_configuration_present(services):
    needed = [DEPLOY / "prometheus" / "prometheus.yml", DEPLOY / "prometheus" / "rules",
              DEPLOY / "alertmanager" / "alertmanager.yml"]
    if "grafana" in services:
        needed += [DEPLOY / "grafana" / "provisioning", DEPLOY / "grafana" / "dashboards"]
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        raise SystemExit("compose-test: missing " + ", ".join(missing)
                         + " (the monitoring configuration); TW_DEPLOY_DIR may name another tree")


def check_ready(timer):
    for daemon in DAEMONS:
        status, body = http(url(daemon, "/ready"))
        assert status == 200, f"{daemon} /ready on its published port: {status} {body[:300]}"
        status, body = http(url(daemon, "/v1/info"))
        assert status == 200 and json.loads(body)["name"] in (daemon, f"tradewind-{daemon}"), f"{daemon} /v1/info: {body[:200]}"
    timer.lap("ready", "each daemon's /ready is 200 on its published port")


def check_trading(timer):
    def fills():
        status, text = http(url("execution-engine", "/metrics"))
        count = metric_sum(text, "tradewind_fills_total") if status == 200 else 0
        return count if count > 0 else Pending(f"tradewind_fills_total {count}")
    count = until("the first fill (tradewind_fills_total > 0 on execution-engine)", fills)
    status, body = http(url("execution-engine", "/v1/orders"))
    assert status == 200, f"/v1/orders: {status}"

    def positions():
        status, body = http(url("position-tracker", "/v1/positions"))
        return body if status == 200 and '"quantity"' in body else Pending(body[:200])
    until("a position on position-tracker", positions)
    timer.lap("trading", f"{count:.0f} fills on execution-engine, positions on position-tracker")


def check_token(timer):
    token = TOKEN_FILE.read_text().strip()
    status, _ = http(url("risk-manager", "/v1/resume"), method="POST",
                     headers={"Authorization": "Bearer not-the-token"})
    assert status == 401, f"POST /v1/resume with a wrong token answered {status}, expected 401"
    status, body = http(url("risk-manager", "/v1/resume"), method="POST",
                        headers={"Authorization": f"Bearer {token}"})
    assert 200 <= status < 300, f"POST /v1/resume with the token from the secret answered {status}: {body[:200]}"
    ids = subprocess.run([cli(), "ps", "-aq", "--filter", f"label=com.docker.compose.project={PROJECT}"],
                         capture_output=True, text=True, check=True).stdout.split()
    inspected = subprocess.run([cli(), "inspect", *ids], capture_output=True, text=True, check=True).stdout
    assert token not in inspected, "the API token appears in a container's configuration"
    timer.lap("token", "the API token from the secret is accepted, a wrong one refused (401), and no container's configuration holds it")


def check_crash_restart(timer):
    """A daemon killed from outside (as a crash looks) is restarted by `restart: on-failure` and trades again."""
    container = container_of("execution-engine")

    def inspect(field):
        return subprocess.run([cli(), "inspect", "-f", field, container],
                              capture_output=True, text=True, check=True).stdout.strip()
    pid, restarts = int(inspect("{{.State.Pid}}")), int(inspect("{{.RestartCount}}"))
    try:
        os.kill(pid, 9)
    except (PermissionError, ProcessLookupError, OverflowError) as error:
        timer.lap("crash", f"skipped: cannot signal the engine's process {pid} from here ({error})")
        return
    until("execution-engine restarted", lambda: int(inspect("{{.RestartCount}}")) > restarts
          or Pending(f"restarts {inspect('{{.RestartCount}}')}, state {inspect('{{.State.Status}}')}"))
    compose("wait", "execution-engine")

    def fills():
        status, text = http(url("execution-engine", "/metrics"))
        return metric_sum(text, "tradewind_fills_total") if status == 200 else Pending(f"/metrics {status}")
    before = until("the restarted engine's metrics", fills)

    def more_fills():
        now = fills()
        return now if not isinstance(now, Pending) and now > before else Pending(f"fills {now}, {before} at restart")
    until("a fill after the restart", more_fills)
    timer.lap("crash", "execution-engine killed (SIGKILL) is restarted, ready and filling again")


def check_prometheus(timer, services):
    expected = {f"{d}:{9101 + i}" for i, d in enumerate(DAEMONS)}

    def targets_up():
        active = prometheus("/api/v1/targets", state="active")["activeTargets"]
        seen = {t["labels"].get("instance", t["scrapeUrl"]): t["health"] for t in active}
        left_out = {i for i in seen if i.split(":")[0] in OPTIONAL and i.split(":")[0] not in services}
        down = {i: h for i, h in seen.items() if h != "up" and i not in left_out}
        if not expected <= set(seen):
            return Pending(f"scraped {sorted(seen)}, expected at least {sorted(expected)}")
        return (len(seen) - len(left_out), left_out) if not down else Pending(f"not up: {down}")
    up, left_out = until("every Prometheus target up", targets_up)
    timer.lap("targets", f"Prometheus scrapes {up} targets, all up"
              + (f" (not started here: {', '.join(sorted(left_out))})" if left_out else ""))

    rule_files = sorted(p for p in (DEPLOY / "prometheus" / "rules").glob("*.y*ml"))
    groups = prometheus("/api/v1/rules")["groups"]
    rules = [r for g in groups for r in g["rules"]]
    unhealthy = [r["name"] for r in rules if r.get("health") not in ("ok", "unknown")]
    assert not unhealthy, f"rules failing to evaluate: {unhealthy}"
    loaded = {Path(g["file"]).name for g in groups}
    assert loaded >= {p.name for p in rule_files}, f"rule files not loaded: {sorted({p.name for p in rule_files} - loaded)}"
    alerting = sum(1 for r in rules if r["type"] == "alerting")
    managers = prometheus("/api/v1/alertmanagers")["activeAlertmanagers"]
    if re.search(r"^alerting:", (DEPLOY / "prometheus" / "prometheus.yml").read_text(), re.M):
        assert any(":9093" in m["url"] for m in managers), f"Alertmanager is not Prometheus's: {managers}"
    timer.lap("rules", f"{len(rules)} rules ({alerting} alerting) from {len(rule_files)} files loaded, none failing; "
                       f"alertmanagers {[m['url'] for m in managers]}")

    # rates need two scrapes of a counter that moves
    until("a fill rate in Prometheus",
          lambda: prometheus("/api/v1/query", query="sum(rate(tradewind_fills_total[1m])) > 0")["result"]
          or Pending("no rate yet"))
    checker = ROOT / "scripts" / "promql_check.py"
    if checker.exists():
        # the stack runs the synthetic feed: live-feed panels must evaluate but may be empty (and the
        # meta-health ones too where the health service cannot run)
        skip = ["--skip-needs", "live-feed"] + ([] if "health" in services else ["--skip-needs", "meta-health"])
        result = subprocess.run([sys.executable, str(checker), "--prometheus", url("prometheus", ""),
                                 "--dashboards", str(DEPLOY / "grafana" / "dashboards"), "--rules", *skip, "--wait", "30"],
                                cwd=ROOT, capture_output=True, text=True)
        print(result.stdout + result.stderr, end="")
        assert result.returncode == 0, f"promql_check.py exited {result.returncode}"
        timer.lap("queries", "scripts/promql_check.py ran every dashboard and rule query")
    else:
        check_queries_without_checker(timer)


def check_queries_without_checker(timer):
    queries = [
        'up{instance=~".*:910[1-5]"} == 1',
        "sum(tradewind_fills_total)",
        "sum by (family) (rate(tradewind_bus_messages_published_total[1m]))",
        "histogram_quantile(0.99, sum by (le) (rate(tradewind_tick_to_trade_seconds_bucket[1m])))",
        "sum by (instrument) (tradewind_position_quantity)",
    ]
    for query in queries:
        result = prometheus("/api/v1/query", query=query)["result"]
        assert result, f"no data for {query}"
    panels = 0
    for dashboard in sorted((DEPLOY / "grafana" / "dashboards").glob("*.json")):
        for expr in re.findall(r'"expr"\s*:\s*"((?:[^"\\]|\\.)*)"', dashboard.read_text()):
            expr = json.loads(f'"{expr}"')
            expr = re.sub(r"\$__(rate_interval|interval|range)", "5m", expr)
            expr = re.sub(r"\$\{?\w+\}?", ".*", expr)
            prometheus("/api/v1/query", query=expr)  # evaluates, or raises with Prometheus's error
            panels += 1
    timer.lap("queries", f"{len(queries)} queries return data, {panels} dashboard queries evaluate (no scripts/promql_check.py yet)")


_cli = None


def cli():
    global _cli
    if _cli is None:
        engine = compose("engine", capture=True).stdout.strip()
        _cli = "podman" if engine.startswith("podman") else "docker"
    return _cli


def container_of(service):
    ids = subprocess.run([cli(), "ps", "-q", "--filter", f"label=com.docker.compose.project={PROJECT}",
                          "--filter", f"label=com.docker.compose.service={service}"],
                         capture_output=True, text=True, check=True).stdout.split()
    assert ids, f"no running container for {service}"
    return ids[0]


def leftover_containers():
    return subprocess.run([cli(), "ps", "-aq", "--filter", f"label=com.docker.compose.project={PROJECT}"],
                          capture_output=True, text=True, check=True).stdout.split()


def show_state(services):
    print("compose-test: failed; the stack as it was:", file=sys.stderr)
    compose("ps", check=False)
    for service in services:
        print(f"--- {service} (last lines)", file=sys.stderr)
        compose("logs", "--tail", "15", service, check=False)


def main():
    print(f"compose-test: {compose('engine', capture=True).stdout.strip()}, project {PROJECT}, "
          f"configuration from {DEPLOY}", flush=True)
    if leftover_containers():
        raise SystemExit(f"compose-test: project {PROJECT} has containers already; "
                         f"COMPOSE_PROJECT_NAME={PROJECT} scripts/compose.sh down -v")
    listed = compose("services", capture=True)
    sys.stderr.write(listed.stderr)
    services = listed.stdout.split()
    check_configuration_present(services)
    timer = Timer()
    ok = False
    try:
        compose("up", "-d", *services, capture=True)
        timer.lap("up", " ".join(services))
        compose("wait", *services)
        timer.lap("healthy", "every container's health check passes")
        check_ready(timer)
        check_trading(timer)
        check_token(timer)
        check_crash_restart(timer)
        check_prometheus(timer, services)
        ok = True
    finally:
        if not ok:
            show_state(services)
        down = compose("down", "-v", check=False, capture=True)
        left = leftover_containers()
        if ok:
            assert down.returncode == 0, f"down -v exited {down.returncode}: {down.stderr[-500:]}"
            assert not left, f"containers left after down: {left}"
            swept = [line for line in down.stderr.splitlines() if "down left containers" in line]
            timer.lap("down", "down -v exited 0, no container left"
                      + (f" (after scripts/compose.sh removed what compose left: {swept[0]})" if swept else ""))
            timer.report()
        else:
            print(f"compose-test: down -v exited {down.returncode}, {len(left)} containers left", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        print(f"compose-test: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
