"""Runs the real Tradewind daemons as separate processes on ipc endpoints in a directory of their own.

Used by the end-to-end tests and by the pipeline benchmark."""

from __future__ import annotations

import atexit
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Clients" / "python"))

API_TOKEN = "e2e-control-token"


def binary_dir() -> Path:
    configured = os.environ.get("TRADEWIND_BIN")
    if configured:
        return Path(configured)
    out = subprocess.run([str(ROOT / "scripts" / "swift.sh"), "build", "--show-bin-path"], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def suite_table(config: Path | None = None) -> list[dict]:
    """The suite's daemons, upstream first, as `tradewind suite addresses --json` prints them: the
    one table the daemons, the CLI and the scripts read too."""
    command = [str(binary_dir() / "tradewind"), "suite", "addresses", "--json"]
    if config:
        command += ["--config", str(config)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIND_")}
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    return json.loads(out.stdout)["daemons"]


DAEMONS = [daemon["name"] for daemon in suite_table()]
SECTIONS = {daemon["name"]: daemon["section"] for daemon in suite_table()}


class ClosedPort:
    """A loopback port that is certainly closed while held: bound (so nothing else can take it) but
    not listening (so a connection is refused at once)."""

    def __enter__(self) -> int:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        return self.socket.getsockname()[1]

    def __exit__(self, *exc) -> None:
        self.socket.close()


def http_get(url: str, timeout: float = 2.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def http_post(url: str, token: str | None = API_TOKEN, timeout: float = 5.0) -> tuple[int, str]:
    request = urllib.request.Request(url, data=b"", method="POST")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(predicate, timeout: float, message: str):
    """Polls `predicate` until it returns something truthy (returned) or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(message)


def ready_checks(suite: "Suite", daemon: str) -> dict:
    """The daemon's /ready checks: {name: {"ok": bool, "detail": str}}."""
    return json.loads(http_get(suite.url(daemon, "/ready"))[1])["checks"]


def store_pending(suite: "Suite", daemon: str) -> int:
    """Records the daemon enqueued that its database has not committed yet (its /ready detail)."""
    detail = ready_checks(suite, daemon)["database"]["detail"]
    return int(re.search(r"pending (\d+)", detail).group(1))


def metric_total(suite: "Suite", daemon: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples (with these labels) on the daemon's /metrics."""
    from prometheus_client.parser import text_string_to_metric_families
    status, text = http_get(suite.url(daemon, "/metrics"))
    assert status == 200, text
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()))


def wait_quotes_reach(suite: "Suite", daemons: tuple[str, ...] = ("risk-manager", "execution-engine"), quotes: int = 4) -> None:
    """Waits until each daemon has taken `quotes` market-data messages: orders sent after this are
    priced against quotes everywhere (a research order sent sooner may meet an engine with none)."""
    for daemon in daemons:
        wait_for(lambda: metric_total(suite, daemon, "tradewind_bus_messages_received_total", family="md") >= quotes, 20,
                 f"{daemon} receives no quotes")


def wait_settled(suite: "Suite", timeout: float = 30.0) -> None:
    """With the feed stopped, waits until the pipeline has finished: the engine holds no open order,
    the tracker has no re-read of the engine's fills to come, and every running daemon's database
    holds everything it produced (nothing pending in its write-behind queue)."""
    def settled():
        if http_json(suite.url("execution-engine", "/v1/orders"))["open_orders"]:
            return False
        if http_json(suite.url("position-tracker", "/v1/positions")).get("resync_reads_pending", 0):
            return False
        running = [d for d in DAEMONS if d in suite.processes and suite.processes[d].poll() is None]
        return all(store_pending(suite, d) == 0 for d in running)
    try:
        wait_for(settled, timeout, "the pipeline did not settle after the feed stopped")
    except AssertionError:
        states = {d: ready_checks(suite, d) for d in DAEMONS if d in suite.processes and suite.processes[d].poll() is None}
        raise AssertionError(f"the pipeline did not settle after the feed stopped: open orders "
                             f"{len(http_json(suite.url('execution-engine', '/v1/orders'))['open_orders'])}, "
                             f"tracker re-reads pending {http_json(suite.url('position-tracker', '/v1/positions')).get('resync_reads_pending')}, "
                             f"ready checks {states}")


def http_json(url: str) -> dict:
    status, body = http_get(url)
    assert status == 200, f"{url} answered {status}: {body}"
    return json.loads(body)


@dataclass
class Suite:
    """A running suite: one process per daemon, its config, ports and log files."""

    directory: Path
    config: dict
    database_url: str = ""
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    ready_at: float = 0.0
    env: dict[str, str] = field(default_factory=dict)

    ports: dict[str, int] = field(default_factory=dict)
    log_offsets: dict[str, int] = field(default_factory=dict)
    daemon_env: dict[str, dict[str, str]] = field(default_factory=dict)

    def url(self, daemon: str, path: str) -> str:
        return f"http://127.0.0.1:{self.port(daemon)}{path}"

    def port(self, daemon: str, timeout: float = 60.0) -> int:
        """The HTTP port the daemon bound (the config says 0: the kernel picks a free one, so no
        test can lose a race for a port), read from its "http listening" log line."""
        if daemon in self.ports:
            return self.ports[daemon]
        deadline = time.monotonic() + timeout
        while True:
            with open(self.directory / f"{daemon}.log", "rb") as log:
                log.seek(self.log_offsets.get(daemon, 0))
                for line in log.read().decode(errors="replace").splitlines():
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        continue
                    if entry.get("message") == "http listening":
                        self.ports[daemon] = int(entry["port"])
                        return self.ports[daemon]
            process = self.processes[daemon]
            assert process.poll() is None, f"{daemon} exited with {process.returncode}:\n{self.log(daemon)[-3000:]}"
            assert time.monotonic() < deadline, f"{daemon} never reported its HTTP port:\n{self.log(daemon)[-3000:]}"
            time.sleep(0.05)

    def cli_config(self, path: Path | None = None, **ports: int) -> Path:
        """The suite's config with the ports the daemons bound (or `ports`, by section), for the CLI."""
        config = json.loads(json.dumps(self.config))
        for daemon in DAEMONS:
            config[SECTIONS[daemon]]["http_port"] = ports.get(SECTIONS[daemon]) or self.port(daemon)
        path = path or self.directory / "cli.json"
        path.write_text(json.dumps(config, indent=2))
        return path

    def endpoint(self, daemon: str) -> str:
        return self.config[SECTIONS[daemon]]["pub_endpoint"]

    def log(self, daemon: str) -> str:
        return (self.directory / f"{daemon}.log").read_text(errors="replace")

    def start(self, daemon: str, env: dict[str, str] | None = None) -> None:
        """Starts (or restarts) `daemon`; `env` adds to the suite's environment for this start only
        (else the daemon's own from `start_suite`)."""
        path = self.directory / f"{daemon}.log"
        self.log_offsets[daemon] = path.stat().st_size if path.exists() else 0
        self.ports.pop(daemon, None)
        log = open(path, "ab")
        extra = self.daemon_env.get(daemon, {}) if env is None else env
        self.processes[daemon] = subprocess.Popen(
            [str(binary_dir() / f"tradewind-{daemon}"), "--config", str(self.directory / "tradewind.json")],
            cwd=self.directory, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "TRADEWIND_DATABASE_URL": self.database_url, "TRADEWIND_API_TOKEN": API_TOKEN,
                 **self.env, **extra},
        )

    def wait_ready(self, timeout: float = 60.0, daemons: list[str] | None = None) -> None:
        deadline = time.monotonic() + timeout
        for daemon in daemons or DAEMONS:
            while True:
                process = self.processes[daemon]
                assert process.poll() is None, f"{daemon} exited with {process.returncode}:\n{self.log(daemon)[-3000:]}"
                try:
                    if http_get(self.url(daemon, "/ready"), timeout=1)[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, f"{daemon} not ready:\n{self.log(daemon)[-3000:]}"
                time.sleep(0.2)
        self.ready_at = time.monotonic()

    def wait_bus_running(self, daemon: str, timeout: float = 60.0) -> None:
        """Waits until the daemon's /ready reports its bus running: its state is restored and its
        subscriptions are connected (the other checks may still fail: upstreams not started yet)."""
        def running():
            assert self.processes[daemon].poll() is None, f"{daemon} exited:\n{self.log(daemon)[-3000:]}"
            try:
                status, body = http_get(self.url(daemon, "/ready"), timeout=1)
                return json.loads(body)["checks"]["bus"]["ok"]
            except (OSError, ValueError, KeyError):
                return False
        wait_for(running, timeout, f"{daemon}'s bus did not start:\n{self.log(daemon)[-3000:]}")

    def terminate(self, daemon: str, timeout: float = 10.0) -> int:
        process = self.processes[daemon]
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"{daemon} did not exit within {timeout} s of SIGTERM")

    def stop_all(self) -> dict[str, int]:
        # upstream first, so every daemon drains what its publishers sent before it stops
        return {daemon: self.terminate(daemon) for daemon in DAEMONS if daemon in self.processes}

    def kill_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()


class Database:
    """A real PostgreSQL cluster run by scripts/pg.sh in a folder of its own, and fresh databases in it."""

    def __init__(self, directory: Path, port: int):
        self.directory = directory
        self.port = port

    def _script(self, command: str) -> str:
        env = {**os.environ, "TRADEWIND_PG_PORT": str(self.port)}
        env.pop("TRADEWIND_DATABASE_URL", None)
        out = subprocess.run([str(ROOT / "scripts" / "pg.sh"), command, str(self.directory)],
                             capture_output=True, text=True, env=env, timeout=120)
        assert out.returncode == 0, f"pg.sh {command} failed: {out.stderr}"
        return out.stdout.strip()

    def start(self) -> str:
        return self._script("start")

    def stop(self) -> None:
        self._script("stop")

    def url(self, database: str = "tradewind") -> str:
        return self._script("url").replace("postgresql:///tradewind?", f"postgresql:///{database}?")

    def create_database(self) -> str:
        """A new, empty database; returns its URL."""
        name = f"tw_{uuid.uuid4().hex[:12]}"
        self.sql(f"CREATE DATABASE {name}", database="tradewind")
        return self.url(name)

    def sql(self, statement: str, database: str = "tradewind", url: str | None = None) -> list[list[str]]:
        """Runs one statement with psql; rows as lists of text (fields split on the unit separator)."""
        out = subprocess.run(["psql", url or self.url(database), "-v", "ON_ERROR_STOP=1", "-AtqF", "\x1f", "-c", statement],
                             capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise DatabaseError(out.stderr.strip())
        return [line.split("\x1f") for line in out.stdout.splitlines()]


class DatabaseError(Exception):
    """A statement PostgreSQL refused (the message is psql's)."""


_shared: Database | None = None


def shared_database() -> Database:
    """The shared test cluster (.run/test-pg, port 5437), started once per test process (the
    Makefile starts it around the whole run and stops it after)."""
    global _shared
    if _shared is None:
        _shared = Database(ROOT / ".run" / "test-pg", int(os.environ.get("TRADEWIND_TEST_PG_PORT", "5437")))
        _shared.start()
    return _shared


def suite_config(directory: Path, ticks_per_second: int = 100) -> dict:
    """Private ipc endpoints and kernel-chosen HTTP ports; fast ticks and short EMAs so seconds hold
    many fills."""
    bus = directory / "bus"
    config = {}
    for daemon, section in SECTIONS.items():
        config[section] = {"pub_endpoint": f"ipc://{bus}/{daemon}.pub", "http_port": 0}
    # the ingresses too, so clients in the test process (its own working directory) reach them
    config["signal_bridge"]["intent_endpoint"] = f"ipc://{bus}/signal-bridge.intents"
    config["risk_manager"]["control_endpoint"] = f"ipc://{bus}/risk-manager.ctl"
    # the strategy pays spread and fees on a random walk: loss limits far away, so a long session
    # keeps trading (tests of the limits set their own)
    config["risk_manager"].update({"max_daily_loss": "100000000", "max_drawdown": "100000000"})
    config["market_data"]["ticks_per_second"] = ticks_per_second
    config["signal_bridge"]["fast_period"] = 3
    config["signal_bridge"]["slow_period"] = 8
    return config


_started: list[Suite] = []


@atexit.register
def _kill_leftover_suites() -> None:
    """No daemon outlives the test process, whatever a test's teardown did."""
    for suite in _started:
        suite.kill_all()


def start_suite(config: dict | None = None, database_url: str | None = None, env: dict[str, str] | None = None,
                directory: Path | None = None, daemon_env: dict[str, dict[str, str]] | None = None,
                ready: list[str] | None = None) -> Suite:
    """Starts all five daemons in a new temporary directory, on a fresh database of the test
    cluster unless `database_url` names one, and waits until each is ready. `env` goes to every
    daemon, `daemon_env[daemon]` to one (at its first start); `ready` names the daemons to wait for
    (default all)."""
    directory = directory or Path(tempfile.mkdtemp(prefix="tw-"))
    config = config or suite_config(directory)
    (directory / "tradewind.json").write_text(json.dumps(config, indent=2))
    running = Suite(directory, config, database_url or shared_database().create_database(), env=env or {},
                    daemon_env=daemon_env or {})
    _started.append(running)
    try:
        # downstream first, each with its bus running (state restored, subscribers connected) before
        # the next starts, so nothing the feed publishes first is lost to a subscriber still starting
        for daemon in reversed(DAEMONS):
            running.start(daemon)
            if ready is None or daemon in ready:
                running.wait_bus_running(daemon)
        running.wait_ready(daemons=ready)
    except BaseException:
        running.kill_all()
        raise
    return running




class FakeBinance:
    """The fake Binance Spot REST venue (Tests/fakes/fake_binance.py) as a separate process."""

    API_KEY = "e2e-binance-key"
    SECRET = "e2e-binance-secret"

    def __init__(self, prices: dict[str, str], balances: dict[str, str]):
        command = [sys.executable, str(ROOT / "Tests" / "fakes" / "fake_binance.py"), "--port", "0",
                   "--api-key", self.API_KEY, "--secret", self.SECRET, "--exit-with-stdin"]
        for symbol, price in prices.items():
            command += ["--price", f"{symbol}={price}"]
        for asset, amount in balances.items():
            command += ["--balance", f"{asset}={amount}"]
        # stdin stays open while the test process lives: the fake exits if the test dies
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline()
        assert line.startswith("LISTENING "), f"fake venue did not start: {line}"
        self.port = int(line.split()[1])
        self.base_url = f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {"TRADEWIND_BINANCE_API_KEY": self.API_KEY, "TRADEWIND_BINANCE_API_SECRET": self.SECRET}

    def control(self, action: str, body: dict | None = None) -> dict:
        if body is None:
            with urllib.request.urlopen(f"{self.base_url}/__control/{action}", timeout=5) as response:
                return json.load(response)
        request = urllib.request.Request(f"{self.base_url}/__control/{action}", data=json.dumps(body).encode(),
                                         method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)

    def orders(self) -> list[dict]:
        return self.control("state")["orders"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=5)
