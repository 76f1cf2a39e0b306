"""Persistence of market data, the signal bridge and the position tracker, against real processes
and a real PostgreSQL: rows appear as they are produced, and a position tracker killed with
SIGKILL mid-trading comes back with positions equal to the sum of the fills it persisted."""

from __future__ import annotations

import json
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pytest

from harness import (
    Suite, http_json, shared_database, start_suite, suite_config, wait_for, wait_quotes_reach, wait_settled,
)
from tradewind import IntentSender, Subscriber, to_decimal

SNAPSHOT_INTERVAL_MS = 500


def persisted_suite(**market_data) -> Suite:
    """A suite with 1-second bars and half-second position snapshots, on a fresh database."""
    directory = Path(tempfile.mkdtemp(prefix="tw-persist-"))
    config = suite_config(directory)
    config["market_data"]["bar_interval_seconds"] = 1
    config["market_data"].update(market_data)
    config["position_tracker"]["snapshot_interval_ms"] = SNAPSHOT_INTERVAL_MS
    running = start_suite(config)
    running.db = shared_database()
    return running


@pytest.fixture(scope="module")
def persisted():
    """Shared by the tests that only watch the suite trade; none of them stops or restarts a daemon."""
    running = persisted_suite()
    try:
        yield running
    finally:
        running.kill_all()


@pytest.fixture
def own_persisted():
    """A suite of the test's own, for a test that kills, restarts or stops daemons."""
    running = persisted_suite()
    try:
        yield running
    finally:
        running.kill_all()


def sql(suite, statement: str) -> list[list[str]]:
    return suite.db.sql(statement, url=suite.database_url)


def scalar(suite, statement: str) -> str:
    return sql(suite, statement)[0][0]


def tracker_settled(suite):
    """The tracker's view when its fills_applied table holds exactly the fills in it (nothing left
    in the write-behind queue); meant for when the feed has stopped."""
    view = http_json(suite.url("position-tracker", "/v1/positions"))
    rows = int(scalar(suite, "SELECT count(*) FROM position_tracker.fills_applied"))
    counted = sum(p["fill_count"] for p in view["positions"])
    return view if view["applied_seq"] == rows == counted and rows > 0 else None


def daily_pnl_against_fills(suite) -> list[list[str]]:
    """Each daily_pnl row next to the sums of that day's fills_applied rows."""
    return sql(suite, """
        SELECT f.day, d.realized_pnl, d.fees, d.fill_count, f.realized, f.fees, f.fills
        FROM (SELECT day, sum(realized_pnl) AS realized, sum(fee) AS fees, count(*) AS fills
              FROM position_tracker.fills_applied GROUP BY day) f
        LEFT JOIN position_tracker.daily_pnl d USING (day)""")


def assert_daily_pnl_is_the_sum_of_fills(rows: list[list[str]]) -> None:
    assert rows, "no fills, so no daily_pnl to check"
    for day, realized, fees, count, summed_realized, summed_fees, fills in rows:
        assert realized, f"no daily_pnl row for {day}"
        assert (Decimal(realized), Decimal(fees), count) == (Decimal(summed_realized), Decimal(summed_fees), fills), day


def restore_logs(suite) -> list[dict]:
    """The tracker's "state restored" log lines, oldest first."""
    lines = [json.loads(line) for line in suite.log("position-tracker").splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("message") == "state restored"]


def persisted_fill_sums(suite) -> dict[str, dict]:
    rows = sql(suite, """
        SELECT instrument, sum(CASE side WHEN 'buy' THEN quantity ELSE -quantity END), count(*),
               sum(realized_pnl), sum(fee)
        FROM position_tracker.fills_applied GROUP BY instrument""")
    return {r[0]: {"net": Decimal(r[1]), "count": int(r[2]), "realized": Decimal(r[3]), "fees": Decimal(r[4])} for r in rows}


def assert_positions_equal_persisted_fills(suite, view: dict) -> None:
    sums = persisted_fill_sums(suite)
    held = {p["instrument"]: p for p in view["positions"]}
    assert set(held) == set(sums), (held.keys(), sums.keys())
    for instrument, total in sums.items():
        position = held[instrument]
        assert Decimal(position["quantity"]) == total["net"], instrument
        assert position["fill_count"] == total["count"], instrument
        assert Decimal(position["realized_pnl"]) == total["realized"], instrument
        assert Decimal(position["fees"]) == total["fees"], instrument


