"""Persistence of the execution engine and risk manager: the audit trail, crashes, an outage."""

from __future__ import annotations

import json
import subprocess
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from harness import (
    ROOT, Database, DatabaseError, binary_dir, http_get, http_json, http_post, ready_checks, shared_database,
    start_suite, suite_config, wait_for, wait_quotes_reach, wait_settled,
)
from tradewind import IntentSender


def metric_samples(suite, daemon: str, name: str) -> list:
    status, text = http_get(suite.url(daemon, "/metrics"))
    assert status == 200
    return [s for family in text_string_to_metric_families(text) for s in family.samples if s.name == name]


def fills_in_database(suite, database) -> dict[str, Decimal]:
    rows = database.sql(
        "SELECT instrument, sum(CASE side WHEN 'buy' THEN quantity ELSE -quantity END) "
        "FROM execution_engine.fills GROUP BY instrument", url=suite.database_url)
    return {instrument: Decimal(total) for instrument, total in rows}


def audit_verify(suite) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary_dir() / "tradewind"), "audit", "verify", "--database-url", suite.database_url],
                          capture_output=True, text=True, timeout=60)


def wait_until_persisted(suite, database, timeout: float = 20.0) -> None:
    """Waits until the database holds every order event and fill the engine reports."""
    def caught_up():
        engine = http_json(suite.url("execution-engine", "/v1/orders"))["totals"]
        orders, fills = database.sql(
            "SELECT (SELECT count(*) FROM execution_engine.orders), (SELECT count(*) FROM execution_engine.fills)",
            url=suite.database_url)[0]
        return int(orders) >= engine["orders"] and int(fills) >= engine["fills"]
    wait_for(caught_up, timeout, "the database did not catch up with the engine")


@pytest.fixture
def crash_suite():
    suite = start_suite()
    yield suite
    suite.kill_all()


def test_audit_trail_refuses_update_and_delete_and_detects_tampering(crash_suite):
    suite = crash_suite
    database = shared_database()
    wait_for(lambda: http_json(suite.url("execution-engine", "/v1/orders"))["totals"]["fills"] >= 3, 30, "no fills")
    wait_until_persisted(suite, database)
    for statement in ["UPDATE execution_engine.order_audit_trail SET status = 'filled' WHERE sequence = 1",
                      "DELETE FROM execution_engine.order_audit_trail WHERE sequence = 1",
                      "TRUNCATE execution_engine.order_audit_trail"]:
        with pytest.raises(DatabaseError, match="append-only"):
            database.sql(statement, url=suite.database_url)
    assert suite.terminate("market-data") == 0
    wait_settled(suite)
    verified = audit_verify(suite)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "intact" in verified.stdout

    # a superuser who disables the trigger can still change a row, but not without breaking the chain
    database.sql(
        "BEGIN; ALTER TABLE execution_engine.order_audit_trail DISABLE TRIGGER order_audit_trail_no_update_delete; "
        "UPDATE execution_engine.order_audit_trail SET content = replace(content, '\"status\"', '\"status \"') WHERE sequence = 2; "
        "ALTER TABLE execution_engine.order_audit_trail ENABLE TRIGGER order_audit_trail_no_update_delete; COMMIT;",
        url=suite.database_url)
    broken = audit_verify(suite)
    assert broken.returncode == 1
    assert "BROKEN at sequence 2" in broken.stdout


