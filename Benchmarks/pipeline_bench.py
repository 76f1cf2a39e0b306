#!/usr/bin/env python3
"""Pipeline benchmark: throughput and quote-to-fill latency of the five daemons on one host.

Starts the real suite (release binaries from $TRADEWIND_BIN) at several synthetic tick rates and,
for each, reports messages per second through the bus and the latency of every hop measured on the
wire: each intent and approved order carries the event time of the quote that caused it, fill
reports and position updates carry the intent id (their event time is the venue's), and every
message its own publish time (all CLOCK_REALTIME, same host), so publish - quote is the exact time
from quote to that hop, free of the observer's own delay. Risk order-rate limits are lifted so the
figures show the pipeline, not the policy.

    BENCH_RATES=100,1000,5000 BENCH_SECONDS=15 make bench
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "e2e"))

from harness import DAEMONS, http_get, start_suite, suite_config  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402
from tradewind import Subscriber  # noqa: E402

HOPS = {"intent": "quote → intent", "approved_order": "quote → approved", "execution_report": "quote → fill report", "position": "quote → position"}


def counter(suite, daemon: str, name: str) -> float:
    status, text = http_get(suite.url(daemon, "/metrics"))
    return sum(s.value for f in text_string_to_metric_families(text) for s in f.samples if s.name == name) if status == 200 else 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(rate: int, seconds: float) -> dict:
    import tempfile
    directory = Path(tempfile.mkdtemp(prefix="tw-bench-"))
    config = suite_config(directory, ticks_per_second=rate)
    # measure the pipeline, not the risk policy: order rates and open orders are not the limit here
    config["risk_manager"].update({
        "strategy_rate_burst": 100_000, "strategy_rate_per_second": 100_000,
        "global_rate_burst": 100_000, "global_rate_per_second": 100_000, "max_open_orders": 10_000,
    })
    suite = start_suite(config)
    try:
        time.sleep(1.0)
        published0 = {d: counter(suite, d, "tradewind_bus_messages_published_total") for d in DAEMONS}
        latencies: dict[str, list[float]] = {hop: [] for hop in HOPS}
        endpoints = [suite.endpoint(d) for d in DAEMONS]
        quote_published: dict[tuple[str, int], int] = {}
        order_origin: dict[str, int] = {}
        with Subscriber(endpoints, topics=["md.quote.", "intent.", "risk.order", "exec.report.", "pos."]) as subscriber:
            started = time.monotonic()
            while time.monotonic() - started < seconds:
                message = subscriber.receive(timeout_ms=200)
                if message is None:
                    continue
                envelope = message.envelope
                if message.payload_name == "quote":
                    quote_published[(message.payload.instrument, envelope.event_time_ns)] = envelope.publish_time_ns
                    continue
                if message.payload_name not in latencies:
                    continue
                if message.payload_name == "execution_report" and message.payload.exec_type not in (2, 3):
                    continue
                if message.payload_name == "position" and not envelope.correlation_id:
                    continue  # periodic re-mark, not caused by a fill
                if message.payload_name in ("execution_report", "position"):
                    # a fill carries the venue's time: its origin is the quote its order came from
                    origin = order_origin.get(envelope.correlation_id)
                    if origin is None:
                        continue
                else:
                    origin = quote_published.get((message.payload.instrument, envelope.event_time_ns), envelope.event_time_ns)
                if message.payload_name == "approved_order":
                    order_origin[envelope.correlation_id] = origin
                latencies[message.payload_name].append((envelope.publish_time_ns - origin) / 1000.0)
            elapsed = time.monotonic() - started
        published1 = {d: counter(suite, d, "tradewind_bus_messages_published_total") for d in DAEMONS}
        gaps = sum(counter(suite, d, "tradewind_bus_sequence_gaps_total") for d in DAEMONS)
        drops = sum(counter(suite, d, "tradewind_bus_messages_dropped_total") for d in DAEMONS)
        received = sum(counter(suite, d, "tradewind_bus_messages_received_total") for d in DAEMONS)
        exit_codes = suite.stop_all()
    finally:
        suite.kill_all()
    rates = {d: (published1[d] - published0[d]) / elapsed for d in DAEMONS}
    return {"rate": rate, "rates": rates, "latencies": latencies, "gaps": gaps, "drops": drops,
            "received": received, "exit_codes": exit_codes}


def main() -> None:
    rates = [int(r) for r in os.environ.get("BENCH_RATES", "100,1000,5000").split(",")]
    seconds = float(os.environ.get("BENCH_SECONDS", "15"))
    print(f"Tradewind pipeline benchmark: {seconds:.0f} s per rate, binaries in {os.environ.get('TRADEWIND_BIN', '(swift build --show-bin-path)')}")
    print(f"host: {os.cpu_count()} cores; every figure measured on the live bus\n")
    for rate in rates:
        result = run(rate, seconds)
        total = sum(result["rates"].values())
        print(f"== ticks_per_second={rate} (x2 instruments)")
        print("   messages published per second: " + ", ".join(f"{d} {r:,.0f}" for d, r in result["rates"].items()) + f"; all {total:,.0f}")
        print(f"   sequence gaps {result['gaps']:.0f}, dropped {result['drops']:.0f}, SIGTERM exit codes {sorted(set(result['exit_codes'].values()))}")
        print(f"   {'hop':<22}{'count':>7}{'p50 µs':>10}{'p90 µs':>10}{'p99 µs':>10}{'max µs':>10}{'mean µs':>10}")
        for hop, label in HOPS.items():
            values = result["latencies"][hop]
            if not values:
                print(f"   {label:<22}{0:>7}")
                continue
            print(f"   {label:<22}{len(values):>7}{percentile(values, .5):>10.0f}{percentile(values, .9):>10.0f}"
                  f"{percentile(values, .99):>10.0f}{max(values):>10.0f}{statistics.fmean(values):>10.0f}")
        print()


if __name__ == "__main__":
    main()
