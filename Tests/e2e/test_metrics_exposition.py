"""What the five daemons really serve on /metrics, checked against what monitoring expects of it:
promtool accepts each exposition, each daemon says its build, and every metric the alert rules and
the Grafana dashboards name is exported by a running suite (or is on an explicit list of metrics
that only something else makes appear)."""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from harness import DAEMONS, ROOT, http_get, http_post, metric_total, start_suite, suite_config, wait_for

PROMQL_CHECK = ROOT / "scripts" / "promql_check.py"
# Debian's python3 with python3-yaml (make test-deps): promql_check reads the rules' YAML
SYSTEM_PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else "python3"
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")

# Metric families the rules and dashboards may name although the plain synthetic suite of this test
# does not export them. Each must still be a metric name in the Swift sources, so a typo here or
# in a rule cannot hide.
NOT_FROM_THE_SYNTHETIC_SUITE = {
    # exported by the meta-health service (`tradewind health --serve`), not by a daemon
    "tradewind_health_score": "meta-health service",
    "tradewind_health_state": "meta-health service",
    "tradewind_health_sensor": "meta-health service",
    # market-data on the live Binance feed only (this suite's feed is synthetic)
    "tradewind_feed_stale": "live Binance feed",
    "tradewind_feed_silence_seconds": "live Binance feed",
    "tradewind_feed_latency_seconds": "live Binance feed",
    "tradewind_feed_reconnects_total": "live Binance feed",
    "tradewind_feed_resyncs_total": "live Binance feed",
    # execution-engine on a real (HTTP) venue only (this suite's venue is simulated)
    "tradewind_venue_request_seconds": "real venue",
    # counters and gauges labelled by what only their first event names (a gap's publisher, a
    # drop's reason, a failing venue, a reject's reason code, a difference's kind): they appear
    # at that event, which a healthy suite does not produce
    "tradewind_bus_sequence_gaps_total": "first sequence gap",
    "tradewind_bus_messages_dropped_total": "first malformed message",
    "tradewind_circuit_breaker_state": "first venue failure",
    "tradewind_circuit_breaker_trips_total": "first venue failure",
    "tradewind_orders_rejected_total": "first rejected order",
    "tradewind_orders_canceled_total": "first canceled order",
    "tradewind_orders_expired_total": "first expired order",
    "tradewind_reconciliation_differences_total": "first reconciliation difference",
}


@pytest.fixture(scope="session")
def expositions() -> dict[str, str]:
    """Each daemon's /metrics text from a suite that has filled orders and then denied an intent
    (the kill switch engaged: tradewind_risk_denials_total appears at the first denial). The
    suite is stopped before the tests look at the texts."""
    directory = Path(tempfile.mkdtemp(prefix="tw-metrics-"))
    suite = start_suite(suite_config(directory), directory=directory)
    try:
        wait_for(lambda: metric_total(suite, "execution-engine", "tradewind_fills_total") >= 3, 60, "no fills")
        status, body = http_post(suite.url("risk-manager", "/v1/kill?reason=e2e%20metrics%20exposition"))
        assert status == 200, body
        wait_for(lambda: metric_total(suite, "risk-manager", "tradewind_risk_denials_total") > 0, 30,
                 "the risk manager denied no intent with the kill switch engaged")
        texts = {}
        for daemon in DAEMONS:
            status, body = http_get(suite.url(daemon, "/metrics"))
            assert status == 200, f"{daemon} /metrics answered {status}"
            texts[daemon] = body
        return texts
    finally:
        suite.kill_all()
        shutil.rmtree(directory, ignore_errors=True)


def exported_names(text: str) -> set[str]:
    """Family names (from # TYPE) and sample names."""
    names = set(re.findall(r"^# TYPE (\S+) ", text, re.MULTILINE))
    for family in text_string_to_metric_families(text):
        names.update(sample.name for sample in family.samples)
    return names


def family(name: str) -> str:
    for suffix in HISTOGRAM_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def referenced_metrics() -> dict[str, list[str]]:
    import json
    out = subprocess.run([SYSTEM_PYTHON, str(PROMQL_CHECK), "--list-metrics"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def swift_metric_names() -> set[str]:
    names = set()
    for directory in ("Shared", "Services", "Clients"):
        for path in (ROOT / directory).rglob("*.swift"):
            names.update(re.findall(r'"(tradewind_[a-z0-9_]+)"', path.read_text(errors="replace")))
    return names


def test_promtool_accepts_every_daemons_metrics(expositions):
    promtool = shutil.which("promtool")
    assert promtool, "promtool missing: make test-deps installs Debian's prometheus"
    problems = {}
    for daemon, text in expositions.items():
        out = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True)
        if out.returncode != 0:
            problems[daemon] = (out.stdout + out.stderr).strip()
    assert not problems, "promtool check metrics refuses:\n" + "\n".join(
        f"--- {daemon}:\n{report}" for daemon, report in problems.items())


def test_every_daemon_exports_its_build_info(expositions):
    problems = []
    for daemon, text in expositions.items():
        samples = [sample for metric in text_string_to_metric_families(text) for sample in metric.samples
                   if sample.name == "tradewind_build_info"]
        if len(samples) != 1:
            problems.append(f"{daemon}: {len(samples)} tradewind_build_info samples")
            continue
        sample = samples[0]
        if sample.value != 1 or not sample.labels.get("version") or not sample.labels.get("commit"):
            problems.append(f"{daemon}: tradewind_build_info{sample.labels} {sample.value}, expected 1 with version and commit")
    assert not problems, "\n".join(problems)


def test_every_metric_the_rules_and_dashboards_name_is_exported(expositions):
    exported = set().union(*(exported_names(text) for text in expositions.values()))
    referenced = referenced_metrics()
    assert len(referenced) > 20, f"too few metric names found in the rules and dashboards: {sorted(referenced)}"
    in_swift = swift_metric_names()
    missing, unknown_exceptions = [], []
    for name, where in referenced.items():
        if name in exported or family(name) in exported:
            continue
        if family(name) in NOT_FROM_THE_SYNTHETIC_SUITE:
            if family(name) not in in_swift:
                unknown_exceptions.append(f"{family(name)} (allowed: {NOT_FROM_THE_SYNTHETIC_SUITE[family(name)]}) "
                                          f"is no metric name in the Swift sources")
            continue
        missing.append(f"{name}: used in {'; '.join(where[:3])}")
    assert not missing + unknown_exceptions, (
        "metrics the rules and dashboards use that the running daemons do not export:\n  "
        + "\n  ".join(missing + unknown_exceptions))