def test_bars_are_persisted_as_they_close(persisted):
    def bars():
        rows = sql(persisted, "SELECT instrument, count(*) FROM market_data.bars GROUP BY instrument")
        return rows if {r[0] for r in rows} == {"SIM:BTCUSDT", "SIM:ETHUSDT"} else None

    wait_for(bars, timeout=20, message="no 1-second bars persisted for both instruments")
    rows = sql(persisted, """
        SELECT instrument, start_time_ns, interval_seconds, end_time_ns, open, high, low, close, volume, trade_count,
               extract(epoch FROM start_time)::bigint
        FROM market_data.bars ORDER BY instrument, start_time_ns""")
    for instrument, start, interval, end, open_, high, low, close, volume, trades, epoch in rows:
        assert interval == "1" and int(start) % 1_000_000_000 == 0 and int(end) == int(start) + 1_000_000_000
        assert int(epoch) == int(start) // 1_000_000_000
        assert Decimal(low) <= min(Decimal(open_), Decimal(close)) <= max(Decimal(open_), Decimal(close)) <= Decimal(high)
        assert Decimal(volume) > 0 and int(trades) >= 1

    # a bar is written as it closes, with exactly the values published on the bus
    with Subscriber([persisted.endpoint("market-data")], topics=["md.bar."]) as subscriber:
        message = subscriber.receive(timeout_ms=5000)
    assert message is not None, "no bar published within 5 s"
    bar = message.payload
    key = f"instrument = '{bar.instrument}' AND start_time_ns = {bar.start_time_ns} AND interval_seconds = 1"
    row = wait_for(lambda: sql(persisted, f"SELECT open, high, low, close, volume, trade_count FROM market_data.bars WHERE {key}"),
                   timeout=2, message="a published bar was not persisted within 2 s")[0]
    assert [Decimal(v) for v in row[:5]] == [to_decimal(v) for v in (bar.open, bar.high, bar.low, bar.close, bar.volume)]
    assert int(row[5]) == bar.trade_count


def test_quote_event_times_are_distinct_and_increasing_even_when_a_tick_catches_up():
    # market data alone at 5000 steps/s: the 1 ms timer takes several steps per tick
    directory = Path(tempfile.mkdtemp(prefix="tw-md-"))
    config = suite_config(directory, ticks_per_second=5000)
    config["market_data"]["trade_probability_percent"] = 0
    (directory / "tradewind.json").write_text(json.dumps(config))
    suite = Suite(directory, config, shared_database().create_database())
    suite.start("market-data")
    try:
        suite.wait_ready(timeout=30, daemons=["market-data"])
        last: dict[str, int] = {}
        count = 0
        with Subscriber([suite.endpoint("market-data")], topics=["md.quote."]) as subscriber:
            for message in subscriber.messages(limit=3000):
                instrument = message.payload.instrument
                time_ns = message.envelope.event_time_ns
                assert time_ns > last.get(instrument, 0), f"{instrument}: event time {time_ns} not after {last.get(instrument)}"
                last[instrument] = time_ns
                count += 1
        assert count == 3000
    finally:
        suite.kill_all()


def test_every_intent_is_persisted_with_its_fields(persisted):
    view = wait_for(lambda: (v := http_json(persisted.url("signal-bridge", "/v1/signals")))["intents"] >= 3 and v,
                    timeout=30, message="fewer than 3 intents")
    # written as produced: within seconds the table holds at least the intents the view counted
    wait_for(lambda: int(scalar(persisted, "SELECT count(*) FROM signal_bridge.intents")) >= view["intents"],
             timeout=10, message="intents in the database never caught up with the signal bridge's count")
    ids = [i["intent_id"] for i in view["recent_intents"]]
    rows = sql(persisted, f"""
        SELECT intent_id, strategy, instrument, side, order_type, time_in_force, quantity, limit_price, correlation_id,
               event_time_ns, sequence FROM signal_bridge.intents
        WHERE intent_id IN ({", ".join("'" + i.replace("'", "''") + "'" for i in ids)})""")
    stored = {r[0]: r for r in rows}
    assert set(stored) == set(ids)
    for intent in view["recent_intents"]:
        _, strategy, instrument, side, order_type, tif, quantity, limit_price, correlation, event_time, sequence = stored[intent["intent_id"]]
        assert (strategy, instrument, side, order_type) == ("ema_cross", intent["instrument"], intent["side"], intent["order_type"])
        assert tif in ("gtc", "ioc") and correlation == intent["intent_id"]
        assert Decimal(quantity) == Decimal(intent["quantity"])
        expected_limit = intent.get("limit_price")
        assert (Decimal(limit_price) if limit_price else None) == (Decimal(expected_limit) if expected_limit else None)
        assert int(event_time) == intent["time_ns"] and int(sequence) > 0


