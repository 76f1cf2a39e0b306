"""The backtest report: PNG plots and one self-contained HTML page drawn from a run directory.

    python scripts/backtest_report.py RUN_DIR [--out DIR]     # writes RUN_DIR/report/index.html

Plots are drawn with matplotlib's Agg renderer at a fixed size and DPI, so the same run gives the
same bytes; the page embeds them as data URIs and needs no network, script or other file.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from tradewind.backtest_run import Row, Run, RunDirectoryError, load_run
from tradewind.report_plots import Plot, equity_plot, position_plot, price_plot, round_trip_plot

LAST_FILLS = 50
NANOS = 1_000_000_000


@dataclass(frozen=True)
class Section:
    """One plot on the page with the sentence shown under it, or only a sentence when there is nothing to draw."""

    plot: Plot | None
    caption: str


def write_report(run_directory: str | Path, out: str | Path | None = None) -> Path:
    """Draw the plots and the page of a run directory into `out` (default RUN_DIR/report); returns index.html."""
    run = load_run(run_directory)
    out = Path(out) if out else run.directory / "report"
    out.mkdir(parents=True, exist_ok=True)
    sections = _sections(run)
    for section in sections:
        if section.plot:
            (out / section.plot.filename).write_bytes(section.plot.png)
    index = out / "index.html"
    index.write_text(render_html(run, sections), encoding="utf-8")
    return index


def _sections(run: Run) -> list[Section]:
    """Every plot of the report, in page order, with its caption."""
    initial = Decimal(run.statistics["initial_capital"])
    sections = [Section(equity_plot(run.equity, initial),
                        "Equity (initial capital plus total PnL) and its drawdown from the running peak.")]
    for instrument in run.instruments:
        fills = [row for row in run.fills if row["instrument"] == instrument]
        prices = [row for row in run.prices if row["instrument"] == instrument]
        positions = [row for row in run.positions if row["instrument"] == instrument]
        note = f"{len(fills)} fills: buys ▲, sells ▼ at their fill price." if fills else "No fills."
        sections.append(Section(price_plot(instrument, prices, fills), f"{instrument} mid price. {note}"))
        sections.append(Section(position_plot(instrument, positions),
                                f"{instrument} position (quantity held) after each fill."))
    trips = run.round_trips()
    if trips:
        sections.append(Section(round_trip_plot([trip.realized_pnl for trip in trips]),
                                "Realized PnL of each closed round trip (flat to flat, or up to a flip)."))
    else:
        sections.append(Section(None, "No closed round trips, so no histogram of their PnL."))
    return sections


def render_html(run: Run, sections: list[Section]) -> str:
    """The page: header facts, statistics, plots, orders and denials summaries and the last fills."""
    manifest, dataset = run.manifest, run.manifest["dataset"]
    name = _e(manifest["name"])
    body = [
        f"<header><h1>Backtest report: {name}</h1>{_header_facts(run)}</header>",
        "<section><h2>Statistics</h2>", _statistics_table(run.statistics),
        f'<p class="note">{_e(run.statistics["sampling"])}</p></section>',
        "<section><h2>Plots</h2>", *(_figure(section) for section in sections), "</section>",
        "<section><h2>Instruments</h2>", _instruments_table(run), "</section>",
        '<section class="pair"><div><h2>Orders by status</h2>', _orders_by_status(run.orders),
        "</div><div><h2>Risk denials by reason</h2>", _denials_by_reason(run.denials), "</div></section>",
        f"<section><h2>Last fills</h2>{_last_fills(run.fills)}</section>",
        "<section><h2>Configuration</h2><details><summary>The merged suite configuration of this run</summary>"
        f"<pre>{_e(json.dumps(manifest['config'], indent=2, sort_keys=True))}</pre></details></section>",
    ]
    title = f"Backtest {name}: {_e(', '.join(dataset['instruments']))}"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
        "style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{CSS}</style></head>\n<body><main>\n"
        + "\n".join(body) + "\n</main></body></html>\n"
    )


def _header_facts(run: Run) -> str:
    """The run's identity: dataset, instruments, time range, events, code version and output hash."""
    manifest, dataset = run.manifest, run.manifest["dataset"]
    span = dataset["last_ns"] - dataset["first_ns"]
    facts = [
        ("Dataset", f"<code>{_e(dataset['path'])}</code>"),
        ("Dataset hash", f"<code>{_e(dataset['content_hash'])}</code>"),
        ("Instruments", _e(", ".join(dataset["instruments"]))),
        ("Time range", f"{_utc(dataset['first_ns'])} → {_utc(dataset['last_ns'])} ({duration(span)})"),
        ("Events", f"{dataset['events']:,} replayed in {manifest['wall_seconds']:,.2f} s "
                   f"({manifest['events_per_second']:,.0f} events/s)"),
        ("Code version", f"<code>{_e(manifest['code_version'])}</code>"),
        ("Output hash", f"<code>{_e(manifest['output_hash'])}</code>"),
    ]
    return '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"