def test_execution_engine_crash_loses_no_audit_record_and_duplicates_no_order(crash_suite):
    suite = crash_suite
    database = shared_database()
    wait_for(lambda: http_json(suite.url("execution-engine", "/v1/orders"))["totals"]["fills"] >= 5, 30, "no fills")
    suite.processes["execution-engine"].kill()  # kill -9, mid-trading
    suite.processes["execution-engine"].wait()
    suite.start("execution-engine")
    suite.wait_ready(daemons=["execution-engine"])
    wait_for(lambda: http_json(suite.url("execution-engine", "/v1/orders"))["totals"]["fills"] >= 3, 30,
             "the restarted engine does not trade")
    assert suite.terminate("market-data") == 0
    wait_settled(suite)

    # every order has one audit row per event, numbered 1..event_count, and the chain holds
    gaps = database.sql(
        "SELECT o.client_order_id FROM execution_engine.orders o "
        "LEFT JOIN execution_engine.order_audit_trail a USING (client_order_id) "
        "GROUP BY o.client_order_id, o.event_count HAVING count(a.sequence) <> o.event_count "
        "OR coalesce(max(a.event_number), 0) <> o.event_count", url=suite.database_url)
    assert gaps == [], f"orders whose audit rows are incomplete: {gaps[:5]}"
    verified = audit_verify(suite)
    assert verified.returncode == 0, verified.stdout
    # no intent became two orders
    assert database.sql("SELECT intent_id FROM execution_engine.orders GROUP BY intent_id HAVING count(*) > 1",
                        url=suite.database_url) == []
    # positions equal the sum of persisted fills (settled: no fill and no re-read of them is to come)
    held = {p["instrument"]: Decimal(p["quantity"]) for p in http_json(suite.url("position-tracker", "/v1/positions"))["positions"]}
    assert held == fills_in_database(suite, database), "positions differ from persisted fills"
    assert_tracker_holds_exactly_the_engine_fills(suite, database)


def assert_tracker_holds_exactly_the_engine_fills(suite, database) -> None:
    """Every fill the engine persisted was applied by the tracker once, and it applied no other."""
    engine = {tuple(r) for r in database.sql("SELECT client_order_id, trade_id FROM execution_engine.fills", url=suite.database_url)}
    tracker = database.sql("SELECT client_order_id, trade_id FROM position_tracker.fills_applied", url=suite.database_url)
    assert len(tracker) == len({tuple(r) for r in tracker}), "the tracker applied a fill twice"
    assert {tuple(r) for r in tracker} == engine, (
        f"only in the engine: {sorted(engine - {tuple(r) for r in tracker})[:5]}, "
        f"only in the tracker: {sorted({tuple(r) for r in tracker} - engine)[:5]}")


def test_engine_killed_between_journaling_a_fill_and_publishing_it_loses_no_fill():
    """The engine journals an order event before it publishes the report: killed right after
    journaling its twentieth fill (its bus thread stalled there, as a descheduled thread would be), it
    comes back with that fill in its tables, and the position tracker and the risk manager, which
    never saw it on the bus, read it back. Publishing before journaling fails this test: the stall
    lets the report out, and the tracker then holds a fill the engine's tables never got."""
    database = shared_database()
    # the engine may reach its crash point before it would be seen ready: wait for the others only.
    # They are ready once they heard its heartbeat (every 500 ms), so it must not crash before its
    # first one: at 100 ticks a second the fifth fill could come first.
    suite = start_suite(daemon_env={"execution-engine": {"TRADEWIND_CRASH_AT": "execution.fill_journaled:20"}},
                        ready=["market-data", "signal-bridge", "risk-manager", "position-tracker"])
    try:
        engine = suite.processes["execution-engine"]
        wait_for(lambda: engine.poll() is not None, 60, "the engine never reached its crash point")
        assert engine.returncode == -9, engine.returncode
        assert "crash point execution.fill_journaled reached (pass 20)" in suite.log("execution-engine")
        suite.start("execution-engine", env={})
        suite.wait_ready(daemons=["execution-engine"])
        wait_for(lambda: http_json(suite.url("execution-engine", "/v1/orders"))["totals"]["fills"] >= 3, 30,
                 "the restarted engine does not trade")
        assert suite.terminate("market-data") == 0
        wait_settled(suite)
        assert int(database.sql("SELECT count(*) FROM execution_engine.fills", url=suite.database_url)[0][0]) >= 8
        assert_tracker_holds_exactly_the_engine_fills(suite, database)
        held = {p["instrument"]: Decimal(p["quantity"]) for p in http_json(suite.url("position-tracker", "/v1/positions"))["positions"]}
        assert held == fills_in_database(suite, database)
        assert ready_checks(suite, "position-tracker")["sequence"]["ok"], "the tracker still re-syncs"
        # the risk manager, which never saw that fill either, counted it from the engine's table too
        wait_for(lambda: ready_checks(suite, "risk-manager")["sequence"]["ok"], 30, "the risk manager still re-syncs")
        risk = {i: Decimal(q) for i, q in http_json(suite.url("risk-manager", "/v1/risk"))["positions"].items() if Decimal(q) != 0}
        assert risk == {i: q for i, q in fills_in_database(suite, database).items() if q != 0}
        assert audit_verify(suite).returncode == 0
    finally:
        suite.kill_all()


