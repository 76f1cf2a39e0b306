"""Parity between `tradewind backtest` and the five daemons replaying the same dataset in lockstep:
the orders, fills (ids, prices, quantities, fees), final positions and realized PnL of both, as
canonical text dumps that must be byte-identical. Used by test_parity.py and `make parity`."""

from __future__ import annotations

import csv
import json
import subprocess
import time
from decimal import Decimal
from pathlib import Path

from harness import binary_dir, http_json, shared_database, start_suite, suite_config, wait_for, wait_settled


def parity_config(directory: Path, dataset: Path | None) -> dict:
    """Fast EMAs on a lively walk; flips bigger than the quoted size (partial fills); a tight rate
    limit per strategy (some denials); a fixed session, so ids are reproducible."""
    config = suite_config(directory)
    config["runtime"] = {"session_id": "parity"}
    config["market_data"].update({
        "volatility_bps": 15, "spread_bps": 2, "quote_size": {"SIM:BTCUSDT": "0.5", "SIM:ETHUSDT": "5"},
        "trade_probability_percent": 30, "bar_interval_seconds": 1,
    })
    if dataset is not None:
        config["market_data"].update({"feed": "replay", "replay_dataset": str(dataset), "replay_lockstep": True})
    config["signal_bridge"].update({"fast_period": 3, "slow_period": 8,
                                    "order_quantity": {"SIM:BTCUSDT": "0.3", "SIM:ETHUSDT": "3"}})
    config["risk_manager"].update({
        "max_order_quantity": {"SIM:BTCUSDT": "1", "SIM:ETHUSDT": "10"},
        "max_position": {"SIM:BTCUSDT": "1", "SIM:ETHUSDT": "10"},
        "max_order_notional": "100000", "max_gross_exposure": "1000000",
        "strategy_rate_burst": 3, "strategy_rate_per_second": 2,
        "global_rate_burst": 1000000, "global_rate_per_second": 1000000, "max_quote_age_ms": 3600000,
    })
    return config


def tradewind(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(binary_dir() / "tradewind"), *args], cwd=cwd, capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, f"tradewind {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


def canonical(rows: list[list], header: list[str]) -> str:
    """One line per row, decimals normalized (so 0.30 and 0.3 agree), sorted."""
    def text(value) -> str:
        try:
            return format(Decimal(value).normalize(), "f")
        except Exception:
            return str(value)
    lines = sorted(",".join(text(v) for v in row) for row in rows)
    return ",".join(header) + "\n" + "\n".join(lines) + "\n"


ORDER_COLUMNS = ["client_order_id", "side", "quantity", "status", "filled_quantity", "average_price", "fees", "reason_code"]
FILL_COLUMNS = ["client_order_id", "trade_id", "side", "quantity", "price", "fee"]
POSITION_COLUMNS = ["instrument", "quantity", "realized_pnl"]


def backtest_dumps(run: Path) -> dict[str, str]:
    def table(name: str) -> list[dict]:
        with open(run / name, newline="") as handle:
            return list(csv.DictReader(handle))
    orders = [[o[c] for c in ORDER_COLUMNS] for o in table("orders.csv")]
    fills = [[f[c] for c in FILL_COLUMNS] for f in table("fills.csv")]
    final: dict[str, dict] = {}
    for row in table("positions.csv"):
        final[row["instrument"]] = row
    positions = [[p[c] for c in POSITION_COLUMNS] for p in final.values()]
    return {"orders": canonical(orders, ORDER_COLUMNS), "fills": canonical(fills, FILL_COLUMNS),
            "positions": canonical(positions, POSITION_COLUMNS)}


def daemon_dumps(suite) -> dict[str, str]:
    sql = lambda statement: shared_database().sql(statement, url=suite.database_url)  # noqa: E731
    orders = sql("SELECT client_order_id, side, quantity, status, filled_quantity, coalesce(average_price::text, ''), "
                 "fees, coalesce(reason_code, '') FROM execution_engine.orders")
    fills = sql("SELECT client_order_id, trade_id, side, quantity, price, fee FROM execution_engine.fills")
    positions = sql("SELECT instrument, quantity, realized_pnl FROM position_tracker.positions")
    return {"orders": canonical(orders, ORDER_COLUMNS), "fills": canonical(fills, FILL_COLUMNS),
            "positions": canonical(positions, POSITION_COLUMNS)}


def lockstep_dumps(config: dict, directory: Path, steps: int) -> dict[str, str]:
    """Starts the five daemons on `config` (a lockstep replay), waits until the market-data daemon
    has had all `steps` acknowledged, stops them once settled, and returns their dumps."""
    suite = start_suite(config, directory=directory)
    try:
        wait_for(lambda: http_json(suite.url("market-data", "/v1/market")).get("lockstep_acknowledged") == steps,
                 max(120.0, steps / 500), f"the daemons did not finish the {steps} steps")
        assert suite.terminate("market-data") == 0
        wait_settled(suite)
        return daemon_dumps(suite)
    finally:
        suite.kill_all()


def run_parity(directory: Path, events: int, seed: int = 7) -> dict:
    """Synthesizes a dataset of `events`, runs the backtest and the lockstep daemons over it, and
    returns both sides' dumps with timings."""
    directory.mkdir(parents=True, exist_ok=True)
    config_path = directory / "parity.json"
    config_path.write_text(json.dumps(parity_config(directory, None), indent=2))
    dataset = directory / "dataset"
    tradewind("data", "synth", "--config", str(config_path), "--instruments", "SIM:BTCUSDT,SIM:ETHUSDT",
              "--events", str(events), "--seed", str(seed), "--out", str(dataset), cwd=directory)
    started = time.monotonic()
    run = directory / "backtest"
    tradewind("backtest", "--data", str(dataset), "--config", str(config_path), "--out", str(run), "--no-report", cwd=directory)
    backtest_seconds = time.monotonic() - started

    suite_directory = directory / "suite"
    suite_directory.mkdir()
    started = time.monotonic()
    total = json.loads(tradewind("data", "inspect", str(dataset), "--json", cwd=directory).stdout)["counts"]["events"]
    daemons = lockstep_dumps(parity_config(suite_directory, dataset), suite_directory, total)
    replay_seconds = time.monotonic() - started
    backtest = backtest_dumps(run)
    return {"events": total, "backtest": backtest, "daemons": daemons,
            "statistics": json.loads((run / "statistics.json").read_text()),
            "backtest_seconds": backtest_seconds, "replay_seconds": replay_seconds}
