"""The operator's `tradewind` tool against a running suite: it finds the daemons from the suite's
config file, as the daemons do, and reports what their HTTP views and the bus say."""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal

from harness import (
    API_TOKEN, DAEMONS, ClosedPort, binary_dir, http_json, start_suite, suite_config, wait_for, wait_quotes_reach,
)
from tradewind import IntentSender


def tradewind(suite, *args, config=None, token=API_TOKEN, timeout=30):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIND_")}
    if token is not None:
        env["TRADEWIND_API_TOKEN"] = token
    config = config or suite.cli_config()
    return subprocess.run([str(binary_dir() / "tradewind"), *args, "--config", str(config)], cwd=suite.directory,
                          env=env, capture_output=True, text=True, timeout=timeout)


def test_status_lists_every_daemon_ready_and_the_trading_state(suite):
    result = tradewind(suite, "status")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for daemon in DAEMONS:
        row = next(line for line in lines if line.startswith(daemon + " "))
        assert f"127.0.0.1:{suite.port(daemon)}" in row
        assert row.split()[2:4] == ["ok", "ready"], row
    assert "trading: ACTIVE  kill switch: off" in result.stdout


def test_status_names_a_daemon_that_does_not_answer_and_fails(suite, tmp_path):
    with ClosedPort() as closed:
        path = suite.cli_config(tmp_path / "tradewind.json", position_tracker=closed)
        result = tradewind(suite, "status", config=path)
    assert result.returncode == 1
    row = next(line for line in result.stdout.splitlines() if line.startswith("position-tracker "))
    assert row.split()[2:4] == ["down", "down"], row


def test_bad_config_names_the_key(suite, tmp_path):
    path = tmp_path / "tradewind.json"
    path.write_text(json.dumps({"risk_manager": {"http_port": 70000}}))
    result = tradewind(suite, "status", config=path)
    assert result.returncode != 0
    assert "risk_manager.http_port" in result.stderr, result.stderr


def test_tail_prints_bus_messages_as_json_lines(suite):
    result = tradewind(suite, "tail", "md.quote.", "--count", "20", "--seconds", "20")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 20
    sequences = [int(line["envelope"]["sequence"]) for line in lines]
    assert sequences == sorted(sequences) and len(set(sequences)) == 20
    for line in lines:
        assert line["topic"].startswith("md.quote.")
        assert line["envelope"]["publisher"] == "market-data"
        assert "quote" in line["envelope"]
        assert line["topic"] == "md.quote." + line["envelope"]["quote"]["instrument"]

    everything = tradewind(suite, "tail", "--count", "50", "--seconds", "20")
    assert everything.returncode == 0, everything.stderr
    topics = [json.loads(line)["topic"] for line in everything.stdout.splitlines()]
    assert len(topics) == 50 and not any(topic.startswith("hb.") for topic in topics)

    fills = tradewind(suite, "tail", "exec.report.", "--count", "1", "--seconds", "30")
    assert fills.returncode == 0, fills.stderr
    report = json.loads(fills.stdout)["envelope"]
    assert report["publisher"] == "execution-engine" and report["correlationId"]


def test_tail_gives_up_after_its_time_with_exit_1(suite):
    result = tradewind(suite, "tail", "no.such.topic", "--count", "1", "--seconds", "1")
    assert result.returncode == 1
    assert "0 of 1 messages" in result.stderr


def test_orders_and_positions_show_the_daemons_views(suite):
    wait_for(lambda: http_json(suite.url("position-tracker", "/v1/positions"))["positions"], 30, "a position")
    orders = tradewind(suite, "orders", "--json")
    assert orders.returncode == 0, orders.stderr
    view = json.loads(orders.stdout)
    assert set(view) == {"open_orders", "recent_orders", "recent_fills", "fill_totals", "totals"}
    assert view["totals"]["fills"] > 0

    table = tradewind(suite, "orders", "--recent")
    assert table.returncode == 0, table.stderr
    assert "recent finished orders:" in table.stdout and "FILLED" in table.stdout
    assert table.stdout.splitlines()[-1].startswith("totals: orders ")

    positions = tradewind(suite, "positions")
    assert positions.returncode == 0, positions.stderr
    tracker = http_json(suite.url("position-tracker", "/v1/positions"))
    lines = positions.stdout.splitlines()
    assert lines[0].split()[:3] == ["INSTRUMENT", "QTY", "AVG"]
    rows = [line.split() for line in lines[1:] if line.strip() and not line.startswith("portfolio:")]
    assert {row[0] for row in rows} == {position["instrument"] for position in tracker["positions"]}
    for row in rows:
        Decimal(row[1]), Decimal(row[4])  # quantities and PnL are exact decimals
    assert "portfolio: total PnL " in positions.stdout


def test_cancel_all_needs_the_token_and_cancels_the_open_orders(tmp_path):
    # a flat market (volatility 0): the strategy never trades, so the only open orders are two
    # research bids resting below the mid, and cancel-all must name exactly those and cancel them
    directory = tmp_path / "suite"
    directory.mkdir()
    config = suite_config(directory)
    config["market_data"]["volatility_bps"] = 0
    suite = start_suite(config, directory=directory)
    try:
        wait_quotes_reach(suite)
        intents = IntentSender(config["signal_bridge"]["intent_endpoint"], strategy="e2e")
        resting = {"TW-" + intents.send_intent("SIM:BTCUSDT", "buy", "0.001", limit_price="64800.00") for _ in range(2)}
        other = "TW-" + intents.send_intent("SIM:ETHUSDT", "buy", "0.01", limit_price="3190.00")
        wait_for(lambda: {o["client_order_id"] for o in http_json(suite.url("execution-engine", "/v1/orders"))["open_orders"]}
                 == resting | {other}, 20, "the research bids do not rest")

        refused = tradewind(suite, "cancel-all", "--reason", "cli e2e", token="wrong")
        assert refused.returncode == 1 and "401" in refused.stderr, refused.stderr
        unknown = tradewind(suite, "cancel-all", "--instrument", "SIM:NOPE")
        assert unknown.returncode == 1 and "400" in unknown.stderr, unknown.stderr
        done = tradewind(suite, "cancel-all", "--reason", "cli e2e", "--instrument", "SIM:BTCUSDT")
        assert done.returncode == 0, done.stderr
        assert set(json.loads(done.stdout)["canceling"]) == resting
        wait_for(lambda: {o["client_order_id"] for o in http_json(suite.url("execution-engine", "/v1/orders"))["open_orders"]}
                 == {other}, 10, "the canceled bids are still open")
        recent = {o["client_order_id"]: o["status"] for o in http_json(suite.url("execution-engine", "/v1/orders"))["recent_orders"]}
        assert all(recent[order].lower() == "canceled" for order in resting), recent
    finally:
        suite.kill_all()
