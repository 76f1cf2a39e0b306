"""`tradewind backtest` over a dataset with L2 book levels: Tardis `quotes`, `trades` and
`incremental_book_L2` CSV imported with `tradewind data import --format tardis`, validated,
promoted and backtested. The strategy's two market orders walk the simulated venue's book level
by level (docs/SIMULATED_VENUE.md, "With an L2 book"); every fill is checked against the values
worked out by hand below."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

from harness import binary_dir, suite_config
from parity import backtest_dumps, lockstep_dumps

T0 = 1704067200000000  # 2024-01-01T00:00:00Z in µs, as Tardis writes timestamps

# The book at t0: bids 42000×0.01, 41998×0.002, 41000×5; asks 42001×0.003, 42002×0.004, 42300×1.
# At t0+4 ms a delta moves the bids to 42000×0.005 and adds 41999.5×0.01.
BOOK = f"""\
exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount
binance,BTCUSDT,{T0},{T0},true,bid,42000,0.01
binance,BTCUSDT,{T0},{T0},true,bid,41998,0.002
binance,BTCUSDT,{T0},{T0},true,bid,41000,5
binance,BTCUSDT,{T0},{T0},true,ask,42001,0.003
binance,BTCUSDT,{T0},{T0},true,ask,42002,0.004
binance,BTCUSDT,{T0},{T0},true,ask,42300,1
binance,BTCUSDT,{T0 + 4000},{T0 + 4000},false,bid,42000,0.005
binance,BTCUSDT,{T0 + 4000},{T0 + 4000},false,bid,41999.5,0.01
"""

# The EMA crossover (fast 1, slow 2) sees mids 42000.5, 41999.5 (down), 42000.5 (up: buy 0.01 at
# t0+3 ms), 41999.5 (down: sell 0.02 at t0+5 ms, from a target of +0.01 to -0.01).
QUOTES = f"""\
exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount
binance,BTCUSDT,{T0 + 1000},{T0 + 1000},0.003,42001,42000,0.01
binance,BTCUSDT,{T0 + 2000},{T0 + 2000},0.01,42000,41999,0.01
binance,BTCUSDT,{T0 + 3000},{T0 + 3000},0.003,42001,42000,0.01
binance,BTCUSDT,{T0 + 5000},{T0 + 5000},0.01,42000,41999,0.01
"""

# Others' trades: without resting orders of ours they fill nothing, but they reach the venue.
TRADES = f"""\
exchange,symbol,timestamp,local_timestamp,id,side,price,amount
binance,BTCUSDT,{T0 + 2500},{T0 + 2500},1,sell,42000,0.001
binance,BTCUSDT,{T0 + 4500},{T0 + 4500},2,buy,42001,0.001
"""


def tradewind(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIND_")}
    return subprocess.run([str(binary_dir() / "tradewind"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


BTC = "SIM:BTCUSDT"


def book_config(root: Path) -> dict:
    """SIM:BTCUSDT only (the dataset's instrument), EMAs of 1 and 2 quotes, 10 bps taker fees and
    market orders sent as IOC limits at a 50 bps collar from the mid."""
    return {
        "instruments": [{"id": BTC, "base": "BTC", "quote": "USDT", "tick_size": "0.01", "lot_size": "0.0001",
                         "min_quantity": "0.0001"}],
        "runtime": {"session_id": "books"},
        "data": {"root": str(root)},
        "market_data": {"start_prices": {BTC: "42000"}, "quote_size": {BTC: "1"}},
        "signal_bridge": {"fast_period": 1, "slow_period": 2, "order_quantity": {BTC: "0.01"}},
        "risk_manager": {"allowed_instruments": [BTC], "max_position": {BTC: "0.05"}, "max_order_quantity": {BTC: "0.05"}},
        "execution_engine": {"taker_fee_bps": 10, "slippage_guard": "convert", "slippage_collar_bps": 50},
    }


def book_dataset(directory: Path, config: Path) -> Path:
    """The three Tardis files imported as SIM:BTCUSDT, validated and promoted into the data root."""
    (directory / "binance_incremental_book_L2_2024-01-01_BTCUSDT.csv").write_text(BOOK)
    (directory / "binance_quotes_2024-01-01_BTCUSDT.csv").write_text(QUOTES)
    (directory / "binance_trades_2024-01-01_BTCUSDT.csv").write_text(TRADES)
    imported = tradewind("data", "import", "--format", "tardis", "--instrument", BTC, "--out",
                         str(directory / "incoming" / "books"), "binance_incremental_book_L2_2024-01-01_BTCUSDT.csv",
                         "binance_quotes_2024-01-01_BTCUSDT.csv", "binance_trades_2024-01-01_BTCUSDT.csv", cwd=directory)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    promoted = tradewind("data", "promote", "incoming/books", "--config", str(config), cwd=directory)
    assert promoted.returncode == 0, promoted.stdout + promoted.stderr
    dataset = Path(json.loads(config.read_text())["data"]["root"]) / "canonical" / "books"
    counts = json.loads((dataset / "manifest.json").read_text())["counts"]
    assert (counts["book_update"], counts["quote"], counts["trade"]) == (2, 4, 2)
    return dataset


def backtested(tmp_path: Path) -> tuple[Path, Path]:
    """The book dataset imported and promoted under tmp_path, and the run directory of its backtest."""
    config = tmp_path / "config.json"
    config.write_text(json.dumps(book_config(tmp_path / "data")))
    dataset = book_dataset(tmp_path, config)
    run = tmp_path / "run"
    backtest = tradewind("backtest", "--data", str(dataset), "--config", str(config), "--out", str(run), "--no-report",
                         cwd=tmp_path)
    assert backtest.returncode == 0, backtest.stdout + backtest.stderr
    return dataset, run


def test_market_orders_walk_the_imported_book_level_by_level(tmp_path):
    _, run = backtested(tmp_path)
    with open(run / "fills.csv", newline="") as handle:
        fills = [(int(r["time_ns"]), r["side"], Decimal(r["quantity"]), Decimal(r["price"]), Decimal(r["fee"]), r["liquidity"])
                 for r in csv.DictReader(handle)]

    # The buy of 0.01 is an IOC limit at the slippage collar: mid 42000.5 × 1.005 = 42210.5025,
    # down to the tick: 42210.50. It takes 0.003 at 42001 and 0.004 at 42002; 42300 is beyond it.
    # The sell of 0.02: collar 41999.5 × 0.995 = 41789.5025, up to the tick: 41789.51. It takes
    # 0.005 at 42000, 0.01 at 41999.5 and 0.002 at 41998; 41000 is beyond it. Fees: 10 bps each.
    buy_ns, sell_ns = (T0 + 3000) * 1000, (T0 + 5000) * 1000
    expected = [
        (buy_ns, "buy", "0.003", "42001", "0.126003"),
        (buy_ns, "buy", "0.004", "42002", "0.168008"),
        (sell_ns, "sell", "0.005", "42000", "0.21"),
        (sell_ns, "sell", "0.01", "41999.5", "0.419995"),
        (sell_ns, "sell", "0.002", "41998", "0.083996"),
    ]
    assert fills == [(t, s, Decimal(q), Decimal(p), Decimal(f), "taker") for t, s, q, p, f in expected]

    # what the book did not cover is canceled: both orders end canceled with their fills
    with open(run / "orders.csv", newline="") as handle:
        orders = list(csv.DictReader(handle))
    final = {}
    for row in orders:
        final[row["client_order_id"]] = row
    assert sorted((r["side"], r["status"], Decimal(r["filled_quantity"])) for r in final.values()) == [
        ("buy", "canceled", Decimal("0.007")), ("sell", "canceled", Decimal("0.017"))]
    with open(run / "positions.csv", newline="") as handle:
        last = list(csv.DictReader(handle))[-1]
    assert Decimal(last["quantity"]) == Decimal("-0.01")


def test_the_lockstep_daemons_fill_against_the_same_book_as_the_backtest(tmp_path):
    """The execution engine keeps the book from md.book (a replay's messages carry no sequence and
    are applied as they come) and takes md.trade, in the processing order of the backtest: the
    orders, fills and positions of both are identical."""
    dataset, run = backtested(tmp_path)

    suite_directory = tmp_path / "suite"
    suite_directory.mkdir()
    daemons_config = suite_config(suite_directory)
    for section, values in book_config(tmp_path / "data").items():
        if isinstance(values, dict):
            daemons_config.setdefault(section, {}).update(values)
        else:
            daemons_config[section] = values
    daemons_config["market_data"].update({"feed": "replay", "replay_dataset": str(dataset), "replay_lockstep": True})
    daemons = lockstep_dumps(daemons_config, suite_directory, 8)
    expected = backtest_dumps(run)
    assert expected["fills"].count("\n") == 1 + 5
    for name in ("orders", "fills", "positions"):
        assert daemons[name] == expected[name], f"{name} differ:\n--- backtest\n{expected[name]}\n--- daemons\n{daemons[name]}"
