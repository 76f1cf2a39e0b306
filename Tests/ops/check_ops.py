#!/usr/bin/env python3
"""Static checks of the monitoring files (`make test-ops`, no daemons, no Prometheus server):

- the alert rules follow the conventions (Tradewind* CamelCase names, severity critical, warning
  or info, summary and description annotations);
- every alert has a promtool test case that makes it fire and one that keeps it quiet;
- the dashboards are Grafana dashboard JSON on the uid "prometheus" datasource, with unique panel
  ids and titles, and no template variable but Grafana's interval macros;
- deploy/grafana/expect-data.json names panels that exist;
- every tradewind_* metric the rules and dashboards name is in Tests/ops/known_metrics.txt (the
  live daemons are checked by Tests/e2e/test_metrics_exposition.py);
- the Prometheus configs scrape the five daemons and the meta-health service, each labelled with
  its `service`, and the Grafana provisioning points where docker-compose mounts things.

Run with Debian's python3 (PyYAML: python3-yaml). Prints one line per failed check and a closing
"N passed, N failed" line; exits 1 when a check failed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import promql_check  # noqa: E402

RULES = ROOT / "deploy" / "prometheus" / "rules"
RULE_TESTS = ROOT / "deploy" / "prometheus" / "tests"
DASHBOARDS = ROOT / "deploy" / "grafana" / "dashboards"
EXPECT = ROOT / "deploy" / "grafana" / "expect-data.json"
KNOWN = Path(__file__).resolve().parent / "known_metrics.txt"
NEEDS = {"meta-health", "live-feed"}
GRAFANA_MACROS = {"__rate_interval", "__interval", "__range"}
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")

# The suite's default HTTP ports (DESIGN.md section 5; the e2e test compares them with
# `tradewind suite addresses`), and the meta-health service's.
DAEMON_PORTS = {"market-data": 9101, "signal-bridge": 9102, "risk-manager": 9103,
                "execution-engine": 9104, "position-tracker": 9105}
HEALTH_PORT = 9106


def alerts() -> list[tuple[str, dict]]:
    return [(group["name"], rule) for path in sorted(RULES.glob("*.yml"))
            for group in yaml.safe_load(path.read_text())["groups"] for rule in group["rules"] if "alert" in rule]


def check_rule_conventions() -> list[str]:
    problems = []
    names = [rule["alert"] for _, rule in alerts()]
    if len(names) != len(set(names)):
        problems.append(f"duplicate alert names: {sorted({n for n in names if names.count(n) > 1})}")
    for group, rule in alerts():
        name = rule["alert"]
        if not re.fullmatch(r"Tradewind[A-Z][A-Za-z0-9]*", name):
            problems.append(f"{group}/{name}: not a CamelCase name with the prefix Tradewind")
        if (rule.get("labels") or {}).get("severity") not in ("critical", "warning", "info"):
            problems.append(f"{group}/{name}: label severity must be critical, warning or info")
        for key in ("summary", "description"):
            if not str((rule.get("annotations") or {}).get(key, "")).strip():
                problems.append(f"{group}/{name}: annotation {key} missing")
    return problems


def check_every_alert_fires_and_stays_quiet_in_a_test() -> list[str]:
    firing, quiet = set(), set()
    files = sorted(RULE_TESTS.glob("*.yml"))
    if not files:
        return [f"no promtool tests in {RULE_TESTS}"]
    for path in files:
        for test in yaml.safe_load(path.read_text())["tests"]:
            for case in test.get("alert_rule_test", []):
                (firing if case.get("exp_alerts") else quiet).add(case["alertname"])
    problems = []
    for group, rule in alerts():
        name = rule["alert"]
        if name not in firing:
            problems.append(f"{name}: no promtool case makes it fire")
        if name not in quiet:
            problems.append(f"{name}: no promtool case keeps it quiet (exp_alerts: [])")
    known = {rule["alert"] for _, rule in alerts()}
    problems += [f"promtool tests name an alert no rule defines: {name}" for name in sorted((firing | quiet) - known)]
    return problems


def check_dashboards() -> list[str]:
    problems = []
    uids = set()
    files = sorted(DASHBOARDS.glob("*.json"))
    if not files:
        return [f"no dashboards in {DASHBOARDS}"]
    for path in files:
        try:
            dashboard = json.loads(path.read_text())
        except ValueError as error:
            problems.append(f"{path.name}: not JSON: {error}")
            continue
        where = path.name
        for key in ("uid", "title", "panels", "schemaVersion"):
            if key not in dashboard:
                problems.append(f"{where}: no {key}")
        if dashboard.get("uid") in uids:
            problems.append(f"{where}: uid {dashboard.get('uid')} used twice")
        uids.add(dashboard.get("uid"))
        if not 36 <= int(dashboard.get("schemaVersion", 0)) <= 41:
            problems.append(f"{where}: schemaVersion {dashboard.get('schemaVersion')} (expected about 39)")
        if dashboard.get("templating", {}).get("list"):
            problems.append(f"{where}: template variables (scripts/promql_check.py cannot resolve them)")
        ids, titles = [], []
        for panel in promql_check.panels(dashboard.get("panels", [])):
            ids.append(panel.get("id"))
            if panel.get("type") == "row":
                continue
            title = panel.get("title", "")
            titles.append(title)
            for key in ("type", "title", "gridPos"):
                if not panel.get(key):
                    problems.append(f"{where} / {title or panel.get('id')}: no {key}")
            if panel.get("datasource", {}).get("uid") != "prometheus":
                problems.append(f"{where} / {title}: panel datasource is not uid prometheus")
            targets = panel.get("targets", [])
            if not targets:
                problems.append(f"{where} / {title}: no targets")
            for target in targets:
                if target.get("datasource", {}).get("uid") != "prometheus":
                    problems.append(f"{where} / {title} [{target.get('refId')}]: target datasource is not uid prometheus")
                if not target.get("expr", "").strip():
                    problems.append(f"{where} / {title} [{target.get('refId')}]: empty expr")
                variables = set(promql_check.VARIABLE.findall(target.get("expr", ""))) - GRAFANA_MACROS
                if variables:
                    problems.append(f"{where} / {title} [{target.get('refId')}]: unknown variables {sorted(variables)}")
                if panel.get("type") == "heatmap" and target.get("format") != "heatmap":
                    problems.append(f"{where} / {title}: heatmap target without format heatmap")
        if len(ids) != len(set(ids)):
            problems.append(f"{where}: duplicate panel ids")
        if len(titles) != len(set(titles)):
            problems.append(f"{where}: duplicate panel titles {sorted({t for t in titles if titles.count(t) > 1})}")
    return problems


def check_expect_data() -> list[str]:
    queries = promql_check.dashboard_queries(DASHBOARDS)
    panels = {(q.dashboard, q.panel) for q in queries}
    entries = json.loads(EXPECT.read_text())["panels"]
    problems = [f"expect-data names a panel that has no query: {e['dashboard']} / {e['panel']}"
                for e in entries if (e["dashboard"], e["panel"]) not in panels]
    problems += [f"expect-data: {e['dashboard']} / {e['panel']} needs unknown {e['needs']!r} (known: {sorted(NEEDS)})"
                 for e in entries if "needs" in e and e["needs"] not in NEEDS]
    pairs = [(e["dashboard"], e["panel"]) for e in entries]
    problems += [f"expect-data lists {pair} twice" for pair in sorted({p for p in pairs if pairs.count(p) > 1})]
    if not entries:
        problems.append("expect-data lists no panel")
    return problems


def known_metrics() -> set[str]:
    return {line.split("#")[0].strip() for line in KNOWN.read_text().splitlines()} - {""}


def is_known(name: str, known: set[str]) -> bool:
    return name in known or any(name.endswith(s) and name[: -len(s)] in known for s in HISTOGRAM_SUFFIXES)


def check_referenced_metrics_are_known() -> list[str]:
    known = known_metrics()
    referenced = promql_check.referenced_metrics(DASHBOARDS, RULES)
    if not referenced:
        return ["no tradewind_* metric found in the rules and dashboards (extraction broken?)"]
    return [f"{name} is not a known metric (Tests/ops/known_metrics.txt); used in: {'; '.join(where[:3])}"
            for name, where in referenced.items() if not is_known(name, known)]


def scrape_targets(config: dict) -> dict[str, dict[str, str]]:
    """{job: {service label: target}}"""
    jobs = {}
    for job in config.get("scrape_configs", []):
        for static in job.get("static_configs", []):
            for target in static.get("targets", []):
                jobs.setdefault(job["job_name"], {})[(static.get("labels") or {}).get("service", "")] = target
    return jobs


def check_prometheus_configs() -> list[str]:
    problems = []
    for name, host in (("prometheus.yml", None), ("prometheus.host.yml", "127.0.0.1")):
        config = yaml.safe_load((ROOT / "deploy" / "prometheus" / name).read_text())
        jobs = scrape_targets(config)
        expected = {service: f"{host or service}:{port}" for service, port in DAEMON_PORTS.items()}
        if jobs.get("tradewind") != expected:
            problems.append(f"{name}: job tradewind scrapes {jobs.get('tradewind')}, expected {expected}")
        health = {"health": f"{host or 'health'}:{HEALTH_PORT}"}
        if jobs.get("tradewind-health") != health:
            problems.append(f"{name}: job tradewind-health scrapes {jobs.get('tradewind-health')}, expected {health}")
        if config.get("rule_files") != ["/etc/prometheus/rules/*.yml"]:
            problems.append(f"{name}: rule_files {config.get('rule_files')}, expected /etc/prometheus/rules/*.yml")
        managers = [t for m in config.get("alerting", {}).get("alertmanagers", []) for s in m.get("static_configs", [])
                    for t in s.get("targets", [])]
        if managers != [f"{host or 'alertmanager'}:9093"]:
            problems.append(f"{name}: alertmanagers {managers}")
    return problems


def check_grafana_provisioning() -> list[str]:
    problems = []
    sources = yaml.safe_load((ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text())["datasources"]
    if [(s.get("uid"), s.get("type"), s.get("url")) for s in sources] != [("prometheus", "prometheus", "http://prometheus:9090")]:
        problems.append(f"datasources: {sources}")
    providers = yaml.safe_load((ROOT / "deploy/grafana/provisioning/dashboards/tradewind.yml").read_text())["providers"]
    if [(p.get("type"), p.get("options", {}).get("path")) for p in providers] != [("file", "/var/lib/grafana/dashboards")]:
        problems.append(f"dashboard providers: {providers}")
    return problems


CHECKS = [check_rule_conventions, check_every_alert_fires_and_stays_quiet_in_a_test, check_dashboards,
          check_expect_data, check_referenced_metrics_are_known, check_prometheus_configs, check_grafana_provisioning]


def main() -> int:
    passed = failed = 0
    for check in CHECKS:
        try:
            problems = check()
        except Exception as error:  # a broken file is a failed check, reported as such
            problems = [f"{type(error).__name__}: {error}"]
        if problems:
            failed += 1
            print(f"FAILED {check.__name__}:")
            for problem in problems:
                print(f"  {problem}")
        else:
            passed += 1
            print(f"ok     {check.__name__}")
    print(f"ops: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
