"""`tradewind data import` on sample files in the exact layouts of Binance public data (spot trades
without a header, ms before 2025 and µs after, a .zip as Binance serves them; futures bookTicker
with a header) and Tardis CSV (trades, quotes, incremental_book_L2, one gzipped), then
`data verify` and `data inspect` on the result; a malformed line; and validate, promote and a
backtest that refuses the quarantined set."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import zipfile
from pathlib import Path

from harness import binary_dir

SPOT_TRADES_2024 = """\
3370000000,42283.58000000,0.00100000,42.28358000,1704067200000,True,True
3370000001,42283.59000000,0.01500000,634.25385000,1704067200001,False,True
3370000002,42283.60000000,0.25000000,10570.90000000,1704067200001,False,True
"""

SPOT_TRADES_2025 = """\
4376000000,93429.99000000,0.00023000,21.48889770,1735689600000123,True,True
4376000001,93430.00000000,0.10000000,9343.00000000,1735689600000999,False,True
"""

BOOK_TICKER = """\
update_id,best_bid_price,best_bid_qty,best_ask_price,best_ask_qty,transaction_time,event_time
3700000000001,42283.50,1.234,42283.60,0.500,1704067200001,1704067200003
3700000000002,42283.50,1.000,42283.60,0.750,1704067200002,1704067200004
"""

TARDIS_TRADES = """\
exchange,symbol,timestamp,local_timestamp,id,side,price,amount
binance,BTCUSDT,1704067200000123,1704067200001456,3370000000,sell,42283.58,0.001
binance,BTCUSDT,1704067200000900,1704067200002000,3370000001,buy,42283.59,0.015
"""

TARDIS_QUOTES = """\
exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount
binance,BTCUSDT,1704067200000500,1704067200001600,0.5,42283.60,42283.50,1.234
"""

TARDIS_BOOK = """\
exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount
binance,BTCUSDT,1704067200000000,1704067200001000,true,ask,42283.60,0.5
binance,BTCUSDT,1704067200000000,1704067200001000,true,ask,42283.70,1.5
binance,BTCUSDT,1704067200000000,1704067200001000,true,bid,42283.50,1.234
binance,BTCUSDT,1704067200000000,1704067200001000,true,bid,42283.40,2
binance,BTCUSDT,1704067200100000,1704067200101000,false,bid,42283.50,0
binance,BTCUSDT,1704067200100000,1704067200101000,false,bid,42283.45,0.7
binance,BTCUSDT,1704067200100000,1704067200101000,false,ask,42283.60,0.25
"""


def tradewind(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIND_")}
    return subprocess.run([str(binary_dir() / "tradewind"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def verified_and_inspected(path: Path, head: int) -> dict:
    verify = tradewind("data", "verify", str(path), cwd=path.parent)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.startswith(f"OK {path}: ")
    inspect = tradewind("data", "inspect", str(path), "--json", "--head", str(head), cwd=path.parent)
    assert inspect.returncode == 0, inspect.stdout + inspect.stderr
    return json.loads(inspect.stdout)


def test_binance_spot_trades_plain_and_zipped_across_the_2025_time_unit_change(tmp_path):
    (tmp_path / "BTCUSDT-trades-2024-01-01.csv").write_text(SPOT_TRADES_2024)
    with zipfile.ZipFile(tmp_path / "BTCUSDT-trades-2025-01-01.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("BTCUSDT-trades-2025-01-01.csv", SPOT_TRADES_2025)
    out = tmp_path / "btc"
    result = tradewind("data", "import", "--format", "binance-trades", "--out", str(out),
                       "BTCUSDT-trades-2025-01-01.zip", "BTCUSDT-trades-2024-01-01.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 events (0 quotes, 5 trades" in result.stdout

    shown = verified_and_inspected(out, 5)
    manifest, head = shown["manifest"], shown["head"]
    assert manifest["counts"]["trade"] == 5 and manifest["counts"]["events"] == 5
    assert manifest["instruments"] == [{"base": "BTC", "id": "BINANCE:BTCUSDT", "index": 0, "lot_size": "0.00001",
                                        "min_quantity": "0.00001", "quote": "USDT", "scale": 8, "tick_size": "0.01"}]
    assert manifest["source"]["kind"] == "imported" and manifest["source"]["format"] == "binance-trades"
    assert [f["file"] for f in manifest["source"]["files"]] == ["BTCUSDT-trades-2025-01-01.zip", "BTCUSDT-trades-2024-01-01.csv"]
    # the 2024 file (ms) comes first in time although given second; the 2025 one is in µs
    assert [e["time_ns"] for e in head] == [1704067200000000000, 1704067200001000000, 1704067200001000000,
                                            1735689600000123000, 1735689600000999000]
    assert head[0] == {"kind": "trade", "instrument": "BINANCE:BTCUSDT", "time_ns": 1704067200000000000,
                       "exchange_time_ns": 1704067200000000000,
                       "price": "42283.58", "size": "0.001", "aggressor": "sell", "trade_id": "3370000000"}
    assert (head[3]["price"], head[3]["size"], head[3]["aggressor"]) == ("93429.99", "0.00023", "sell")
    assert head[4]["trade_id"] == "4376000001" and head[4]["aggressor"] == "buy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BTCUSDT-trades-2024-01-01.csv", "BTCUSDT-trades-2025-01-01.zip", "btc"]


def test_binance_book_ticker_with_its_header_becomes_quotes(tmp_path):
    (tmp_path / "BTCUSDT-bookTicker-2024-01-01.csv").write_text(BOOK_TICKER)
    out = tmp_path / "quotes"
    result = tradewind("data", "import", "--format", "binance-bookticker", "--instrument", "BINANCE_UM:BTCUSDT",
                       "--out", str(out), "BTCUSDT-bookTicker-2024-01-01.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    head = verified_and_inspected(out, 2)["head"]
    assert head == [
        {"kind": "quote", "instrument": "BINANCE_UM:BTCUSDT", "time_ns": 1704067200001000000,
         "exchange_time_ns": 1704067200001000000,
         "bid": "42283.5", "bid_size": "1.234", "ask": "42283.6", "ask_size": "0.5"},
        {"kind": "quote", "instrument": "BINANCE_UM:BTCUSDT", "time_ns": 1704067200002000000,
         "exchange_time_ns": 1704067200002000000,
         "bid": "42283.5", "bid_size": "1", "ask": "42283.6", "ask_size": "0.75"},
    ]


def test_tardis_trades_quotes_and_book_merge_into_one_dataset(tmp_path):
    (tmp_path / "binance_trades_2024-01-01_BTCUSDT.csv").write_text(TARDIS_TRADES)
    (tmp_path / "binance_quotes_2024-01-01_BTCUSDT.csv").write_text(TARDIS_QUOTES)
    with gzip.open(tmp_path / "binance_incremental_book_L2_2024-01-01_BTCUSDT.csv.gz", "wt") as book:
        book.write(TARDIS_BOOK)
    out = tmp_path / "tardis"
    result = tradewind("data", "import", "--format", "tardis", "--out", str(out), "binance_trades_2024-01-01_BTCUSDT.csv",
                       "binance_incremental_book_L2_2024-01-01_BTCUSDT.csv.gz", "binance_quotes_2024-01-01_BTCUSDT.csv",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr

    shown = verified_and_inspected(out, 10)
    manifest, head = shown["manifest"], shown["head"]
    counts = manifest["counts"]
    assert (counts["events"], counts["trade"], counts["quote"], counts["book_update"], counts["book_level"]) == (5, 2, 1, 2, 7)
    assert manifest["instruments"][0]["id"] == "BINANCE:BTCUSDT" and manifest["source"]["time"] == "exchange"
    assert [e["kind"] for e in head] == ["book", "trade", "quote", "trade", "book"]
    assert head[0] == {"kind": "book", "instrument": "BINANCE:BTCUSDT", "time_ns": 1704067200000000000,
                       "exchange_time_ns": 1704067200000000000, "snapshot": True,
                       "bids": "42283.5@1.234 42283.4@2", "asks": "42283.6@0.5 42283.7@1.5"}
    assert head[4] == {"kind": "book", "instrument": "BINANCE:BTCUSDT", "time_ns": 1704067200100000000,
                       "exchange_time_ns": 1704067200100000000, "snapshot": False,
                       "bids": "42283.5@0 42283.45@0.7", "asks": "42283.6@0.25"}
    assert head[1]["aggressor"] == "sell" and head[1]["time_ns"] == 1704067200000123000
    assert (head[2]["bid"], head[2]["ask"], head[2]["time_ns"]) == ("42283.5", "42283.6", 1704067200000500000)

    validate = tradewind("data", "validate", str(out), "--report", str(tmp_path / "report.json"), cwd=tmp_path)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["passed"] and report["records"] == 10 and report["books"] == {"updates": 2, "snapshots": 1, "resyncs": 0}


def test_a_malformed_line_names_file_and_line_exits_2_and_leaves_nothing(tmp_path):
    (tmp_path / "BTCUSDT-trades-2024-01-01.csv").write_text(SPOT_TRADES_2024)
    bad = SPOT_TRADES_2024.replace("0.01500000", "0.0150000O")
    (tmp_path / "BTCUSDT-trades-2024-01-02.csv").write_text(bad)
    out = tmp_path / "never"
    result = tradewind("data", "import", "--format", "binance-trades", "--out", str(out),
                       "BTCUSDT-trades-2024-01-01.csv", "BTCUSDT-trades-2024-01-02.csv", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "BTCUSDT-trades-2024-01-02.csv:2: qty: invalid decimal \"0.0150000O\"" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BTCUSDT-trades-2024-01-01.csv", "BTCUSDT-trades-2024-01-02.csv"]


def test_a_crossed_import_is_quarantined_and_a_backtest_refuses_it_unless_allowed(tmp_path):
    quotes = TARDIS_QUOTES + "binance,BTCUSDT,1704067200000600,1704067200001700,0.5,42283.40,42283.50,1.234\n"
    (tmp_path / "quotes.csv").write_text(quotes)
    (tmp_path / "clean.csv").write_text(TARDIS_QUOTES)
    for name, source in (("crossed", "quotes.csv"), ("clean", "clean.csv")):
        made = tradewind("data", "import", "--format", "tardis", "--instrument", "SIM:BTCUSDT", "--out",
                         str(tmp_path / "incoming" / name), source, cwd=tmp_path)
        assert made.returncode == 0, made.stdout + made.stderr

    validate = tradewind("data", "validate", "incoming/crossed", cwd=tmp_path)
    assert validate.returncode == 1, validate.stdout + validate.stderr
    assert validate.stdout.startswith("FAIL incoming/crossed: 2 records, 1 of 10 checks failed")
    assert "crossed_quote        1  first: record 1 at 2024-01-01T00:00:00.000600000Z SIM:BTCUSDT: crossed: bid 42283.5 ask 42283.4" in validate.stdout

    root = tmp_path / "root"
    promoted = tradewind("data", "promote", "incoming/clean", "--data-root", str(root), cwd=tmp_path)
    assert promoted.returncode == 0, promoted.stdout + promoted.stderr
    assert f"promoted to {root / 'canonical' / 'clean'}" in promoted.stdout
    assert json.loads((root / "canonical" / "clean" / "validation.json").read_text())["passed"] is True

    quarantined = tradewind("data", "promote", "incoming/crossed", "--data-root", str(root), cwd=tmp_path)
    assert quarantined.returncode == 1, quarantined.stdout + quarantined.stderr
    target = root / "quarantine" / "crossed"
    assert f"quarantined in {target}" in quarantined.stdout
    assert json.loads((target / "validation.json").read_text())["checks"]["crossed_quote"]["count"] == 1
    assert not (tmp_path / "incoming" / "crossed").exists()

    env_root = {"TRADEWIND_DATA_ROOT": str(root)}
    refused = subprocess.run([str(binary_dir() / "tradewind"), "backtest", "--data", str(target), "--out", str(tmp_path / "run"),
                              "--no-report"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                             env={**{k: v for k, v in os.environ.items() if not k.startswith("TRADEWIND_")}, **env_root})
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "is in quarantine" in refused.stderr and "--allow-unvalidated" in refused.stderr
    assert not (tmp_path / "run").exists()
