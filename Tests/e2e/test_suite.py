"""End to end: the five daemons trade over real ZeroMQ sockets as separate processes."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from prometheus_client.parser import text_string_to_metric_families

from harness import DAEMONS, http_get, http_json, start_suite, wait_for


@pytest.fixture
def own_suite():
    """A suite of the test's own, for tests that stop daemons (the session's suite stays whole)."""
    running = start_suite()
    yield running
    running.kill_all()


def metric_samples(suite, daemon: str, name: str) -> list:
    status, text = http_get(suite.url(daemon, "/metrics"))
    assert status == 200
    return [s for family in text_string_to_metric_families(text) for s in family.samples if s.name == name]


def test_every_daemon_answers_health_and_ready(suite):
    for daemon in DAEMONS:
        status, body = http_get(suite.url(daemon, "/health"))
        assert status == 200, f"{daemon} /health: {body}"
        status, body = http_get(suite.url(daemon, "/ready"))
        assert status == 200, f"{daemon} /ready: {body}"
        ready = json.loads(body)
        assert ready["ready"] is True
        assert all(check["ok"] for check in ready["checks"].values()), body


def test_info_names_the_bus_endpoints(suite):
    for daemon in DAEMONS:
        info = http_json(suite.url(daemon, "/v1/info"))
        assert info["name"] == f"tradewind-{daemon}"
        assert info["pub_endpoint"] == suite.endpoint(daemon)
    risk = http_json(suite.url("risk-manager", "/v1/info"))
    upstream = {s["endpoint"] for s in risk["subscriptions"]}
    assert suite.endpoint("signal-bridge") in upstream
    assert suite.endpoint("execution-engine") in upstream


def test_orders_are_filled_for_every_instrument(suite):
    orders = wait_for(
        lambda: (o := http_json(suite.url("execution-engine", "/v1/orders")))["totals"]["fills"] >= 20 and o,
        timeout=30, message="fewer than 20 fills within 30 s",
    )
    assert orders["totals"]["filled"] >= 1
    assert orders["totals"]["rejected"] == 0
    assert set(orders["fill_totals"]) == {"SIM:BTCUSDT", "SIM:ETHUSDT"}
    for fill in orders["recent_fills"]:
        assert Decimal(fill["quantity"]) > 0 and Decimal(fill["price"]) > 0 and Decimal(fill["fee"]) > 0
    assert sum(s.value for s in metric_samples(suite, "execution-engine", "tradewind_orders_filled_total")) >= 1
    assert sum(s.value for s in metric_samples(suite, "risk-manager", "tradewind_risk_approvals_total")) >= 1


def test_finished_orders_are_counted_by_reason_code_as_the_order_view_counts_them(suite):
    kinds = ["rejected", "canceled", "expired"]

    def agree():
        totals = http_json(suite.url("execution-engine", "/v1/orders"))["totals"]
        counted = {kind: {s.labels["reason"]: s.value
                          for s in metric_samples(suite, "execution-engine", f"tradewind_orders_{kind}_total")}
                   for kind in kinds}
        return all(sum(counted[kind].values()) == totals[kind] for kind in kinds) and counted
    counted = wait_for(agree, 10, "the order view and the metrics count finished orders differently")
    for kind in kinds:
        assert all(re.fullmatch(r"[A-Z_]+", code) and code != "UNKNOWN" for code in counted[kind]), counted


def test_metrics_are_valid_prometheus_text_with_latency_histograms(suite):
    for daemon in DAEMONS:
        status, text = http_get(suite.url(daemon, "/metrics"))
        assert status == 200
        families = {f.name: f for f in text_string_to_metric_families(text)}
        assert any(name.startswith("tradewind_") for name in families), f"{daemon} exports no tradewind_ metrics"
    buckets = wait_for(
        lambda: (b := metric_samples(suite, "execution-engine", "tradewind_tick_to_trade_seconds_bucket"))
        and max(s.value for s in b) > 0 and b, 30, "no tick-to-trade latency was recorded")
    bounds = sorted(float(s.labels["le"]) for s in buckets if s.labels["le"] != "+Inf")
    assert bounds and bounds[0] <= 1e-5, f"latency buckets do not reach microseconds: {bounds[:5]}"


def test_no_sequence_gaps_were_reported(suite):
    for daemon in DAEMONS[1:]:
        wait_for(lambda: sum(s.value for s in metric_samples(suite, daemon, "tradewind_bus_messages_received_total")) > 0,
                 10, f"{daemon} received nothing")
        gaps = sum(s.value for s in metric_samples(suite, daemon, "tradewind_bus_sequence_gaps_total"))
        assert gaps == 0, f"{daemon} reported {gaps} missing messages"
        dropped = sum(s.value for s in metric_samples(suite, daemon, "tradewind_bus_messages_dropped_total"))
        assert dropped == 0, f"{daemon} dropped {dropped} messages"
        ready = http_json(suite.url(daemon, "/ready"))
        assert ready["checks"]["sequence"]["detail"] == "gaps 0, dropped 0"


def test_positions_equal_the_sum_of_fills(own_suite):
    suite = own_suite
    wait_for(lambda: http_json(suite.url("execution-engine", "/v1/orders"))["totals"]["fills"] >= 10, 30, "no fills")
    # stop the feed so the pipeline drains, then compare the two daemons' views
    assert suite.terminate("market-data") == 0

    def settled():
        engine = http_json(suite.url("execution-engine", "/v1/orders"))
        tracker = http_json(suite.url("position-tracker", "/v1/positions"))
        net = {i: Decimal(t["net_quantity"]) for i, t in engine["fill_totals"].items()}
        held = {p["instrument"]: Decimal(p["quantity"]) for p in tracker["positions"]}
        fills = sum(t["count"] for t in engine["fill_totals"].values())
        counted = sum(p["fill_count"] for p in tracker["positions"])
        return (net, held) if fills > 0 and fills == counted else None

    net, held = wait_for(settled, timeout=10, message="position tracker did not catch up with the fills")
    for instrument in set(net) | set(held):
        assert held.get(instrument, Decimal(0)) == net.get(instrument, Decimal(0)), instrument


def test_sigterm_stops_every_daemon_with_exit_code_zero(own_suite):
    suite = own_suite
    wait_for(lambda: http_json(suite.url("execution-engine", "/v1/orders"))["totals"]["fills"] >= 3, 30, "no fills")
    codes = suite.stop_all()
    assert codes == {daemon: 0 for daemon in codes}, codes