def _statistics_table(statistics: dict) -> str:
    """Each statistic with its unit: money to cents, fractions as percentages, durations in words."""
    s = statistics
    drawdown = f"{money(s['max_drawdown'])} ({percent(s['max_drawdown_fraction'])})"
    rows = [
        ("Initial capital", money(s["initial_capital"])),
        ("Final equity", money(s["final_equity"])),
        ("Total return", percent(s["total_return"], signed=True)),
        ("Sharpe ratio", ratio(s["sharpe"])),
        ("Sortino ratio", ratio(s["sortino"])),
        ("Max drawdown", drawdown),
        ("Longest drawdown", duration(s["max_drawdown_duration_ns"])),
        ("Fills", f"{s['trades']:,}"),
        ("Orders", f"{s['orders']:,}"),
        ("Round trips", f"{s['round_trips']:,}"),
        ("Win rate", percent(s["win_rate"])),
        ("Turnover", money(s["turnover"])),
        ("Fees", money(s["fees"])),
        ("Time in market", percent(s["time_in_market"])),
        ("Risk denials", f"{s['denials']:,}"),
    ]
    return _table("statistics", ("statistic", "value"), rows, numeric=(1,))


def _instruments_table(run: Run) -> str:
    """Per instrument: fills, quantities bought and sold, and the last position row (quantity and PnL)."""
    rows = []
    for instrument in run.instruments:
        fills = [row for row in run.fills if row["instrument"] == instrument]
        bought = sum((Decimal(f["quantity"]) for f in fills if f["side"] == "buy"), Decimal(0))
        sold = sum((Decimal(f["quantity"]) for f in fills if f["side"] == "sell"), Decimal(0))
        last = next((row for row in reversed(run.positions) if row["instrument"] == instrument), None)
        position = (number(last["quantity"]), money(last["realized_pnl"]), money(last["unrealized_pnl"])) if last \
            else ("0", "n/a", "n/a")
        rows.append((instrument, f"{len(fills):,}", number(bought), number(sold), *position))
    header = ("instrument", "fills", "bought", "sold", "final position", "realized PnL", "unrealized PnL")
    return _table("instruments", header, rows, numeric=(1, 2, 3, 4, 5, 6))


def _orders_by_status(orders: list[Row]) -> str:
    """Orders counted by final status, most frequent first."""
    if not orders:
        return '<p class="empty">No orders.</p>'
    counts = Counter(row["status"] for row in orders).most_common()
    rows = [(status, f"{count:,}", percent(count / len(orders))) for status, count in counts]
    return _table("orders-by-status", ("status", "orders", "share"), rows, numeric=(1, 2))


def _denials_by_reason(denials: list[Row]) -> str:
    """Risk denials counted by stable reason code, with the last detail seen for each."""
    if not denials:
        return '<p class="empty">No risk denials.</p>'
    counts = Counter(row["reason_code"] for row in denials).most_common()
    detail = {row["reason_code"]: row["detail"] for row in denials}
    rows = [(code, f"{count:,}", detail[code]) for code, count in counts]
    return _table("denials-by-reason", ("reason", "denials", "last detail"), rows, numeric=(1,))


def _last_fills(fills: list[Row]) -> str:
    """The last LAST_FILLS fills, newest first, with exact prices and quantities."""
    if not fills:
        return '<p class="empty">No fills.</p>'
    latest = sorted(fills, key=lambda row: int(row["time_ns"]))[-LAST_FILLS:][::-1]
    rows = [(_utc(int(f["time_ns"]), millis=True), f["instrument"], f["side"], number(f["quantity"]),
             number(f["price"]), f"{number(f['fee'])} {f['fee_currency']}", f["liquidity"], f["client_order_id"])
            for f in latest]
    header = ("time (UTC)", "instrument", "side", "quantity", "price", "fee", "liquidity", "order")
    caption = f"The last {len(latest)} of {len(fills):,} fills, newest first."
    return f'<p class="note">{caption}</p>' + _table("last-fills", header, rows, numeric=(3, 4, 5))