def test_risk_manager_crash_keeps_the_kill_switch_engaged(crash_suite):
    suite = crash_suite
    database = shared_database()
    status, body = http_post(suite.url("risk-manager", "/v1/kill"), token="wrong")
    assert status == 401, body
    assert http_json(suite.url("risk-manager", "/v1/risk"))["kill_switch"] is False
    status, body = http_post(suite.url("risk-manager", "/v1/kill?reason=e2e"))
    assert status == 200, body
    wait_for(lambda: database.sql("SELECT kill_switch FROM risk_manager.risk_state", url=suite.database_url) == [["t"]],
             10, "kill switch not persisted")

    suite.processes["risk-manager"].kill()
    suite.processes["risk-manager"].wait()
    suite.start("risk-manager")
    suite.wait_ready(daemons=["risk-manager"])
    risk = http_json(suite.url("risk-manager", "/v1/risk"))
    assert risk["kill_switch"] is True and risk["trading_state"] == "HALTED"
    denied_before = int(database.sql("SELECT count(*) FROM risk_manager.decisions WHERE reason_code = 'KILL_SWITCH'",
                                     url=suite.database_url)[0][0])
    wait_for(lambda: int(database.sql("SELECT count(*) FROM risk_manager.decisions WHERE reason_code = 'KILL_SWITCH'",
                                      url=suite.database_url)[0][0]) > denied_before, 20, "intents are not denied while halted")

    status, body = http_post(suite.url("risk-manager", "/v1/resume"))
    assert status == 200, body
    assert http_json(suite.url("risk-manager", "/v1/risk"))["trading_state"] == "ACTIVE"


