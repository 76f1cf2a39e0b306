#!/usr/bin/env python3
"""Runs the PromQL of the Grafana dashboards (and checks the alert rules are loaded) against a live
Prometheus.

    python3 scripts/promql_check.py --prometheus http://HOST:9090
        [--dashboards DIR]          dashboards to check (default deploy/grafana/dashboards)
        [--expect-data-file F]      panels that must return data (default deploy/grafana/expect-data.json;
                                    "none": no panel needs data)
        [--skip-needs NAME]...      expect-data panels that need NAME (meta-health, live-feed) may be empty
        [--rules [DIR]]             also check that every rule group of DIR/*.yml (default
                                    deploy/prometheus/rules) is loaded, with all its rules, none in error
        [--no-dashboards]           check the rules only
        [--wait SECONDS]            retry empty panels and missing rules until they pass or SECONDS
                                    pass (query errors fail at once)
        [--rate-interval D] [--interval D] [--range D]
                                    what Grafana's $__rate_interval (1m), $__interval (15s) and
                                    $__range (1h) stand for
        [--verbose]                 list every query, not only the problems
    python3 scripts/promql_check.py --list-metrics [--dashboards DIR] [--rules [DIR]]
        prints, as JSON, every tradewind_* metric name the dashboards and rules reference, with
        where (no Prometheus needed)

Every target of every panel (rows' nested panels too) is run as an instant query
(/api/v1/query). A query Prometheus refuses fails the check; so does an expect-data panel any of
whose queries returns no series or only NaN. Exit status: 0 all passed, 1 a check failed, 2
Prometheus could not be asked or a file could not be read. The dashboards mode needs only the
standard library; --rules and --list-metrics read YAML with PyYAML (Debian python3-yaml).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DASHBOARDS = ROOT / "deploy" / "grafana" / "dashboards"
DEFAULT_EXPECT = ROOT / "deploy" / "grafana" / "expect-data.json"
DEFAULT_RULES = ROOT / "deploy" / "prometheus" / "rules"

METRIC = re.compile(r"\btradewind_[A-Za-z0-9_]+")
STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
VARIABLE = re.compile(r"\$\{?(\w+)\}?")


class Unreachable(Exception):
    """Prometheus did not answer (connection refused, timeout, not JSON)."""


@dataclass
class Query:
    dashboard: str   # uid
    file: str
    panel: str       # title
    ref: str         # the target's refId
    expr: str

    @property
    def where(self) -> str:
        return f"{self.dashboard} / {self.panel} [{self.ref}]"


# ---------------------------------------------------------------------------------------- files

def panels(items: list[dict]):
    """Every panel, rows' nested panels included."""
    for panel in items:
        yield panel
        yield from panels(panel.get("panels", []))


