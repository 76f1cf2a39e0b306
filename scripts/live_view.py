#!/usr/bin/env python3
"""Live summary of a running Tradewind suite: fills, positions and PnL, refreshed every second.

Reads the daemons' HTTP views (standard library only), finding them with `tradewind suite addresses`. Ctrl-C to stop.
"""

import json
import os
import subprocess
import sys
import time
import urllib.request


def addresses() -> dict[str, str]:
    """Each daemon's HTTP base URL, from `tradewind suite addresses` (the suite's one table, merged
    with the configuration the daemons read: TRADEWIND_CONFIG, else the defaults)."""
    command = [os.path.join(os.environ.get("TRADEWIND_BIN", ".build/release"), "tradewind"), "suite", "addresses", "--json"]
    if os.environ.get("TRADEWIND_CONFIG"):
        command += ["--config", os.environ["TRADEWIND_CONFIG"]]
    table = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    return {daemon["name"]: daemon["http_url"] for daemon in table["daemons"]}


URLS = addresses()
ENGINE = URLS["execution-engine"]
TRACKER = URLS["position-tracker"]
RISK = URLS["risk-manager"]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return json.load(response)
    except Exception:
        return None


def metric_sum(base, name):
    try:
        with urllib.request.urlopen(f"{base}/metrics", timeout=1) as response:
            text = response.read().decode()
    except Exception:
        return None
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and (line[len(name)] in " {"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def render():
    orders = get(f"{ENGINE}/v1/orders") or {}
    positions = get(f"{TRACKER}/v1/positions") or {}
    risk = get(f"{RISK}/v1/risk") or {}
    denials = metric_sum(RISK, "tradewind_risk_denials_total")
    lines = [time.strftime("Tradewind  %H:%M:%S   (Ctrl-C stops the suite)"), ""]
    totals = orders.get("totals", {})
    lines.append(
        f"orders {totals.get('orders', 0)}   filled {totals.get('filled', 0)}   "
        f"fills {totals.get('fills', 0)}   open {totals.get('open', 0)}   "
        f"rejected {totals.get('rejected', 0)}   risk denials {int(denials or 0)}   "
        f"trading state {risk.get('trading_state', '?')}{' (KILL SWITCH)' if risk.get('kill_switch') else ''}"
    )
    open_circuits = [f"{venue} {c['state']}" for venue, c in sorted(risk.get("circuit_breakers", {}).items())
                     if c.get("state") != "closed"]
    if open_circuits:
        lines.append("circuit breakers: " + ", ".join(open_circuits))
    lines.append("")
    lines.append(f"{'instrument':<14}{'quantity':>12}{'avg price':>14}{'mark':>14}{'realized':>14}{'unrealized':>14}{'fills':>7}")
    for p in positions.get("positions", []):
        lines.append(
            f"{p['instrument']:<14}{p['quantity']:>12}{p['average_price']:>14}{p['mark_price']:>14}"
            f"{p['realized_pnl']:>14}{p['unrealized_pnl']:>14}{p['fill_count']:>7}"
        )
    pnl = positions.get("portfolio")
    if pnl:
        lines.append("")
        lines.append(
            f"portfolio  total PnL {pnl['total_pnl']}   realized {pnl['realized_pnl']}   "
            f"unrealized {pnl['unrealized_pnl']}   fees {pnl['fees']}   drawdown {pnl['drawdown']}"
        )
    recent = orders.get("recent_fills", [])[-5:]
    if recent:
        lines.append("")
        lines.append("last fills:")
        for f in recent:
            lines.append(f"  {f['instrument']:<14}{f['side']:<5}{f['quantity']:>10} @ {f['price']:<12} fee {f['fee']}  {f['client_order_id']}")
    return "\n".join(lines)


def main():
    interactive = sys.stdout.isatty()
    try:
        while True:
            screen = render()
            if interactive:
                sys.stdout.write("\x1b[H\x1b[2J" + screen + "\n")
            else:
                sys.stdout.write(screen + "\n\n")
            sys.stdout.flush()
            time.sleep(1)
    except KeyboardInterrupt:
        print()


if __name__ == "__main__":
    main()