def test_risk_manager_crash_still_refuses_an_intent_whose_order_finished():
    database = shared_database()
    directory = Path(tempfile.mkdtemp(prefix="tw-dup-"))
    config = suite_config(directory)
    config["signal_bridge"]["intent_endpoint"] = f"ipc://{directory}/bus/intents"
    # a flat price: the EMA strategy never crosses, so its positions leave the research order room
    config["market_data"]["volatility_bps"] = 0
    suite = start_suite(config, directory=directory)
    try:
        instrument = "SIM:BTCUSDT"
        sender = IntentSender(config["signal_bridge"]["intent_endpoint"], strategy="e2e")

        def decided(intent_id: str) -> set[tuple[str, str]]:
            rows = database.sql("SELECT decision, coalesce(reason_code, '') FROM risk_manager.decisions "
                                f"WHERE intent_id = '{intent_id}'", url=suite.database_url)
            return {(row[0], row[1]) for row in rows}

        def reaches_risk(intent_id: str) -> bool:
            # an intent below the lot size is denied, never traded: resending it until risk decides
            # proves the path sender → signal bridge → risk manager is up
            if decided(intent_id):
                return True
            sender.send_intent(instrument, "buy", "0.00001", intent_id=intent_id)
            return False

        probe = f"probe-{uuid.uuid4().hex[:8]}"
        wait_for(lambda: reaches_risk(probe), 20, "research intents do not reach risk")
        wait_quotes_reach(suite)
        intent_id = f"e2e-{uuid.uuid4().hex[:12]}"
        sender.send_intent(instrument, "buy", "0.001", intent_id=intent_id)  # sent once: a market order that fills
        assert wait_for(lambda: decided(intent_id), 10, "no decision for the research intent") == {("approved", "")}
        wait_for(lambda: database.sql(f"SELECT status FROM execution_engine.orders WHERE client_order_id = 'TW-{intent_id}'",
                                      url=suite.database_url) == [["filled"]], 20, "the research order did not fill")
        wait_for(lambda: database.sql("SELECT kind FROM risk_manager.dedupe_keys "
                                      f"WHERE key = 'TW-{intent_id}'", url=suite.database_url) == [["finished_order"]],
                 10, "risk did not persist that the order finished")
        assert decided(intent_id) == {("approved", "")}

        suite.processes["risk-manager"].kill()  # kill -9
        suite.processes["risk-manager"].wait()
        suite.start("risk-manager")
        suite.wait_ready(daemons=["risk-manager"])

        def refused_as_duplicate() -> bool:
            # resent until the restarted risk manager's subscription to the bridge is up
            if ("denied", "DUPLICATE_INTENT") in decided(intent_id):
                return True
            sender.send_intent(instrument, "buy", "0.001", intent_id=intent_id)
            return False
        wait_for(refused_as_duplicate, 20, "the restarted risk manager did not refuse the resent intent")
        assert decided(intent_id) == {("approved", ""), ("denied", "DUPLICATE_INTENT")}
        assert database.sql(f"SELECT count(*) FROM execution_engine.orders WHERE intent_id = '{intent_id}'",
                            url=suite.database_url) == [["1"]]
        sender.close()
    finally:
        suite.kill_all()


def test_database_outage_loses_and_duplicates_nothing(tmp_path):
    database = Database(ROOT / ".run" / "test-pg-e2e-outage", 5438)
    database.start()
    suite = start_suite(suite_config(tmp_path), database_url=database.create_database())
    try:
        wait_for(lambda: http_json(suite.url("execution-engine", "/v1/orders"))["totals"]["fills"] >= 3, 30, "no fills")
        before = http_json(suite.url("execution-engine", "/v1/orders"))["totals"]
        database.stop()
        wait_for(lambda: not ready_checks(suite, "execution-engine")["database"]["ok"], 30,
                 "/ready did not degrade during the outage")
        # trading goes on without the database: fills made after the outage began
        wait_for(lambda: http_json(suite.url("execution-engine", "/v1/orders"))["totals"]["fills"] >= before["fills"] + 3,
                 30, "nothing traded during the outage")
        status, body = http_get(suite.url("execution-engine", "/ready"))
        assert status == 503 and not json.loads(body)["checks"]["database"]["ok"], body
        database.start()
        assert suite.terminate("market-data") == 0
        wait_settled(suite, timeout=60)
        engine = http_json(suite.url("execution-engine", "/v1/orders"))["totals"]
        orders, fills, audit, events = database.sql(
            "SELECT (SELECT count(*) FROM execution_engine.orders), (SELECT count(*) FROM execution_engine.fills), "
            "(SELECT count(*) FROM execution_engine.order_audit_trail), "
            "(SELECT coalesce(sum(event_count), 0) FROM execution_engine.orders)", url=suite.database_url)[0]
        assert int(orders) == engine["orders"]
        assert int(fills) == engine["fills"]
        assert int(audit) == int(events)
        # every daemon's writer reconnects on its own backoff (at most 5 s): wait for the risk manager's
        # decisions, every one it made (its own counters) exactly once
        decided = sum(s.value for name in ("tradewind_risk_approvals_total", "tradewind_risk_denials_total")
                      for s in metric_samples(suite, "risk-manager", name))
        assert decided > 0
        wait_for(lambda: int(database.sql("SELECT count(*) FROM risk_manager.decisions", url=suite.database_url)[0][0])
                 == decided, 30, "risk decisions made during the outage are missing")
        intents = http_json(suite.url("signal-bridge", "/v1/signals"))["intents"]
        wait_for(lambda: int(database.sql("SELECT count(*) FROM signal_bridge.intents", url=suite.database_url)[0][0])
                 == intents, 30, "intents made during the outage are missing")
        assert audit_verify(suite).returncode == 0
    finally:
        suite.kill_all()
        database.stop()


