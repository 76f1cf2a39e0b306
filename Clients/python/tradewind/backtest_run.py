"""Read the run directory that `tradewind backtest` writes: manifest, statistics and CSV tables.

    from tradewind.backtest_run import load_run
    run = load_run("runs/2026-01-01-ema")
    print(run.statistics["total_return"], len(run.fills))

Values stay exact strings as written; parse decimals with `decimal.Decimal`. docs/BACKTEST_REPORT.md
describes every file.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

RUN_FORMAT = "tradewind.backtest-run"
RUN_VERSION = 1

COLUMNS: dict[str, tuple[str, ...]] = {
    "orders.csv": ("client_order_id", "intent_id", "strategy", "instrument", "side", "order_type", "time_in_force",
                   "quantity", "limit_price", "status", "filled_quantity", "average_price", "fees", "reason_code",
                   "reason_detail", "created_ns", "updated_ns"),
    "fills.csv": ("time_ns", "client_order_id", "trade_id", "instrument", "side", "quantity", "price", "fee",
                  "fee_currency", "liquidity"),
    "positions.csv": ("time_ns", "instrument", "quantity", "average_price", "mark_price", "realized_pnl",
                      "unrealized_pnl"),
    "equity.csv": ("time_ns", "equity", "realized_pnl", "unrealized_pnl", "fees", "drawdown", "gross_exposure"),
    "prices.csv": ("time_ns", "instrument", "bid", "ask", "mid"),
    "denials.csv": ("time_ns", "intent_id", "instrument", "reason_code", "detail"),
}

INTEGERS = frozenset({"time_ns", "created_ns", "updated_ns"})
DECIMALS = frozenset({"quantity", "limit_price", "filled_quantity", "average_price", "fees", "price", "fee",
                      "mark_price", "realized_pnl", "unrealized_pnl", "equity", "drawdown", "gross_exposure", "bid",
                      "ask", "mid"})
MAY_BE_EMPTY = frozenset({"limit_price", "average_price", "reason_code", "reason_detail"})

MANIFEST_KEYS = ("format", "version", "name", "dataset", "config", "code_version", "output_hash", "statistics",
                 "wall_seconds", "events_per_second")
DATASET_KEYS = ("path", "content_hash", "events", "first_ns", "last_ns", "instruments")
STATISTICS_KEYS = ("initial_capital", "final_equity", "total_return", "sharpe", "sortino", "sampling",
                   "max_drawdown", "max_drawdown_fraction", "max_drawdown_duration_ns", "trades", "orders",
                   "round_trips", "win_rate", "turnover", "fees", "time_in_market", "denials", "denials_by_reason")

Row = dict[str, str]


class RunDirectoryError(Exception):
    """A run directory that breaks the contract; the message names the file and what is wrong."""


@dataclass(frozen=True)
class RoundTrip:
    """One position from flat (or a flip) back to flat (or the next flip), with the realized PnL it made."""

    instrument: str
    opened_ns: int
    closed_ns: int
    realized_pnl: Decimal


@dataclass(frozen=True)
class Run:
    """A loaded run directory: the two JSON documents and each CSV table as rows of exact strings."""

    directory: Path
    manifest: dict
    statistics: dict
    orders: list[Row]
    fills: list[Row]
    positions: list[Row]
    equity: list[Row]
    prices: list[Row]
    denials: list[Row]

    @property
    def instruments(self) -> list[str]:
        """The dataset's instruments in manifest order, then any other that prices or fills name."""
        seen = dict.fromkeys(self.manifest["dataset"]["instruments"])
        seen.update(dict.fromkeys(row["instrument"] for row in self.prices + self.fills))
        return list(seen)

    def round_trips(self) -> list[RoundTrip]:
        """Closed round trips per instrument, found in positions.csv, in the order they closed."""
        trips: list[RoundTrip] = []
        for instrument in self.instruments:
            rows = [row for row in self.positions if row["instrument"] == instrument]
            trips += _round_trips(instrument, rows)
        return sorted(trips, key=lambda trip: trip.closed_ns)


