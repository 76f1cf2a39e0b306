"""The backtest report's plots, drawn with matplotlib's Agg renderer into PNG bytes.

Figures are built without pyplot (no display, no global figure state) at fixed sizes and DPI, and
saved without a Software or date tag, so the same rows always give the same bytes.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from datetime import timezone
from decimal import Decimal

import numpy as np
from matplotlib import dates, rc_context, ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from tradewind.backtest_run import Row

DPI = 100
WIDE = (11.0, 4.2)
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 11.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "timezone": "UTC",
    "svg.hashsalt": "tradewind-report",
}
BLUE, GREY, GREEN, DARK_GREEN, RED, DARK_RED = "#2858b8", "#7a8494", "#2e9d5b", "#1d6b3c", "#d0453a", "#8f2a22"


@dataclass(frozen=True)
class Plot:
    """One drawn figure: its file name in the report directory, a title for alt text, the PNG and its size in pixels."""

    filename: str
    title: str
    png: bytes
    width: int
    height: int


def equity_plot(equity: list[Row], initial_capital: Decimal) -> Plot:
    """Equity over time above its drawdown from the running peak, shaded, on one UTC time axis."""
    rows = _by_time(equity)
    with rc_context(STYLE):
        figure = Figure(figsize=(11.0, 6.0), layout="constrained")
        top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1])
        top.set_title("Equity and drawdown")
        if rows:
            times = _times(rows)
            drawdown = -np.abs(_values(rows, "drawdown"))
            top.plot(times, _values(rows, "equity"), color=BLUE, linewidth=1.2, drawstyle="steps-post", label="equity")
            bottom.fill_between(times, drawdown, 0, step="post", color=RED, alpha=0.35, linewidth=0)
            bottom.plot(times, drawdown, color=DARK_RED, linewidth=0.8, drawstyle="steps-post", label="drawdown")
            _time_axis(bottom)
        else:
            _nothing(top, "no equity samples")
        top.axhline(float(initial_capital), color=GREY, linestyle="--", linewidth=0.9,
                    label=f"initial capital {initial_capital:,}")
        top.set_ylabel("equity")
        bottom.set_ylabel("drawdown")
        for axes in (top, bottom):
            axes.yaxis.set_major_formatter(_Grouped())
        _legend(top)
        return _render(figure, "equity.png", "Equity and drawdown")


def price_plot(instrument: str, prices: list[Row], fills: list[Row]) -> Plot:
    """An instrument's mid price with its buy fills as up-triangles and sell fills as down-triangles."""
    prices, fills = _by_time(prices), _by_time(fills)
    title = f"{instrument}: mid price and fills"
    with rc_context(STYLE):
        figure = Figure(figsize=WIDE, layout="constrained")
        axes = figure.subplots()
        axes.set_title(title)
        if prices:
            axes.plot(_times(prices), _values(prices, "mid"), color=BLUE, linewidth=0.9, label="mid")
        for side, marker, face, edge in (("buy", "^", GREEN, DARK_GREEN), ("sell", "v", RED, DARK_RED)):
            chosen = [row for row in fills if row["side"] == side]
            if chosen:
                axes.scatter(_times(chosen), _values(chosen, "price"), marker=marker, s=40, color=face,
                             edgecolors=edge, linewidths=0.6, zorder=3, label=f"{side} ({len(chosen)})")
        if not fills:
            _nothing(axes, "no fills" if prices else "no prices and no fills")
        if prices or fills:
            _time_axis(axes)
            axes.yaxis.set_major_formatter(_Grouped())
            axes.set_ylabel("price")
            _legend(axes)
        return _render(figure, f"price-{_file_part(instrument)}.png", title)


def position_plot(instrument: str, positions: list[Row]) -> Plot:
    """An instrument's position (signed quantity) over time as a step plot, long shaded green, short red."""
    rows = _by_time(positions)
    title = f"{instrument}: position"
    with rc_context(STYLE):
        figure = Figure(figsize=(11.0, 2.8), layout="constrained")
        axes = figure.subplots()
        axes.set_title(title)
        if rows:
            times, quantity = _times(rows), _values(rows, "quantity")
            axes.plot(times, quantity, color=GREY, linewidth=0.9, drawstyle="steps-post", label="quantity")
            axes.fill_between(times, quantity, 0, where=quantity > 0, step="post", color=GREEN, alpha=0.35,
                              linewidth=0, label="long")
            axes.fill_between(times, quantity, 0, where=quantity < 0, step="post", color=RED, alpha=0.35,
                              linewidth=0, label="short")
            axes.axhline(0, color=GREY, linewidth=0.6)
            _time_axis(axes)
            axes.yaxis.set_major_formatter(_Grouped())
            axes.set_ylabel("quantity")
            if quantity.any():
                _legend(axes)
            else:
                _nothing(axes, "flat throughout: no fills")
        else:
            _nothing(axes, "no positions")
        return _render(figure, f"position-{_file_part(instrument)}.png", title)