LEGACY_REASONS = [
    ("LOCAL:INVALID_QUANTITY", "INVALID_QUANTITY", ""),
    ("LOCAL:SLIPPAGE_GUARD", "SLIPPAGE_GUARD", ""),
    ("VENUE_UNAVAILABLE: transient: -1008 Server is busy.", "VENUE_UNAVAILABLE", "transient: -1008 Server is busy."),
    ("UNFILLED_REMAINDER", "UNFILLED_REMAINDER", ""),
    ("UNKNOWN_ORDER (-2011: Unknown order sent.)", "UNKNOWN_ORDER", "(-2011: Unknown order sent.)"),
    ("EXPIRED", "EXPIRED_AT_VENUE", "EXPIRED"),
    ("EXPIRED_IN_MATCH", "EXPIRED_AT_VENUE", "EXPIRED_IN_MATCH"),
    ("REJECTED", "REJECTED_AT_VENUE", "REJECTED"),
    ("SLIPPAGE_GUARD:CONVERTED_TO_IOC_LIMIT price=101.5 mid=101 collar_bps=50", "SLIPPAGE_GUARD_CONVERTED",
     "price=101.5 mid=101 collar_bps=50"),
    ("-2010: Account has insufficient balance", "UNKNOWN", "-2010: Account has insufficient balance"),
]


def test_order_reasons_of_older_builds_become_a_code_and_a_detail(suite):
    """Migration 4 reads the free-text reasons older builds wrote as OrderReason(legacy:) does, and
    a row an older build's journal still inserts with `reason` alone gets its code and detail."""
    database = shared_database()
    for text, code, detail in LEGACY_REASONS:
        quoted = text.replace("'", "''")
        assert database.sql(f"SELECT code, detail FROM execution_engine.legacy_order_reason('{quoted}')",
                            url=suite.database_url) == [[code, detail]], text

    legacy = "e2e-legacy-reason"
    try:
        database.sql(
            "INSERT INTO execution_engine.orders (client_order_id, intent_id, strategy, instrument, side, order_type, "
            "time_in_force, quantity, status, filled_quantity, fees, reason, event_count, created_time_ns, "
            f"updated_time_ns, state) VALUES ('{legacy}', 'legacy', 'e2e', 'SIM:BTCUSDT', 'buy', 'limit', 'gtc', 1, "
            "'rejected', 0, 0, 'VENUE_UNAVAILABLE: transient: 503', 2, 1, 1, '{}')", url=suite.database_url)
        select = f"SELECT reason_code, reason_detail FROM execution_engine.orders WHERE client_order_id = '{legacy}'"
        assert database.sql(select, url=suite.database_url) == [["VENUE_UNAVAILABLE", "transient: 503"]]
        # the backfill of rows that were there before the migration reads the same text the same way
        database.sql(f"UPDATE execution_engine.orders SET reason_code = NULL, reason_detail = NULL "
                     f"WHERE client_order_id = '{legacy}'", url=suite.database_url)
        assert database.sql(select, url=suite.database_url) == [["VENUE_UNAVAILABLE", "transient: 503"]]
    finally:
        database.sql(f"DELETE FROM execution_engine.orders WHERE client_order_id = '{legacy}'", url=suite.database_url)

