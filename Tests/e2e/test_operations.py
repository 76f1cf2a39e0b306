"""Operations hooks of a running daemon: systemd's notify protocol (READY=1, a watchdog fed from
the bus loop, STOPPING=1), CPU affinity from the configuration, readiness and trading-state
gauges on /metrics."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from harness import binary_dir, http_post, metric_total, start_suite, suite_config, wait_for


class NotifySocket:
    """The datagram socket systemd listens on ($NOTIFY_SOCKET), here bound by the test."""

    def __init__(self, path: Path):
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(str(path))
        self.path = path

    def next(self, timeout: float) -> str | None:
        self.socket.settimeout(timeout)
        try:
            return self.socket.recv(4096).decode()
        except socket.timeout:
            return None

    def wait_for(self, wanted: str, timeout: float) -> list[str]:
        """Messages up to and including the first that contains the line `wanted`."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self.next(max(0.01, deadline - time.monotonic()))
            if message is None:
                break
            seen.append(message)
            if wanted in message.splitlines():
                return seen
        raise AssertionError(f"no {wanted} within {timeout} s; saw {seen}")

    def drain(self) -> None:
        while self.next(0.01) is not None:
            pass

    def close(self) -> None:
        self.socket.close()


def test_a_daemon_tells_systemd_it_is_ready_feeds_the_watchdog_from_its_loop_and_says_it_stops(tmp_path):
    notify = NotifySocket(tmp_path / "notify.sock")
    # WATCHDOG_USEC 1 s: a ping at least every 0.5 s while the bus loop turns
    env = {"NOTIFY_SOCKET": str(notify.path), "WATCHDOG_USEC": "1000000"}
    suite = start_suite(daemon_env={"position-tracker": env})
    try:
        notify.wait_for("READY=1", 30)
        notify.wait_for("WATCHDOG=1", 5)
        notify.wait_for("WATCHDOG=1", 5)
        process = suite.processes["position-tracker"]

        # a stopped process feeds nothing (systemd would restart it after WatchdogSec)
        os.kill(process.pid, signal.SIGSTOP)
        try:
            notify.drain()
            assert notify.next(2.0) is None, "a stopped daemon still fed the watchdog"
        finally:
            os.kill(process.pid, signal.SIGCONT)
        notify.wait_for("WATCHDOG=1", 5)

        process.send_signal(signal.SIGTERM)
        notify.wait_for("STOPPING=1", 10)
        assert process.wait(timeout=15) == 0
    finally:
        suite.kill_all()
        notify.close()


def test_a_daemon_without_notify_socket_sends_nothing_and_a_foreign_watchdog_pid_is_not_fed(tmp_path):
    notify = NotifySocket(tmp_path / "notify.sock")
    # WATCHDOG_PID names another process: the watchdog is not this daemon's to feed
    env = {"NOTIFY_SOCKET": str(notify.path), "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"}
    suite = start_suite(daemon_env={"signal-bridge": env})
    try:
        messages = notify.wait_for("READY=1", 30)
        assert not any("WATCHDOG=1" in m for m in messages)
        assert notify.next(1.5) is None
    finally:
        suite.kill_all()
        notify.close()


def cpus_allowed(pid: int) -> str:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Cpus_allowed_list:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no Cpus_allowed_list")


def test_cpu_affinity_pins_the_daemon_and_a_bad_cpu_stops_start_up_naming_the_key(tmp_path):
    config = suite_config(tmp_path)
    config["risk_manager"]["cpu_affinity"] = [0]
    suite = start_suite(config, directory=tmp_path)
    try:
        assert cpus_allowed(suite.processes["risk-manager"].pid) == "0"
        assert cpus_allowed(suite.processes["execution-engine"].pid) == cpus_allowed(os.getpid())
    finally:
        suite.kill_all()

    bad = json.loads((tmp_path / "tradewind.json").read_text())
    bad["risk_manager"]["cpu_affinity"] = [5000]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = subprocess.run([str(binary_dir() / "tradewind-risk-manager"), "--config", str(path)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2, result.stderr
    assert "risk_manager.cpu_affinity[0]" in result.stderr, result.stderr


def test_readiness_build_and_trading_state_are_gauges(tmp_path):
    suite = start_suite(directory=tmp_path)
    try:
        for daemon in suite.processes:
            assert metric_total(suite, daemon, "tradewind_ready") == 1
            assert metric_total(suite, daemon, "tradewind_ready_check", check="bus") == 1
            assert metric_total(suite, daemon, "tradewind_build_info") == 1
        risk = "risk-manager"
        assert metric_total(suite, risk, "tradewind_trading_state", state="active") == 1
        assert metric_total(suite, risk, "tradewind_kill_switch_engaged") == 0
        assert metric_total(suite, risk, "tradewind_risk_daily_loss_limit") > 0

        assert http_post(suite.url(risk, "/v1/kill?reason=e2e"))[0] == 200
        wait_for(lambda: metric_total(suite, risk, "tradewind_kill_switch_engaged") == 1, 10, "kill switch gauge stayed 0")
        assert metric_total(suite, risk, "tradewind_trading_state", state="halted") == 1
        assert metric_total(suite, risk, "tradewind_trading_state", state="active") == 0
        assert http_post(suite.url(risk, "/v1/resume?reason=e2e"))[0] == 200
        wait_for(lambda: metric_total(suite, risk, "tradewind_trading_state", state="active") == 1, 10, "not active again")

        # a stopped upstream fails the downstream's readiness, and its gauge says so
        os.kill(suite.processes["market-data"].pid, signal.SIGSTOP)
        try:
            wait_for(lambda: metric_total(suite, "signal-bridge", "tradewind_ready") == 0, 15, "ready gauge stayed 1")
            assert metric_total(suite, "signal-bridge", "tradewind_ready_check", check="upstream_heartbeats") == 0
        finally:
            os.kill(suite.processes["market-data"].pid, signal.SIGCONT)
    finally:
        suite.kill_all()
