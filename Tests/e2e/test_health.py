"""`tradewind health`, the watchdog of watchdogs, against a running suite: GREEN when all is well,
and each worse state reached by breaking the matching thing (a stopped daemon, a stopped feed,
nothing running), one-shot (exit status = state) and served as Prometheus metrics."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from harness import binary_dir, http_get, start_suite, suite_config, wait_for


def health_config(directory: Path) -> dict:
    config = suite_config(directory)
    # quick to notice: a request waits 500 ms, market data is stale after 1.5 s
    config["health"] = {"listen": "127.0.0.1:0", "interval_ms": 200, "request_timeout_ms": 500, "data_max_age_ms": 1500,
                        "green_min_score_percent": 99, "degraded_min_score_percent": 50}
    return config


def assess(config: Path) -> tuple[int, dict]:
    result = subprocess.run([str(binary_dir() / "tradewind"), "health", "--config", str(config), "--json"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode in (0, 1, 2, 3), result.stdout + result.stderr
    return result.returncode, json.loads(result.stdout)


def wait_state(config: Path, state: str, timeout: float = 20) -> dict:
    seen: list[str] = []

    def reached():
        code, report = assess(config)
        seen.append(report["state"])
        assert code == ["green", "degraded", "critical", "dead"].index(report["state"])
        return report if report["state"] == state else None
    try:
        return wait_for(reached, timeout, f"health never became {state}")
    except AssertionError as error:
        raise AssertionError(f"{error}; last states {seen[-5:]}") from None


def test_green_then_degraded_critical_and_dead_as_the_suite_breaks(tmp_path):
    directory = Path(tempfile.mkdtemp(prefix="tw-health-"))
    suite = start_suite(health_config(directory), directory=directory)
    try:
        cli = suite.cli_config()
        green = wait_state(cli, "green")
        assert green["score"] == 1 and green["complaints"] == []
        assert set(green["sensors"]) == {"process", "heartbeat", "data", "control", "coherence"}

        # one daemon stopped: its process does not answer and nobody can vouch for its upstreams
        tracker = suite.processes["position-tracker"].pid
        os.kill(tracker, signal.SIGSTOP)
        try:
            degraded = wait_state(cli, "degraded")
            assert "position-tracker" in degraded["sensors"]["process"]["detail"]
            assert degraded["sensors"]["process"]["value"] == 0.8 and degraded["sensors"]["data"]["value"] == 1
        finally:
            os.kill(tracker, signal.SIGCONT)
        wait_state(cli, "green")

        # the feed stopped: every listener loses its heartbeats and the market data grows old
        feed = suite.processes["market-data"].pid
        os.kill(feed, signal.SIGSTOP)
        try:
            critical = wait_state(cli, "critical")
            assert {"process", "heartbeat"} <= set(critical["complaints"])
        finally:
            os.kill(feed, signal.SIGCONT)
        wait_state(cli, "green", timeout=30)
    finally:
        suite.kill_all()
    dead = wait_state(cli, "dead")
    assert dead["sensors"]["process"]["value"] == 0


def test_served_health_is_prometheus_metrics_that_follow_the_suite(tmp_path):
    directory = Path(tempfile.mkdtemp(prefix="tw-health-"))
    suite = start_suite(health_config(directory), directory=directory)
    log = open(tmp_path / "health.log", "w+")
    server = subprocess.Popen([str(binary_dir() / "tradewind"), "health", "--serve", "--config", str(suite.cli_config())],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        def port():
            assert server.poll() is None, (tmp_path / "health.log").read_text()
            match = re.search(r'"message":"http listening".*?"port":"?(\d+)', (tmp_path / "health.log").read_text())
            return int(match.group(1)) if match else None
        url = f"http://127.0.0.1:{wait_for(port, 30, 'health server did not listen')}"

        def state_metric(state: str):
            status, text = http_get(url + "/metrics")
            return status == 200 and f'tradewind_health_state{{state="{state}"}} 1' in text and text
        text = wait_for(lambda: state_metric("green"), 20, "served health never green")
        assert "# HELP tradewind_health_score" in text and 'tradewind_health_sensor{sensor="data"} 1' in text
        if shutil.which("promtool"):
            checked = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
            assert checked.returncode == 0, checked.stdout + checked.stderr
        assert http_get(url + "/ready")[0] == 200
        assert json.loads(http_get(url + "/v1/health")[1])["state"] == "green"

        os.kill(suite.processes["market-data"].pid, signal.SIGSTOP)
        try:
            wait_for(lambda: state_metric("critical"), 20, "served health never critical")
        finally:
            os.kill(suite.processes["market-data"].pid, signal.SIGCONT)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=15) == 0
    finally:
        if server.poll() is None:
            server.kill()
        suite.kill_all()
        log.close()