def _table(table_id: str, header: tuple[str, ...], rows: list[tuple[str, ...]], numeric: tuple[int, ...]) -> str:
    """An HTML table; cells are escaped here, columns in `numeric` are right-aligned."""
    def cell(index: int, value: str, tag: str = "td") -> str:
        return f'<{tag} class="num">{_e(value)}</{tag}>' if index in numeric else f"<{tag}>{_e(value)}</{tag}>"
    head = "".join(cell(i, h, "th") for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell(i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _figure(section: Section) -> str:
    """A plot as an embedded PNG with its caption (or the caption alone when there is no plot)."""
    plot = section.plot
    if plot is None:
        return f'<p class="empty">{_e(section.caption)}</p>'
    data = base64.b64encode(plot.png).decode("ascii")
    return (f'<figure id="{_slug(plot.filename)}"><img src="data:image/png;base64,{data}" alt="{_e(plot.title)}" '
            f'width="{plot.width}" height="{plot.height}"><figcaption>{_e(section.caption)}</figcaption></figure>')


def money(value: str | Decimal) -> str:
    """An amount of money to the cent with thousands separators: 100,000.00."""
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN):,f}"


def number(value: str | Decimal) -> str:
    """An exact decimal as written, with thousands separators and no trailing exponent: 65,012.5."""
    return f"{Decimal(value):,f}"


def percent(fraction: str | float | None, signed: bool = False) -> str:
    """A fraction as a percentage with two decimals (n/a when there is none): 1.23 %."""
    if fraction is None:
        return "n/a"
    return f"{float(fraction) * 100:{'+' if signed else ''},.2f} %"


def ratio(value: float | None) -> str:
    """A ratio to two decimals, or n/a when the run did not have enough samples for one."""
    return "n/a" if value is None else f"{value:,.2f}"


def duration(nanoseconds: int) -> str:
    """A span in its two largest units: 3 d 4 h, 2 h 13 min, 45 s, 250 ms."""
    if nanoseconds < NANOS:
        return f"{nanoseconds // 1_000_000} ms" if nanoseconds else "0 s"
    seconds = nanoseconds // NANOS
    amounts = [(seconds // 86_400, "d"), (seconds % 86_400 // 3_600, "h"), (seconds % 3_600 // 60, "min"),
               (seconds % 60, "s")]
    first = next(index for index, (amount, _) in enumerate(amounts) if amount)
    return " ".join(f"{amount} {unit}" for amount, unit in amounts[first:first + 2] if amount)


def _utc(nanoseconds: int, millis: bool = False) -> str:
    """A UTC time to the second (or millisecond): 2026-01-01 09:18:57."""
    moment = datetime.fromtimestamp(nanoseconds // NANOS, tz=timezone.utc)
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    return f"{text}.{nanoseconds % NANOS // 1_000_000:03d}" if millis else text


def _slug(filename: str) -> str:
    """An HTML id from a plot's file name."""
    return "plot-" + re.sub(r"[^A-Za-z0-9-]+", "-", filename.removesuffix(".png")).strip("-").lower()


def _e(value: object) -> str:
    """HTML-escaped text."""
    return html.escape(str(value), quote=True)


CSS = """
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6575; --line: #dfe3ea; --band: #f5f7fa; --accent: #2858b8; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f5; color: var(--ink);
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px; }
header, section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px;
                  margin-bottom: 18px; }
h1 { font-size: 1.5rem; margin: 0 0 12px; } h2 { font-size: 1.15rem; margin: 0 0 10px; color: var(--accent); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { background: var(--band); font-weight: 600; } tbody tr:nth-child(even) { background: #fafbfc; }
.num { text-align: right; }
#statistics { width: auto; min-width: 420px; }
figure { margin: 0 0 18px; } figure img { max-width: 100%; height: auto; display: block; }
figcaption, .note { color: var(--muted); font-size: 0.9rem; }
.empty { color: var(--muted); font-style: italic; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
@media (max-width: 800px) { .pair { grid-template-columns: 1fr; } }
pre { background: var(--band); padding: 12px; overflow: auto; max-height: 480px; }
"""


def main(argv: list[str] | None = None) -> int:
    """The command line: draw the report of RUN_DIR and print the path of its index.html."""
    parser = argparse.ArgumentParser(prog="backtest_report.py", description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path, help="a run directory written by `tradewind backtest`")
    parser.add_argument("--out", type=Path, help="where to write index.html and the PNGs (default RUN_DIR/report)")
    arguments = parser.parse_args(argv)
    try:
        index = write_report(arguments.run_dir, arguments.out)
    except RunDirectoryError as error:
        print(f"backtest_report: {arguments.run_dir}: {error}", file=sys.stderr)
        return 2
    print(index)
    return 0
