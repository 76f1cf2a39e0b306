"""The backtest report: scripts/backtest_report.py turns a run directory into PNG plots and one
self-contained page, and headless Chromium renders that page with every plot and table and no error.

The run directories are written here by a small simulation that keeps every file consistent with
the others (positions are the sum of fills, equity is capital plus PnL), as `tradewind backtest` does."""

from __future__ import annotations

import base64
import csv
import hashlib
import itertools
import json
import math
import random
import statistics as stats
import re
import shutil
import struct
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from headless_chromium import HeadlessChromium, RenderedPage

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Clients" / "python"))

from tradewind.backtest_run import COLUMNS, load_run  # noqa: E402

NANOS = 1_000_000_000
START_NS = 1_767_225_600 * NANOS  # 2026-01-01 00:00:00 UTC
SAMPLE_NS = 60 * NANOS
INITIAL = Decimal("100000")
FEE_RATE = Decimal("0.001")
MARKETS = {"SIM:BTCUSDT": (Decimal("65000"), Decimal("0.5"), Decimal("0.02")),  # start mid, half spread, lot
           "SIM:ETHUSDT": (Decimal("3200"), Decimal("0.05"), Decimal("0.5"))}
DENIALS = (("MAX_ORDER_NOTIONAL", "notional 131000.00 exceeds the limit 50000"),
           ("PRICE_COLLAR", "limit 3290.00 is 2.8% from the mid 3200.05, collar 100 bps"))
REASONS = {"canceled": ("CANCELED", "canceled by request"),
           "rejected": ("SLIPPAGE_GUARD", "fill price would be 31 bps from the mid")}
PLOTS = {"equity.png", "price-SIM_BTCUSDT.png", "price-SIM_ETHUSDT.png", "position-SIM_BTCUSDT.png",
         "position-SIM_ETHUSDT.png"}


@dataclass
class Book:
    """One instrument's position, opened from flat and closed to flat; realized PnL is net of fees."""

    quantity: Decimal = Decimal(0)
    average: Decimal = Decimal(0)
    realized: Decimal = Decimal(0)
    mark: Decimal = Decimal(0)
    opened_with: Decimal = Decimal(0)

    def fill(self, signed: Decimal, price: Decimal, fee: Decimal) -> Decimal | None:
        """Apply a fill; returns the round trip's realized PnL when it closes the position."""
        self.realized -= fee
        if self.quantity == 0:
            self.quantity, self.average, self.opened_with = signed, price, self.realized + fee
            return None
        self.realized += (price - self.average) * self.quantity
        self.quantity, self.average = Decimal(0), Decimal(0)
        return self.realized - self.opened_with

    @property
    def unrealized(self) -> Decimal:
        """The open position marked at the last mid."""
        return (self.mark - self.average) * self.quantity