def dashboard_queries(directory: Path) -> list[Query]:
    queries = []
    files = sorted(directory.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no dashboards (*.json) in {directory}")
    for path in files:
        dashboard = json.loads(path.read_text())
        for panel in panels(dashboard.get("panels", [])):
            for target in panel.get("targets", []):
                if target.get("expr", "").strip() and not target.get("hide"):
                    queries.append(Query(dashboard["uid"], path.name, panel.get("title", ""),
                                         target.get("refId", "?"), target["expr"]))
    return queries


def load_yaml(path: Path):
    try:
        import yaml
    except ImportError:
        sys.exit("promql_check: reading rules needs PyYAML (Debian: apt-get install python3-yaml)")
    return yaml.safe_load(path.read_text())


def rule_groups(directory: Path) -> dict[str, dict]:
    """{group name: {"file": name, "rules": [alert or record names], "group": the YAML}}"""
    groups = {}
    files = sorted(directory.glob("*.yml")) + sorted(directory.glob("*.yaml"))
    if not files:
        raise FileNotFoundError(f"no rule files (*.yml) in {directory}")
    for path in files:
        for group in (load_yaml(path) or {}).get("groups", []):
            names = [rule.get("alert") or rule.get("record") for rule in group.get("rules", [])]
            groups[group["name"]] = {"file": path.name, "rules": names, "group": group}
    return groups


def metric_names(text: str, strip_strings: bool) -> set[str]:
    """tradewind_* names in PromQL (string literals removed, so label values never count) or in
    any text (annotations: their templates' queries sit inside strings)."""
    return set(METRIC.findall(STRING.sub(" ", text) if strip_strings else text))


def referenced_metrics(dashboards: Path | None, rules: Path | None) -> dict[str, list[str]]:
    """{metric name: [where it is referenced]} for the dashboards' queries and the rules'
    expressions and annotations."""
    found: dict[str, list[str]] = {}
    if dashboards:
        for query in dashboard_queries(dashboards):
            for name in metric_names(query.expr, strip_strings=True):
                found.setdefault(name, []).append(f"dashboard {query.where}")
    if rules:
        for group_name, group in rule_groups(rules).items():
            for rule in group["group"].get("rules", []):
                name = rule.get("alert") or rule.get("record")
                for metric in metric_names(rule.get("expr", ""), strip_strings=True):
                    found.setdefault(metric, []).append(f"rule {group_name}/{name} expr")
                for key, text in (rule.get("annotations") or {}).items():
                    for metric in metric_names(str(text), strip_strings=False):
                        found.setdefault(metric, []).append(f"rule {group_name}/{name} {key}")
    return dict(sorted(found.items()))


def expected_panels(path: Path, skip_needs: set[str]) -> tuple[set[tuple[str, str]], list[dict]]:
    """The (dashboard uid, panel title) pairs that must have data, and every entry."""
    entries = json.loads(path.read_text())["panels"]
    return {(e["dashboard"], e["panel"]) for e in entries if e.get("needs") not in skip_needs}, entries


# ------------------------------------------------------------------------------------ Prometheus

def api(base: str, path: str, params: dict | None = None, timeout: float = 10.0) -> dict:
    url = base.rstrip("/") + path
    data = urllib.parse.urlencode(params).encode() if params else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        # Prometheus answers bad queries with 400/422 and a JSON error body
        try:
            return json.load(error)
        except ValueError:
            raise Unreachable(f"{url}: HTTP {error.code}") from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise Unreachable(f"{url}: {error}") from error


def substitute(expr: str, args) -> tuple[str, list[str]]:
    """Grafana's interval macros replaced; the names of any other variable (unresolved)."""
    values = {"__rate_interval": args.rate_interval, "__interval": args.interval, "__range": args.range}
    unknown = []

    def replace(match):
        name = match.group(1)
        if name in values:
            return values[name]
        unknown.append(name)
        return match.group(0)

    return VARIABLE.sub(replace, expr), unknown


def has_data(result: dict) -> bool:
    data = result.get("data", {})
    kind, values = data.get("resultType"), data.get("result")
    if kind in ("scalar", "string"):
        return values is not None
    for series in values or []:
        value = series.get("value") or (series.get("values") or [[0, "NaN"]])[-1]
        try:
            if not math.isnan(float(value[1])):
                return True
        except (TypeError, ValueError):
            continue
    return False


def check_dashboards(args, queries: list[Query], expected: set[tuple[str, str]]) -> tuple[list[str], list[str], list[str]]:
    """(errors, empty expected panels, verbose lines)."""
    errors, empty, lines = [], [], []
    empty_panels: dict[tuple[str, str], list[str]] = {}
    for query in queries:
        expr, unknown = substitute(query.expr, args)
        if unknown:
            errors.append(f"ERROR {query.where}: unresolved variable(s) {', '.join('$' + u for u in unknown)} in: {query.expr}")
            continue
        answer = api(args.prometheus, "/api/v1/query", {"query": expr})
        if answer.get("status") != "success":
            errors.append(f"ERROR {query.where}: {answer.get('errorType', '?')}: {answer.get('error', answer)}\n      query: {expr}")
            continue
        data = has_data(answer)
        count = len(answer["data"]["result"]) if isinstance(answer["data"]["result"], list) else 1
        lines.append(f"{'ok   ' if data else 'empty'} {query.where}: {count} series  {expr}")
        if not data and (query.dashboard, query.panel) in expected:
            empty_panels.setdefault((query.dashboard, query.panel), []).append(f"[{query.ref}] {expr}")
    for (dashboard, panel), exprs in empty_panels.items():
        empty.append(f"EMPTY {dashboard} / {panel}: expected data, got none from " + "; ".join(exprs))
    return errors, empty, lines


def check_rules(args, groups: dict[str, dict]) -> list[str]:
    answer = api(args.prometheus, "/api/v1/rules")
    if answer.get("status") != "success":
        return [f"RULES /api/v1/rules answered {answer}"]
    loaded = {group["name"]: group for group in answer["data"]["groups"]}
    problems = []
    for name, expected in groups.items():
        group = loaded.get(name)
        if group is None:
            problems.append(f"RULES group {name} ({expected['file']}) is not loaded")
            continue
        names = [rule["name"] for rule in group["rules"]]
        missing = [rule for rule in expected["rules"] if rule not in names]
        if missing:
            problems.append(f"RULES group {name}: rules not loaded: {', '.join(missing)}")
        for rule in group["rules"]:
            if rule.get("health") == "err" or rule.get("lastError"):
                problems.append(f"RULES {name}/{rule['name']}: {rule.get('lastError', 'health err')}")
    return problems


# ------------------------------------------------------------------------------------------ main

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prometheus", help="base URL, e.g. http://127.0.0.1:9090")
    parser.add_argument("--dashboards", type=Path, default=DEFAULT_DASHBOARDS)
    parser.add_argument("--no-dashboards", action="store_true")
    parser.add_argument("--expect-data-file", default=str(DEFAULT_EXPECT))
    parser.add_argument("--skip-needs", action="append", default=[], metavar="NAME")
    parser.add_argument("--rules", nargs="?", type=Path, const=DEFAULT_RULES, default=None)
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--rate-interval", default="1m")
    parser.add_argument("--interval", default="15s")
    parser.add_argument("--range", default="1h")
    parser.add_argument("--list-metrics", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not args.list_metrics and not args.prometheus:
        parser.error("--prometheus URL is required (or --list-metrics)")
    if args.no_dashboards and not args.rules:
        parser.error("--no-dashboards leaves nothing to check without --rules")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        if args.list_metrics:
            rules = args.rules or DEFAULT_RULES
            dashboards = None if args.no_dashboards else args.dashboards
            print(json.dumps(referenced_metrics(dashboards, rules), indent=2))
            return 0
        queries = [] if args.no_dashboards else dashboard_queries(args.dashboards)
        expected, entries = set(), []
        if not args.no_dashboards and args.expect_data_file != "none":
            expected, entries = expected_panels(Path(args.expect_data_file), set(args.skip_needs))
            titles = {(q.dashboard, q.panel) for q in queries}
            unknown = [f"{e['dashboard']} / {e['panel']}" for e in entries if (e["dashboard"], e["panel"]) not in titles]
            if unknown:
                print(f"promql_check: {args.expect_data_file} names panels with no query: {'; '.join(unknown)}")
                return 1
        groups = rule_groups(args.rules) if args.rules else {}
    except (OSError, ValueError, KeyError) as error:
        print(f"promql_check: {error}", file=sys.stderr)
        return 2

    deadline = time.monotonic() + args.wait
    while True:
        try:
            errors, empty, lines = check_dashboards(args, queries, expected) if queries else ([], [], [])
            rule_problems = check_rules(args, groups) if groups else []
        except Unreachable as error:
            if time.monotonic() < deadline:
                time.sleep(1.0)
                continue
            print(f"promql_check: Prometheus unreachable: {error}", file=sys.stderr)
            return 2
        if errors or not (empty or rule_problems) or time.monotonic() >= deadline:
            break
        time.sleep(1.0)

    if args.verbose:
        print("\n".join(lines))
    for line in errors + empty + rule_problems:
        print(line)
    dashboards = len({q.file for q in queries})
    summary = (f"promql_check: {args.prometheus}: {dashboards} dashboards, {len({(q.dashboard, q.panel) for q in queries})} panels, "
               f"{len(queries)} queries ({len(errors)} failed), {len(expected)} panels expected to have data "
               f"({len(empty)} empty{', skipped needs: ' + ', '.join(args.skip_needs) if args.skip_needs else ''})")
    if groups:
        summary += f", {len(groups)} rule groups ({len(rule_problems)} problems)"
    print(summary)
    return 1 if errors or empty or rule_problems else 0


if __name__ == "__main__":
    sys.exit(main())
