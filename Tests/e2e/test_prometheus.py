"""A real Prometheus (Debian's /usr/bin/prometheus) with the deployed scrape configuration and alert
rules, scraping a running suite: every daemon is an `up` target labelled with its service, every
rule group loads, every dashboard query runs and the panels that should show data show it
(scripts/promql_check.py), and the availability rules react to a stopped daemon."""

import json
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

from harness import DAEMONS, ROOT, http_get, metric_total, start_suite, suite_config, suite_table, wait_for

PROMQL_CHECK = ROOT / "scripts" / "promql_check.py"
RULES = ROOT / "deploy" / "prometheus" / "rules"
# Debian's python3 with python3-yaml (make test-deps): reads the deployed YAML, runs promql_check
SYSTEM_PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else "python3"
# panels of these kinds need what this suite does not run (the meta-health service, the live
# Binance feed): their queries must still run, but may return nothing
SKIP_NEEDS = ("meta-health", "live-feed")


def deployed_config(name: str) -> dict:
    out = subprocess.run([SYSTEM_PYTHON, "-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
                          str(ROOT / "deploy" / "prometheus" / name)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def job_targets(config: dict, job: str) -> dict[str, str]:
    """{service label: target} of one scrape job."""
    [scrape] = [s for s in config["scrape_configs"] if s["job_name"] == job]
    return {static["labels"]["service"]: target for static in scrape["static_configs"] for target in static["targets"]}


class Prometheus:
    """/usr/bin/prometheus on a kernel-chosen loopback port, its storage and log in `directory`."""

    def __init__(self, config: dict, directory: Path):
        binary = shutil.which("prometheus")
        assert binary, "prometheus missing: make test-deps installs Debian's prometheus"
        self.directory = directory
        (directory / "prometheus.yml").write_text(json.dumps(config, indent=2))  # JSON is YAML
        self.log_path = directory / "prometheus.log"
        self.process = subprocess.Popen(
            [binary, f"--config.file={directory / 'prometheus.yml'}", f"--storage.tsdb.path={directory / 'data'}",
             "--web.listen-address=127.0.0.1:0", "--log.level=info"],
            stdout=subprocess.DEVNULL, stderr=open(self.log_path, "wb"))
        self.url = "http://127.0.0.1:%d" % wait_for(self._port, 30, "prometheus did not start listening:\n" + self.log())
        # it listens before its storage is open, answering 503 until then: wait for /-/ready
        wait_for(lambda: self._answers("/-/ready"), 60, "prometheus never became ready:\n" + self.log())

    def _answers(self, path: str) -> bool:
        try:
            return http_get(self.url + path, timeout=2)[0] == 200
        except OSError:
            return False

    def _port(self):
        assert self.process.poll() is None, f"prometheus exited with {self.process.returncode}:\n{self.log()}"
        match = re.search(r'msg="Listening on" address=127\.0\.0\.1:(\d+)', self.log())
        return int(match.group(1)) if match else None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def api(self, path: str, **params) -> dict:
        query = "?" + urllib.parse.urlencode(params) if params else ""
        status, body = http_get(self.url + path + query, timeout=5)
        assert status == 200, f"{path} answered {status}: {body}"
        answer = json.loads(body)
        assert answer["status"] == "success", answer
        return answer["data"]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError("prometheus did not exit within 15 s of SIGTERM")


def test_deployed_configs_scrape_each_daemon_at_its_default_port():
    """The one table of daemons (`tradewind suite addresses`) and the deployed scrape configs agree."""
    defaults = {daemon["name"]: daemon["http_port"] for daemon in suite_table()}
    compose, host = deployed_config("prometheus.yml"), deployed_config("prometheus.host.yml")
    assert job_targets(compose, "tradewind") == {name: f"{name}:{port}" for name, port in defaults.items()}
    assert job_targets(host, "tradewind") == {name: f"127.0.0.1:{port}" for name, port in defaults.items()}


def run_promql_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SYSTEM_PYTHON, str(PROMQL_CHECK), *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_prometheus_scrapes_the_suite_and_runs_every_rule_and_dashboard_query(tmp_path):
    directory = Path(tempfile.mkdtemp(prefix="tw-prom-"))
    suite = start_suite(suite_config(directory), directory=directory)
    prometheus = None
    try:
        # the host configuration as deployed, its targets moved to the ports this suite bound and
        # its rules read from the repository; no Alertmanager, no meta-health service here
        host = deployed_config("prometheus.host.yml")
        [daemons_job] = [job for job in host["scrape_configs"] if job["job_name"] == "tradewind"]
        for static in daemons_job["static_configs"]:
            static["targets"] = [f"127.0.0.1:{suite.port(static['labels']['service'])}"]
        config = {"global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
                  "rule_files": [str(RULES / "*.yml")], "scrape_configs": [daemons_job]}
        prometheus = Prometheus(config, tmp_path)

        def targets_up():
            active = prometheus.api("/api/v1/targets", state="active")["activeTargets"]
            return {t["labels"]["service"]: t["health"] for t in active} == {d: "up" for d in DAEMONS}
        wait_for(targets_up, 30, "not every daemon is an up target: "
                 + json.dumps(prometheus.api("/api/v1/targets")["activeTargets"], indent=1)[:3000])

        groups = prometheus.api("/api/v1/rules")["groups"]
        assert groups and {Path(g["file"]).parent for g in groups} == {RULES}, groups
        assert not [r for g in groups for r in g["rules"] if r.get("health") == "err"], groups

        wait_for(lambda: metric_total(suite, "execution-engine", "tradewind_fills_total") >= 3, 60, "no fills")
        skip = [arg for need in SKIP_NEEDS for arg in ("--skip-needs", need)]
        # promql_check retries empty panels for up to 30 s: rate() needs two scrapes after the first fills
        checked = run_promql_check("--prometheus", prometheus.url, "--rules", *skip, "--wait", "30")
        assert checked.returncode == 0, f"promql_check failed:\n{checked.stdout}{checked.stderr}"

        # the check fails on a query Prometheus refuses and on an expected panel without data
        broken = tmp_path / "broken"
        broken.mkdir()
        (broken / "broken.json").write_text(json.dumps({"uid": "broken", "title": "broken", "panels": [
            {"type": "timeseries", "title": "Bad query", "targets": [{"refId": "A", "expr": "sum(rate(tradewind_fills_total[1m])"}]},
            {"type": "timeseries", "title": "No data", "targets": [{"refId": "A", "expr": "tradewind_no_such_metric_total"}]}]}))
        (broken / "expect.json").write_text(json.dumps({"panels": [{"dashboard": "broken", "panel": "No data"}]}))
        refused = run_promql_check("--prometheus", prometheus.url, "--dashboards", str(broken),
                                   "--expect-data-file", str(broken / "expect.json"))
        assert refused.returncode == 1, refused.stdout + refused.stderr
        assert "ERROR broken / Bad query [A]" in refused.stdout and "EMPTY broken / No data" in refused.stdout, refused.stdout

        # a stopped daemon: down for Prometheus at once (TradewindDaemonDown pending for its 30 s),
        # and its subscribers' heartbeat alerts pending once their timeout passes
        assert suite.terminate("market-data") == 0

        def alerts_pending():
            alerts = prometheus.api("/api/v1/alerts")["alerts"]
            down = {a["labels"].get("service") for a in alerts if a["labels"]["alertname"] == "TradewindDaemonDown"}
            stale = {a["labels"].get("upstream") for a in alerts if a["labels"]["alertname"] == "TradewindHeartbeatStale"}
            return down == {"market-data"} and "market-data" in stale
        wait_for(alerts_pending, 20, "no TradewindDaemonDown / TradewindHeartbeatStale for the stopped market-data: "
                 + json.dumps(prometheus.api("/api/v1/alerts")["alerts"], indent=1)[:3000])
        up = prometheus.api("/api/v1/query", query='up{job="tradewind",service="market-data"}')["result"]
        assert [sample["value"][1] for sample in up] == ["0"], up

        assert prometheus.stop() == 0, prometheus.log()[-3000:]
    finally:
        if prometheus:
            prometheus.stop()
        suite.kill_all()
        shutil.rmtree(directory, ignore_errors=True)