def round_trip_plot(pnls: list[Decimal]) -> Plot:
    """A histogram of realized PnL per closed round trip, winners green and the rest red."""
    values = np.array([float(pnl) for pnl in pnls])
    wins = values[values > 0]
    title = f"Realized PnL per round trip: {len(values)} trips, {len(wins) / len(values):.0%} won"
    with rc_context(STYLE):
        figure = Figure(figsize=(11.0, 3.4), layout="constrained")
        axes = figure.subplots()
        axes.set_title(title)
        edges = _edges_through_zero(values, bins=min(30, max(5, len(values) // 2)))
        axes.hist(wins, bins=edges, color=GREEN, alpha=0.85, label=f"won ({len(wins)})")
        rest = values[values <= 0]
        axes.hist(rest, bins=edges, color=RED, alpha=0.85, label=f"lost or even ({len(rest)})")
        axes.axvline(0, color=GREY, linewidth=0.8)
        axes.xaxis.set_major_formatter(_Grouped())
        axes.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
        axes.set_xlabel("realized PnL")
        axes.set_ylabel("round trips")
        _legend(axes)
        return _render(figure, "round-trips.png", title)


class _Grouped(ticker.Formatter):
    """Tick labels with thousands separators and as many decimals as the tick spacing needs."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        locs = np.asarray(self.locs, dtype=float)
        step = float(np.min(np.abs(np.diff(locs)))) if locs.size > 1 else 0.0
        decimals = min(8, max(0, -math.floor(math.log10(step)))) if step > 0 else 0
        text = f"{x:,.{decimals}f}"
        return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def _render(figure: Figure, filename: str, title: str) -> Plot:
    """The figure as PNG bytes with no Software or date tag, so equal figures give equal files."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    width, height = figure.get_size_inches() * DPI
    return Plot(filename, title, buffer.getvalue(), round(width), round(height))


def _edges_through_zero(values: np.ndarray, bins: int) -> np.ndarray:
    """Histogram bin edges of equal width with zero among them, so no bin mixes wins and losses."""
    low, high = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    width = (high - low) / bins if high > low else 1.0
    return np.arange(math.floor(low / width), math.ceil(high / width) + 1) * width


def _legend(axes: Axes) -> None:
    """The legend in one row above the plot's right end, where it hides no data."""
    axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=4, borderaxespad=0.2, handlelength=1.6)


def _time_axis(axes: Axes) -> None:
    """A UTC date axis with concise ISO-style labels (the date under the first tick of each day)."""
    locator = dates.AutoDateLocator(tz=timezone.utc)
    formatter = dates.ConciseDateFormatter(locator, tz=timezone.utc,
                                           zero_formats=["", "%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M"],
                                           offset_formats=["", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d %H:%M"])
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(formatter)
    axes.set_xlabel("time (UTC)")


def _nothing(axes: Axes, text: str) -> None:
    """Say on the plot itself that there is nothing (more) to draw."""
    axes.text(0.5, 0.5, text, transform=axes.transAxes, ha="center", va="center", fontsize=16, color=GREY,
              bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def _by_time(rows: list[Row]) -> list[Row]:
    """Rows in time order, ties in file order."""
    return sorted(rows, key=lambda row: int(row["time_ns"]))


def _times(rows: list[Row]) -> np.ndarray:
    """The rows' nanosecond times as UTC datetime64 values."""
    return np.array([int(row["time_ns"]) for row in rows], dtype="datetime64[ns]")


def _values(rows: list[Row], column: str) -> np.ndarray:
    """A decimal column as floats, for drawing only."""
    return np.array([float(Decimal(row[column])) for row in rows])


def _file_part(instrument: str) -> str:
    """An instrument id as part of a file name: SIM:BTCUSDT becomes SIM_BTCUSDT."""
    return re.sub(r"[^A-Za-z0-9.-]+", "_", instrument)