def write_run(directory: Path, samples: int, trade_every: int | None, denials: int, seed: int = 11) -> dict:
    """A run directory of `samples` one-minute samples of both markets, trading each every
    `trade_every` samples (open, then close), with `denials` risk denials; returns its statistics."""
    rng = random.Random(seed)
    books = {instrument: Book() for instrument in MARKETS}
    mids = {instrument: start for instrument, (start, _, _) in MARKETS.items()}
    tables: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
    fees, turnover, peak, trips = Decimal(0), Decimal(0), INITIAL, []
    worst_drawdown, worst_fraction = Decimal(0), Decimal(0)
    sample_equity, in_market, drawdown_started, longest_drawdown = [], 0, None, 0

    def record(time_ns: int) -> Decimal:
        nonlocal peak, worst_drawdown, worst_fraction
        for instrument, book in books.items():
            tables["positions.csv"].append((time_ns, instrument, book.quantity, book.average, book.mark,
                                            book.realized, book.unrealized))
        realized = sum(book.realized for book in books.values())
        unrealized = sum(book.unrealized for book in books.values())
        equity = INITIAL + realized + unrealized
        peak = max(peak, equity)
        worst_drawdown, worst_fraction = max(worst_drawdown, peak - equity), max(worst_fraction, (peak - equity) / peak)
        exposure = sum(abs(book.quantity * book.mark) for book in books.values())
        tables["equity.csv"].append((time_ns, equity, realized, unrealized, fees, peak - equity, exposure))
        return equity

    for k in range(samples):
        time_ns = START_NS + k * SAMPLE_NS
        for instrument, (_, half_spread, _) in MARKETS.items():
            mids[instrument] = (mids[instrument] * Decimal(math.exp(rng.gauss(0, 0.0009)))).quantize(half_spread)
            books[instrument].mark = mid = mids[instrument]
            tables["prices.csv"].append((time_ns, instrument, mid - half_spread, mid + half_spread, mid))
        equity = record(time_ns)
        sample_equity.append(equity)
        in_market += any(book.quantity for book in books.values())
        if equity < peak and drawdown_started is None:
            drawdown_started = time_ns
        elif equity == peak:
            drawdown_started = None
        if drawdown_started is not None:
            longest_drawdown = max(longest_drawdown, time_ns - drawdown_started)
        for index, (instrument, (_, half_spread, lot)) in enumerate(MARKETS.items()):
            if not trade_every or k == 0 or k % trade_every != index * trade_every // 2:
                continue
            book, fill_ns = books[instrument], time_ns + 137_000_000 + index * 1_000_000
            side = rng.choice(("buy", "sell")) if book.quantity == 0 else ("sell" if book.quantity > 0 else "buy")
            price = book.mark + half_spread if side == "buy" else book.mark - half_spread
            fee = price * lot * FEE_RATE
            fees, turnover = fees + fee, turnover + price * lot
            trip = book.fill(lot if side == "buy" else -lot, price, fee)
            if trip is not None:
                trips.append(trip)
            number = len(tables["fills.csv"]) + 1
            order_id = f"TW-ema_cross-e2e-{number}"
            tables["fills.csv"].append((fill_ns, order_id, f"SIM-T{number:05d}", instrument, side, lot, price, fee,
                                        "USDT", "taker"))
            tables["orders.csv"].append((order_id, f"intent-{number}", "ema_cross", instrument, side, "limit", "ioc",
                                         lot, price, "filled", lot, price, fee, "", "", fill_ns - 2_000_000, fill_ns))
            record(fill_ns)
    if trade_every:
        last_ns = START_NS + (samples - 1) * SAMPLE_NS
        for n, status in enumerate(("canceled", "canceled", "canceled", "rejected")):
            created = last_ns - (n + 1) * 7 * SAMPLE_NS
            tables["orders.csv"].append((f"TW-ema_cross-e2e-x{n}", f"intent-x{n}", "ema_cross", "SIM:ETHUSDT", "buy",
                                         "limit", "gtc", "0.5", "3100.00", status, "0", "", "0", *REASONS[status],
                                         created, created + SAMPLE_NS))
    for n in range(denials):
        code, detail = DENIALS[n % len(DENIALS)]
        denied_ns = START_NS + (n * 97 + 13) * SAMPLE_NS
        tables["denials.csv"].append((denied_ns, f"intent-d{n}", "SIM:ETHUSDT", code, detail))

    for name, rows in tables.items():
        with (directory / name).open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")  # quotes only a free-text detail that has a comma
            writer.writerow(COLUMNS[name])
            writer.writerows([_text(value) for value in row] for row in rows)
    final = tables["equity.csv"][-1][1]
    returns = [b / a - 1 for a, b in itertools.pairwise(map(float, sample_equity))]
    statistics = {
        "initial_capital": str(INITIAL), "final_equity": _text(final),
        "total_return": _text((final - INITIAL) / INITIAL), "sharpe": _annualised(returns, downside_only=False),
        "sortino": _annualised(returns, downside_only=True),
        "sampling": "equity sampled every 60 s of event time; Sharpe and Sortino annualised with sqrt(525600); "
                    "risk-free rate 0",
        "max_drawdown": _text(worst_drawdown),
        "max_drawdown_fraction": _text(worst_fraction.quantize(Decimal("1e-8"))),
        "max_drawdown_duration_ns": longest_drawdown, "trades": len(tables["fills.csv"]),
        "orders": len(tables["orders.csv"]), "round_trips": len(trips),
        "win_rate": sum(trip > 0 for trip in trips) / len(trips) if trips else None,
        "turnover": _text(turnover), "fees": _text(fees), "time_in_market": in_market / samples,
        "denials": denials, "denials_by_reason": dict(sorted(Counter(row[3] for row in tables["denials.csv"]).items())),
    }
    (directory / "statistics.json").write_text(json.dumps(statistics, indent=2), encoding="utf-8")
    output = hashlib.sha256(b"".join((directory / name).read_bytes() for name in sorted(COLUMNS)))
    manifest = {
        "format": "tradewind.backtest-run", "version": 1, "name": directory.name,
        "dataset": {"path": "datasets/sim-2026-01-01.jsonl", "content_hash": "sha256:" + "5e" * 32,
                    "events": samples * len(MARKETS), "first_ns": START_NS,
                    "last_ns": START_NS + (samples - 1) * SAMPLE_NS, "instruments": list(MARKETS)},
        "config": {"strategy": {"name": "ema_cross", "fast": 12, "slow": 26}, "venue": {"fee_rate": str(FEE_RATE)},
                   "risk": {"max_order_notional": "50000", "price_collar": "0.01"}},
        "code_version": "0.1.0-e2e", "output_hash": "sha256:" + output.hexdigest(), "statistics": statistics,
        "wall_seconds": 0.84, "events_per_second": samples * len(MARKETS) / 0.84,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return statistics


def _text(value: object) -> str:
    """A CSV or JSON value as the contract writes it: decimals in plain notation."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _annualised(returns: list[float], downside_only: bool) -> float | None:
    """Mean one-minute return over its deviation (Sharpe) or downside deviation (Sortino), annualised."""
    if len(returns) < 2:
        return None
    if downside_only:
        deviation = math.sqrt(sum(r * r for r in returns if r < 0) / len(returns))
    else:
        deviation = stats.pstdev(returns)
    return round(stats.fmean(returns) / deviation * math.sqrt(525_600), 6) if deviation else None


def draw_report(run: Path, out: Path | None = None) -> subprocess.CompletedProcess:
    """Run scripts/backtest_report.py as the Swift CLI does."""
    command = [sys.executable, str(ROOT / "scripts" / "backtest_report.py"), str(run)]
    return subprocess.run(command + (["--out", str(out)] if out else []), capture_output=True, text=True, timeout=120)


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk; fails unless the bytes start like a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", data[:16]
    return struct.unpack(">II", data[16:24])


def make_run(directory: Path, **simulation) -> tuple[Path, dict]:
    """A run directory with its report drawn; returns it and its statistics."""
    directory.mkdir()
    statistics = write_run(directory, **simulation)
    drawn = draw_report(directory)
    assert drawn.returncode == 0, drawn.stderr
    assert drawn.stdout.strip() == str(directory / "report" / "index.html")
    return directory, statistics


@pytest.fixture(scope="session")
def trading_run(tmp_path_factory) -> tuple[Path, dict]:
    return make_run(tmp_path_factory.mktemp("runs") / "ema-cross-2026-01-01", samples=1600, trade_every=40, denials=5)


@pytest.fixture(scope="session")
def empty_run(tmp_path_factory) -> tuple[Path, dict]:
    return make_run(tmp_path_factory.mktemp("runs") / "quiet-day", samples=400, trade_every=None, denials=0)


@pytest.fixture(scope="session")
def browser():
    with HeadlessChromium() as chromium:
        yield chromium


def render(browser: HeadlessChromium, run: Path) -> RenderedPage:
    """The run's page as Chromium renders it from a file:// URL; the screenshot is kept beside the report."""
    page = browser.open((run / "report" / "index.html").as_uri())
    (run / "report-screenshot.png").write_bytes(page.screenshot)
    return page


@pytest.fixture(scope="session")
def trading_page(browser, trading_run) -> RenderedPage:
    return render(browser, trading_run[0])


@pytest.fixture(scope="session")
def empty_page(browser, empty_run) -> RenderedPage:
    return render(browser, empty_run[0])


def test_the_fixture_run_trades_enough_to_plot_and_its_round_trips_agree_with_the_report(trading_run):
    run, statistics = load_run(trading_run[0]), trading_run[1]
    assert len(run.prices) >= 3000 and 50 < len(run.fills) < 120 and len(run.denials) == 5
    for instrument in run.instruments:
        signed = sum(Decimal(f["quantity"]) * (1 if f["side"] == "buy" else -1)
                     for f in run.fills if f["instrument"] == instrument)
        assert signed == Decimal([p for p in run.positions if p["instrument"] == instrument][-1]["quantity"])
    trips = run.round_trips()
    assert len(trips) == statistics["round_trips"] >= 24
    assert sum(trip.realized_pnl > 0 for trip in trips) / len(trips) == statistics["win_rate"]


def test_report_draws_equity_prices_positions_and_round_trips_as_sensible_pngs(trading_run):
    report = trading_run[0] / "report"
    assert {path.name for path in report.iterdir()} == PLOTS | {"round-trips.png", "index.html"}
    for path in report.glob("*.png"):
        width, height = png_size(path.read_bytes())
        assert 600 <= width <= 2000 and 250 <= height <= 1200, (path.name, width, height)
        assert 15_000 < path.stat().st_size < 1_500_000, (path.name, path.stat().st_size)


def test_report_page_embeds_every_plot_and_references_nothing_outside_itself(trading_run):
    report = trading_run[0] / "report"
    page = (report / "index.html").read_text(encoding="utf-8")
    for external in ("http://", "https://", 'src="/', "src='/", "href=", "url(", "<script", "<link", "file:"):
        assert external not in page, external
    sources = re.findall(r'<img src="([^"]*)"', page)
    embedded = sorted(base64.b64decode(src.removeprefix("data:image/png;base64,")) for src in sources)
    assert all(src.startswith("data:image/png;base64,") for src in sources)
    assert embedded == sorted(path.read_bytes() for path in report.glob("*.png"))


def test_report_renders_in_headless_chromium_with_every_image_and_table_and_no_console_error(trading_page):
    assert trading_page.errors == []
    assert len(trading_page.images) == len(PLOTS) + 1
    for image in trading_page.images:
        assert image["decoded"] and image["naturalWidth"] > 0 and image["shownWidth"] > 300, image
    rows = {table["id"]: table["rows"] for table in trading_page.tables}
    assert rows == {"statistics": 15, "instruments": 2, "orders-by-status": 3, "denials-by-reason": 2,
                    "last-fills": 50}


def test_report_page_states_the_run_and_its_statistics_in_human_units(trading_run, trading_page):
    run, statistics = trading_run
    manifest = json.loads((run / "manifest.json").read_text())
    text = trading_page.text
    assert trading_page.title.startswith("Backtest ema-cross-2026-01-01")
    for expected in ("Backtest report: ema-cross-2026-01-01", manifest["output_hash"], "0.1.0-e2e",
                     "SIM:BTCUSDT, SIM:ETHUSDT", "2026-01-01 00:00:00 → 2026-01-02 02:39:00 (1 d 2 h)",
                     "3,200 replayed",
                     "Initial capital\t100,000.00", f"{float(statistics['total_return']) * 100:+,.2f} %",
                     statistics["sampling"], "The last 50 of", "MAX_ORDER_NOTIONAL\t3"):
        assert expected in text, expected


def test_report_of_a_run_without_fills_says_so_and_still_renders(empty_run, empty_page):
    report = empty_run[0] / "report"
    assert {path.name for path in report.iterdir()} == PLOTS | {"index.html"}
    assert empty_page.errors == []
    assert all(image["decoded"] and image["naturalWidth"] > 0 for image in empty_page.images)
    assert len(empty_page.images) == len(PLOTS)
    assert {table["id"]: table["rows"] for table in empty_page.tables} == {"statistics": 15, "instruments": 2}
    for notice in ("No fills.", "No orders.", "No risk denials.", "No closed round trips", "Win rate\tn/a"):
        assert notice in empty_page.text, notice


def test_report_is_byte_for_byte_the_same_when_drawn_again(trading_run, tmp_path):
    assert draw_report(trading_run[0], tmp_path).returncode == 0
    for path in (trading_run[0] / "report").iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_browser_check_reports_console_errors_and_images_that_do_not_decode(browser, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title></head><body>'
                    '<img src="data:image/png;base64,iVBORw0KGgoAAAA" alt="truncated">'
                    '<script>console.error("drawn wrong")</script></body></html>', encoding="utf-8")
    rendered = browser.open(page.as_uri())
    assert rendered.errors == ["console.error: drawn wrong"]
    assert [image["decoded"] for image in rendered.images] == [False]


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(line + "\n")


@pytest.mark.parametrize("damage, named", [
    (lambda run: (run / "fills.csv").unlink(), "fills.csv"),
    (lambda run: (run / "equity.csv").write_text("time_ns,equity\n"), "equity.csv: header lacks realized_pnl"),
    (lambda run: _append(run / "prices.csv", f"{START_NS},SIM:BTCUSDT,1,2,n/a"), "mid 'n/a' is not a decimal"),
], ids=["missing file", "missing column", "value not a decimal"])
def test_report_refuses_a_run_directory_that_breaks_the_contract(empty_run, tmp_path, damage, named):
    run = shutil.copytree(empty_run[0], tmp_path / "run", ignore=shutil.ignore_patterns("report*"))
    damage(run)
    drawn = draw_report(run)
    assert drawn.returncode == 2 and named in drawn.stderr, drawn.stderr
    assert not (run / "report").exists()


def test_round_trips_close_when_the_position_returns_to_flat_or_flips(tmp_path):
    write_run(tmp_path, samples=3, trade_every=None, denials=0)
    (tmp_path / "positions.csv").write_text("\n".join([
        ",".join(COLUMNS["positions.csv"]),
        f"{START_NS},SIM:BTCUSDT,0,0,65000,0,0",
        f"{START_NS + 1},SIM:BTCUSDT,0.02,65000,65000,-1.3,0",         # bought 0.02 at 65000, fee 1.3
        f"{START_NS + 2},SIM:BTCUSDT,-0.02,65100,65100,-1.904,0",      # sold 0.04 at 65100: +2, fee 2.604
        f"{START_NS + 3},SIM:BTCUSDT,0,0,65050,-2.205,0",              # bought 0.02 at 65050: +1, fee 1.301
    ]) + "\n")
    trips = load_run(tmp_path).round_trips()
    assert [(trip.opened_ns - START_NS, trip.closed_ns - START_NS, trip.realized_pnl) for trip in trips] == [
        (1, 2, Decimal("-1.904")), (2, 3, Decimal("-0.301"))]
