"""A Python research client (pyzmq + the committed generated code) decodes the live topics."""

from __future__ import annotations

import time
from decimal import Decimal

from tradewind import Subscriber, to_decimal


def collect(subscriber: Subscriber, wanted: set[str], timeout: float = 30.0) -> dict:
    seen: dict = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not wanted <= set(seen):
        message = subscriber.receive(timeout_ms=500)
        if message is not None:
            seen.setdefault(message.payload_name, message)
    return seen


def test_python_subscriber_decodes_every_live_topic(suite):
    endpoints = [suite.endpoint(d) for d in ["market-data", "signal-bridge", "risk-manager", "execution-engine", "position-tracker"]]
    with Subscriber(endpoints) as subscriber:
        wanted = {"quote", "heartbeat", "signal", "intent", "approved_order", "execution_report", "position", "portfolio_pnl"}
        seen = collect(subscriber, wanted)
        assert wanted <= set(seen), f"missing {wanted - set(seen)}"
        assert subscriber.malformed == 0

    quote = seen["quote"]
    assert quote.topic == f"md.quote.{quote.payload.instrument}"
    assert to_decimal(quote.payload.ask_price) > to_decimal(quote.payload.bid_price) > 0
    report = seen["execution_report"]
    assert report.topic.startswith("exec.report.")
    assert report.envelope.correlation_id == report.payload.intent_id != ""
    assert isinstance(to_decimal(seen["position"].payload.quantity), Decimal)
    assert seen["heartbeat"].topic.startswith("hb.")


def test_discovery_through_info_finds_the_publisher(suite):
    with Subscriber.discover(suite.url("market-data", ""), topics=["md.quote."]) as subscriber:
        message = subscriber.receive(timeout_ms=5000)
        assert message is not None and message.payload_name == "quote"
        assert message.envelope.publisher == "market-data"
        assert message.envelope.sequence > 0