def _round_trips(instrument: str, rows: list[Row]) -> list[RoundTrip]:
    """A trip opens when the quantity leaves zero and closes when it returns to zero or changes sign;
    its PnL is the change of realized PnL from just before it opened to the row that closed it."""
    trips: list[RoundTrip] = []
    quantity, realized = Decimal(0), Decimal(0)
    opened: tuple[int, Decimal] | None = None
    for row in sorted(rows, key=lambda r: int(r["time_ns"])):
        time_ns = int(row["time_ns"])
        new_quantity, new_realized = Decimal(row["quantity"]), Decimal(row["realized_pnl"])
        if opened and (new_quantity == 0 or (new_quantity > 0) != (quantity > 0)):
            trips.append(RoundTrip(instrument, opened[0], time_ns, new_realized - opened[1]))
            opened = None
        if opened is None and new_quantity != 0:
            opened = (time_ns, new_realized if quantity != 0 else realized)
        quantity, realized = new_quantity, new_realized
    return trips


def load_run(directory: str | Path) -> Run:
    """Load and check a run directory; raises RunDirectoryError naming the first file that breaks the contract."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RunDirectoryError("not a directory")
    manifest = _read_json(directory / "manifest.json", MANIFEST_KEYS)
    if manifest["format"] != RUN_FORMAT or manifest["version"] != RUN_VERSION:
        raise RunDirectoryError(f"manifest.json: format {manifest['format']!r} version {manifest['version']!r}, "
                                f"expected {RUN_FORMAT!r} version {RUN_VERSION}")
    _require_keys(manifest["dataset"], DATASET_KEYS, "manifest.json dataset")
    tables = {name: _read_csv(directory / name, columns) for name, columns in COLUMNS.items()}
    return Run(directory=directory, manifest=manifest,
               statistics=_read_json(directory / "statistics.json", STATISTICS_KEYS),
               orders=tables["orders.csv"], fills=tables["fills.csv"], positions=tables["positions.csv"],
               equity=tables["equity.csv"], prices=tables["prices.csv"], denials=tables["denials.csv"])


def _read_json(path: Path, keys: tuple[str, ...]) -> dict:
    """A JSON object that has at least `keys`."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RunDirectoryError(f"{path.name}: {error.strerror}") from error
    except ValueError as error:
        raise RunDirectoryError(f"{path.name}: {error}") from error
    if not isinstance(document, dict):
        raise RunDirectoryError(f"{path.name}: not a JSON object")
    _require_keys(document, keys, path.name)
    return document


def _require_keys(document: dict, keys: tuple[str, ...], where: str) -> None:
    """Raise naming every key of `keys` that `document` lacks."""
    missing = [key for key in keys if key not in document]
    if missing:
        raise RunDirectoryError(f"{where}: missing {', '.join(missing)}")


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[Row]:
    """The rows of a CSV file whose header has at least `columns`."""
    try:
        with path.open(encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file)
            missing = [column for column in columns if column not in (reader.fieldnames or ())]
            if missing:
                raise RunDirectoryError(f"{path.name}: header lacks {', '.join(missing)}")
            rows = list(reader)
    except OSError as error:
        raise RunDirectoryError(f"{path.name}: {error.strerror}") from error
    for number, row in enumerate(rows, start=2):
        if None in row or any(row[column] is None for column in columns):
            raise RunDirectoryError(f"{path.name} line {number}: expected {len(reader.fieldnames)} fields")
        for column in columns:
            problem = _value_problem(column, row[column])
            if problem:
                raise RunDirectoryError(f"{path.name} line {number}: {column} {row[column]!r} {problem}")
    return rows


def _value_problem(column: str, value: str) -> str | None:
    """Why a CSV value does not fit its column (an integer, an exact decimal, or text), or None."""
    if not value:
        return None if column in MAY_BE_EMPTY or column not in INTEGERS | DECIMALS else "is empty"
    if column in INTEGERS and not value.removeprefix("-").isdigit():
        return "is not an integer"
    if column in DECIMALS:
        try:
            if not Decimal(value).is_finite():
                return "is not a finite decimal"
        except InvalidOperation:
            return "is not a decimal"
    return None