def test_signals_are_persisted_once_per_bus_message(persisted):
    wait_for(lambda: int(scalar(persisted, "SELECT count(*) FROM signal_bridge.signals")) > 50, timeout=20,
             message="fewer than 50 signals persisted")
    sessions, duplicates = sql(persisted, """
        SELECT count(DISTINCT session_ns),
               count(*) - count(DISTINCT (strategy, instrument, name, event_time_ns)) FROM signal_bridge.signals""")[0]
    assert sessions == "1"
    # one signal per quote and instrument, and quotes of one instrument never share an event time
    assert duplicates == "0"
    # signals and intents share the publisher's sequence space: no number is used twice
    clash = scalar(persisted, """
        SELECT count(*) FROM signal_bridge.signals s JOIN signal_bridge.intents i
        ON i.session_ns = s.session_ns AND i.sequence = s.sequence""")
    assert clash == "0"


def test_fills_applied_are_written_as_the_tracker_applies_them(persisted):
    applied = wait_for(lambda: (seq := http_json(persisted.url("position-tracker", "/v1/positions"))["applied_seq"]) >= 10 and seq,
                       timeout=40, message="the tracker applied fewer than 10 fills")
    # while trading goes on, the table catches up with what the tracker had applied within seconds
    wait_for(lambda: int(scalar(persisted, "SELECT count(*) FROM position_tracker.fills_applied")) >= applied,
             timeout=10, message="fills_applied did not catch up with the tracker")
    seqs = [int(r[0]) for r in sql(persisted, "SELECT applied_seq FROM position_tracker.fills_applied ORDER BY applied_seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    keys = sql(persisted, "SELECT fill_key, trade_id, instrument FROM position_tracker.fills_applied")
    assert all(key == f"trade:{instrument}|{trade}" for key, trade, instrument in keys)
    # every fill the tracker applied is one the execution engine reported
    # (the engine publishes a fill before its own view shows it, so allow it a moment)
    wait_for(lambda: http_json(persisted.url("execution-engine", "/v1/orders"))["totals"]["fills"] >= len(keys),
             timeout=5, message="the tracker applied fills the execution engine does not know")


def test_snapshots_are_written_every_interval_with_their_applied_seq(persisted):
    wait_for(lambda: int(scalar(persisted, "SELECT count(*) FROM position_tracker.position_snapshots")) >= 2,
             timeout=20, message="fewer than 2 position snapshots written")
    rows = sql(persisted, "SELECT snapshot_time_ns, applied_seq, positions, portfolio FROM position_tracker.position_snapshots ORDER BY 1")
    times = [int(r[0]) for r in rows]
    assert all(b - a >= SNAPSHOT_INTERVAL_MS * 1_000_000 for a, b in zip(times, times[1:]))
    assert [int(r[1]) for r in rows] == sorted(int(r[1]) for r in rows)
    for _, seq, positions, portfolio in rows:
        # a snapshot holds exactly the fills up to its applied_seq
        assert sum(p["fillCount"] for p in json.loads(positions)) == int(seq)
        assert Decimal(json.loads(portfolio)["peakTotalPnl"]) >= 0


def test_killed_tracker_restores_positions_equal_to_its_persisted_fills(own_persisted):
    persisted = own_persisted
    wait_for(lambda: int(scalar(persisted, "SELECT count(*) FROM position_tracker.position_snapshots")) >= 1
             and int(scalar(persisted, "SELECT count(*) FROM position_tracker.fills_applied")) >= 10,
             timeout=30, message="no snapshot and 10 fills before the crash")
    peak_before = Decimal(scalar(persisted, "SELECT max(peak_total_pnl) FROM position_tracker.position_snapshots"))
    # mid-trading: kill -9, then restart at once
    persisted.processes["position-tracker"].kill()
    persisted.processes["position-tracker"].wait()
    killed_at = time.time_ns()
    persisted.start("position-tracker")
    persisted.wait_ready(timeout=30, daemons=["position-tracker"])
    ready_at = time.time_ns()
    restored = restore_logs(persisted)
    assert len(restored) == 2, "the tracker did not log what it restored"
    assert "restored positions differ" not in persisted.log("position-tracker")
    seq_at_restart = int(restored[-1]["applied_seq"])
    snapshot_seq = int(restored[-1]["snapshot_applied_seq"])
    assert int(restored[-1]["fills_replayed"]) == seq_at_restart - snapshot_seq >= 0

    # trade on a little, then stop the feed so the pipeline drains
    wait_for(lambda: http_json(persisted.url("position-tracker", "/v1/positions"))["applied_seq"] > seq_at_restart + 3,
             timeout=30, message="no fills applied after the restart")
    assert persisted.terminate("market-data") == 0
    # settled includes the restarted tracker's re-reads of the engine's fills (those it missed while down)
    wait_settled(persisted)
    view = tracker_settled(persisted)
    assert view is not None, "the tracker's view and its fills_applied table differ"
    engine = http_json(persisted.url("execution-engine", "/v1/orders"))
    assert_positions_equal_persisted_fills(persisted, view)
    daily = daily_pnl_against_fills(persisted)
    assert_daily_pnl_is_the_sum_of_fills(daily)
    assert sum(Decimal(r[1]) for r in daily) == Decimal(view["portfolio"]["realized_pnl"])
    assert [(d["day"], d["fill_count"]) for d in view["daily_pnl"]] == [(r[0], int(r[3])) for r in sorted(daily)]
    assert Decimal(view["portfolio"]["peak_total_pnl"]) >= peak_before

    seqs = [int(r[0]) for r in sql(persisted, "SELECT applied_seq FROM position_tracker.fills_applied ORDER BY 1")]
    assert seqs == list(range(1, len(seqs) + 1)), "applied_seq did not continue across the restart"

    # Against the execution engine: PUB/SUB drops what was published while the tracker was down,
    # and the tracker reads those fills back from the engine's table (at start, and again after 1 s
    # and 5 s), so in the end it holds every fill the engine made, each exactly once.
    engine_count = sum(t["count"] for t in engine["fill_totals"].values())
    tracker_count = sum(p["fill_count"] for p in view["positions"])
    print(f"\nfills: engine {engine_count}, tracker {tracker_count} (kill to ready {(ready_at - killed_at) / 1e9:.2f} s)")
    assert tracker_count == engine_count, "the tracker did not recover the fills it missed while down"
    unknown = scalar(persisted, """
        SELECT count(*) FROM position_tracker.fills_applied f
        WHERE NOT EXISTS (SELECT 1 FROM execution_engine.fills e WHERE e.trade_id = f.trade_id)""")
    assert unknown == "0", "the tracker holds fills the execution engine never persisted"
    lost = scalar(persisted, """
        SELECT count(*) FROM execution_engine.fills e
        WHERE NOT EXISTS (SELECT 1 FROM position_tracker.fills_applied f WHERE f.trade_id = e.trade_id)""")
    assert lost == "0", "fills persisted by the engine were never applied by the tracker"
    held = {p["instrument"]: Decimal(p["quantity"]) for p in view["positions"]}
    for instrument, totals in engine["fill_totals"].items():
        assert held.get(instrument, Decimal(0)) == Decimal(totals["net_quantity"]), instrument


def test_restart_without_new_fills_restores_identical_positions():
    # a flat market (volatility 0): the strategy never crosses, marks never move; two research
    # orders make the positions, and once a snapshot holds them a restart gives back the same view
    suite = persisted_suite(volatility_bps=0)
    try:
        wait_quotes_reach(suite)
        intents = IntentSender(suite.config["signal_bridge"]["intent_endpoint"], strategy="e2e")
        intents.send_intent("SIM:BTCUSDT", "buy", "0.01")
        intents.send_intent("SIM:ETHUSDT", "sell", "0.1")

        def snapshotted():
            view = tracker_settled(suite)
            if view is None or view["applied_seq"] != 2 or view["resync_reads_pending"]:
                return None
            latest = scalar(suite, "SELECT coalesce(max(applied_seq), 0) FROM position_tracker.position_snapshots")
            return view if latest == "2" and all(p["mark_price"] for p in view["positions"]) else None

        before = wait_for(snapshotted, timeout=30, message="no snapshot of the two fills")
        assert suite.terminate("position-tracker") == 0
        suite.start("position-tracker")
        suite.wait_ready(daemons=["position-tracker"])
        after = wait_for(lambda: (v := http_json(suite.url("position-tracker", "/v1/positions")))["resync_reads_pending"] == 0 and v,
                         timeout=30, message="the restarted tracker's re-reads did not finish")
        assert after == before
        assert restore_logs(suite)[-1]["fills_replayed"] == "0"
    finally:
        suite.kill_all()
