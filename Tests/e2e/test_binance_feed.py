"""The market-data daemon on `feed: binance` against the fake Binance market-data server
(Tests/fakes/fake_binance_market.py): in every scenario (a normal session, a missed diff, a stale
snapshot, a dropped connection, serverShutdown, a silent server, malformed and oversized frames) the
daemon recovers and its local book equals the fake's, level by level, and nothing crashes."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

from harness import ROOT, Suite, binary_dir, http_get, http_json, metric_total, shared_database, suite_config, wait_for, _started

sys.path.insert(0, str(ROOT / "Clients" / "python"))

SYMBOLS = ("BTCUSDT", "ETHUSDT")


class MarketFake:
    """The fake market-data server as a separate process on a kernel-chosen port."""

    def __init__(self, *arguments: str):
        command = [sys.executable, str(ROOT / "Tests" / "fakes" / "fake_binance_market.py"), "--port", "0",
                   "--tick-ms", "10", "--seed", "5", "--exit-with-stdin", *arguments]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline()
        assert line.startswith("LISTENING "), f"fake market did not start: {line}"
        self.port = int(line.split()[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> dict:
        with urllib.request.urlopen(self.url(path), timeout=5) as response:
            return json.load(response)

    def post(self, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(self.url(path), data=json.dumps(body or {}).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=5)


def start_market_data(fake: MarketFake, **overrides) -> Suite:
    """The market-data daemon alone, on the binance feed pointed at `fake`."""
    directory = Path(tempfile.mkdtemp(prefix="tw-feed-"))
    config = suite_config(directory)
    config["data"] = {"root": str(directory / "data")}
    config["instruments"] = [
        {"id": "BINANCE:BTCUSDT", "base": "BTC", "quote": "USDT", "tick_size": "0.01", "lot_size": "0.00001",
         "min_quantity": "0.00001"},
        {"id": "BINANCE:ETHUSDT", "base": "ETH", "quote": "USDT", "tick_size": "0.01", "lot_size": "0.0001",
         "min_quantity": "0.0001"},
    ]
    # every per-instrument map keyed by the BINANCE ids, so a backtest can run on this configuration too
    ids = ["BINANCE:BTCUSDT", "BINANCE:ETHUSDT"]
    config["signal_bridge"]["order_quantity"] = dict(zip(ids, ["0.001", "0.01"]))
    config["risk_manager"].update({
        "allowed_instruments": ids, "max_position": dict(zip(ids, ["0.01", "0.1"])),
        "max_order_quantity": dict(zip(ids, ["0.01", "0.1"])), "max_quote_age_ms": 60000,
    })
    config["market_data"].update({
        "feed": "binance", "binance_stream_url": f"ws://127.0.0.1:{fake.port}",
        "binance_rest_url": f"http://127.0.0.1:{fake.port}", "stale_after_ms": 3000,
        "reconnect_initial_ms": 50, "reconnect_max_ms": 400, **overrides,
    })
    (directory / "tradewind.json").write_text(json.dumps(config, indent=2))
    suite = Suite(directory, config, shared_database().create_database())
    _started.append(suite)
    suite.start("market-data")
    return suite


@pytest.fixture
def feed(request):
    """(fake, daemon) with the daemon ready: connected and every book in step."""
    arguments = getattr(request, "param", ())
    fake = MarketFake(*arguments)
    suite = start_market_data(fake)
    try:
        wait_ready(suite)
        yield fake, suite
        assert suite.terminate("market-data") == 0, suite.log("market-data")[-3000:]
    finally:
        suite.kill_all()
        fake.stop()


def wait_ready(suite: Suite, timeout: float = 30.0) -> None:
    def ready():
        try:
            return http_get(suite.url("market-data", "/ready"), timeout=1)[0] == 200
        except OSError:
            return False
    wait_for(ready, timeout, f"market data never ready:\n{suite.log('market-data')[-3000:]}")


def levels(pairs: list[list[str]]) -> list[tuple[Decimal, Decimal]]:
    return [(Decimal(price), Decimal(size)) for price, size in pairs]


def assert_books_equal(fake: MarketFake, suite: Suite) -> None:
    """Waits until each of the daemon's books is live and past the fake's update id of now, then
    compares every level with the fake's book as it was at the daemon's update id (the market keeps
    moving: pausing it would make the feed silent)."""
    now = {symbol: state["lastUpdateId"] for symbol, state in fake.get("/__control/stats")["symbols"].items()}
    for symbol in SYMBOLS:
        instrument = f"BINANCE:{symbol}"

        def caught_up():
            book = http_json(suite.url("market-data", "/v1/book"))[instrument]
            return book if book["state"] == "live" and book["venue_update_id"] >= now[symbol] else None
        ours = wait_for(caught_up, 20, f"{instrument} never reached update {now[symbol]}: "
                                       f"{http_json(suite.url('market-data', '/v1/book')).get(instrument)}")
        theirs = fake.get(f"/__control/book?symbol={symbol}&at={ours['venue_update_id']}")
        assert theirs["lastUpdateId"] == ours["venue_update_id"]
        assert levels(ours["bids"]) == levels(theirs["bids"]), f"{symbol} bids differ"
        assert levels(ours["asks"]) == levels(theirs["asks"]), f"{symbol} asks differ"
        assert len(ours["bids"]) > 5 and len(ours["asks"]) > 5


def feed_metric(suite: Suite, name: str, **labels: str) -> float:
    return metric_total(suite, "market-data", name, **labels)


def connections_accepted(fake: MarketFake) -> int:
    return fake.get("/__control/stats")["connections"]["accepted"]


def test_a_normal_session_keeps_the_book_quotes_and_trades(feed):
    fake, suite = feed
    assert_books_equal(fake, suite)
    # a bookTicker comes when a best level changes: wait until both instruments have had one
    wait_for(lambda: set(http_json(suite.url("market-data", "/v1/market"))["quotes"]) == {"BINANCE:BTCUSDT", "BINANCE:ETHUSDT"},
             10, "no quote for both instruments")
    wait_for(lambda: feed_metric(suite, "tradewind_feed_messages_total", stream="trade") > 0, 10, "no trade counted")
    assert feed_metric(suite, "tradewind_feed_messages_total", stream="depth") > 0
    assert feed_metric(suite, "tradewind_feed_refused_total") == 0
    assert connections_accepted(fake) == 1
    # the book stays in step while the market moves on
    assert_books_equal(fake, suite)


def test_a_missed_diff_resyncs_the_book(feed):
    fake, suite = feed
    fake.post("/__control/trigger", {"event": "missed-diff", "symbol": "BTCUSDT"})
    wait_for(lambda: feed_metric(suite, "tradewind_feed_resyncs_total", reason="gap") >= 1, 15,
             f"no gap resync:\n{suite.log('market-data')[-2000:]}")
    wait_ready(suite)
    assert_books_equal(fake, suite)
    assert connections_accepted(fake) == 1


@pytest.mark.parametrize("feed", [("--scenario", "stale-snapshot")], indirect=True)
def test_a_snapshot_older_than_the_first_buffered_diff_is_fetched_again(feed):
    fake, suite = feed
    assert fake.get("/__control/stats")["rest"]["stale_served"] >= 1
    assert feed_metric(suite, "tradewind_feed_resyncs_total", reason="snapshot_too_old") >= 1
    assert_books_equal(fake, suite)


@pytest.mark.parametrize("event", ["drop", "server-shutdown"])
def test_a_lost_connection_reconnects_and_resyncs(feed, event):
    fake, suite = feed
    fake.post("/__control/trigger", {"event": event, "grace_ms": 200})
    wait_for(lambda: connections_accepted(fake) >= 2, 15, f"no reconnect after {event}:\n{suite.log('market-data')[-2000:]}")
    wait_ready(suite)
    assert_books_equal(fake, suite)


def test_a_silent_server_makes_the_feed_stale_then_reconnects(feed):
    fake, suite = feed
    # the reconnect's handshake is held 3 s, so the not-ready spell is long enough to observe
    fake.post("/__control/fail", {"count": 1, "path": "ws", "delay_ms": 3000})
    fake.post("/__control/trigger", {"event": "silent"})

    def not_ready():
        status, body = http_get(suite.url("market-data", "/ready"), timeout=1)
        return status != 200 and not json.loads(body)["checks"]["feed"]["ok"]
    wait_for(not_ready, 10, "a silent feed stayed ready")
    wait_for(lambda: feed_metric(suite, "tradewind_feed_disconnects_total", reason="stale") >= 1, 10, "no stale disconnect")
    # still nothing from the venue (the new handshake is held): the silence gauge has passed stale_after_ms
    wait_for(lambda: feed_metric(suite, "tradewind_feed_silence_seconds") >= 3.0, 3, "the silence gauge stayed below 3 s")
    wait_for(lambda: connections_accepted(fake) >= 2, 15, "no reconnect after a silent connection")
    wait_ready(suite)
    assert_books_equal(fake, suite)


def test_malformed_frames_are_counted_and_the_book_survives(feed):
    fake, suite = feed
    sent = fake.post("/__control/trigger", {"event": "malformed"})
    assert sent["connections"]
    wait_for(lambda: feed_metric(suite, "tradewind_feed_refused_total") >= 8, 10,
             f"malformed frames not counted:\n{suite.log('market-data')[-2000:]}")
    assert suite.processes["market-data"].poll() is None
    assert_books_equal(fake, suite)
    assert connections_accepted(fake) == 1


def test_an_oversized_diff_within_the_frame_limit_is_applied(feed):
    fake, suite = feed
    fake.post("/__control/trigger", {"event": "oversized", "bytes": 2_000_000})
    wait_for(lambda: fake.get("/__control/stats")["oversized_sent"] >= 1, 10, "the fake sent no oversized diff")
    assert_books_equal(fake, suite)
    assert connections_accepted(fake) == 1


def replay_books(dataset: Path) -> dict[int, tuple[dict, dict]]:
    """Each instrument's book (bids, asks: price units → size units) after every book-level record
    of a dataset (kind 3: a snapshot replaces the book, a delta sets levels, size 0 removes)."""
    from tradewind.dataset import read_dataset
    _, records = read_dataset(dataset)
    books: dict[int, tuple[dict, dict]] = {}
    for record in records[records["kind"] == 3]:
        flags, instrument = int(record["flags"]), int(record["instrument"])
        bids, asks = books.setdefault(instrument, ({}, {}))
        if flags & 0b1000 and flags & 0b10:  # the first level of a snapshot: start over
            bids.clear()
            asks.clear()
        if flags & 0b10000:  # an update without levels
            continue
        side = asks if flags & 1 else bids
        price, size = int(record["v0"]), int(record["v1"])
        if size == 0:
            side.pop(price, None)
        else:
            side[price] = size
    return books


def check_exchange_times(dataset: Path) -> None:
    """Trades and book deltas keep Binance's own times (T, E: whole milliseconds, stamped by the fake
    just before it sent them) beside the receive times; quotes (bookTicker has no time) and REST
    snapshots have none."""
    from tradewind.dataset import FLAG_EXCHANGE_TIME, FLAG_SNAPSHOT, exchange_time_ns, read_dataset
    _, records = read_dataset(dataset)
    exchange = exchange_time_ns(records)
    carries = (records["flags"] & FLAG_EXCHANGE_TIME) != 0
    trades = records["kind"] == 2
    deltas = (records["kind"] == 3) & ((records["flags"] & FLAG_SNAPSHOT) == 0)
    assert carries[trades].all() and carries[deltas].all()
    assert not carries[records["kind"] == 1].any() and not carries[(records["kind"] == 3) & ~deltas].any()
    timed = trades | deltas
    assert (exchange[timed] % 1_000_000 == 0).all(), "exchange times are not Binance's milliseconds"
    lag = records["time_ns"][timed] - exchange[timed]
    assert (lag >= 0).all() and (lag < 5_000_000_000).all(), (lag.min(), lag.max())


def units(pairs: list[list[str]]) -> dict[int, int]:
    return {int(Decimal(price) * 10**8): int(Decimal(size) * 10**8) for price, size in pairs}


def test_a_recorded_session_normalizes_into_the_books_the_daemon_kept(tmp_path):
    fake = MarketFake()
    suite = start_market_data(fake, record_raw=True)
    root = suite.directory / "data"
    try:
        wait_ready(suite)
        # a resync inside the recording, so the replay must follow the book procedure too
        fake.post("/__control/trigger", {"event": "missed-diff", "symbol": "ETHUSDT"})
        wait_for(lambda: feed_metric(suite, "tradewind_feed_resyncs_total", reason="gap") >= 1, 15, "no gap resync")
        wait_for(lambda: feed_metric(suite, "tradewind_feed_messages_total", stream="trade") >= 200, 30, "too few trades")
        paused = fake.post("/__control/pause")["lastUpdateId"]

        def caught_up():
            books = http_json(suite.url("market-data", "/v1/book"))
            return all(books[f"BINANCE:{s}"]["venue_update_id"] == paused[s] and books[f"BINANCE:{s}"]["state"] == "live"
                       for s in SYMBOLS)
        wait_for(caught_up, 20, "the daemon never caught up with the paused market")
        assert suite.terminate("market-data") == 0
    finally:
        suite.kill_all()
    segments = sorted((root / "raw" / "binance").rglob("*.raw.gz"))
    assert segments, f"nothing recorded under {root}"

    out = tmp_path / "normalized"
    tradewind = str(binary_dir() / "tradewind")
    normalized = subprocess.run([tradewind, "data", "normalize", "--config", str(suite.directory / "tradewind.json"),
                                 str(root / "raw" / "binance"), "--out", str(out)],
                                capture_output=True, text=True, timeout=120)
    assert normalized.returncode == 0, normalized.stderr + normalized.stdout
    assert "gap(s)" in normalized.stdout and " 0 gap(s)" not in normalized.stdout, normalized.stdout
    verified = subprocess.run([tradewind, "data", "verify", str(out)], capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["quote"] > 0 and manifest["counts"]["trade"] >= 200
    assert manifest["source"]["kind"] == "normalized"
    check_exchange_times(out)

    # the books the replay rebuilt are the fake's books where the recording ended
    books = replay_books(out)
    for index, instrument in enumerate(manifest["instruments"]):
        symbol = instrument["id"].split(":")[1]
        theirs = fake.get(f"/__control/book?symbol={symbol}")
        assert theirs["lastUpdateId"] == paused[symbol]
        bids, asks = books[index]
        assert bids == units(theirs["bids"]), f"{symbol} bids differ"
        assert asks == units(theirs["asks"]), f"{symbol} asks differ"
    fake.stop()

    # validate, promote into the data root's canonical/, backtest the promoted set
    config = str(suite.directory / "tradewind.json")
    validated = subprocess.run([tradewind, "data", "validate", str(out), "--max-gap-ms", "0"],
                               capture_output=True, text=True, timeout=60)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    promoted = subprocess.run([tradewind, "data", "promote", str(out), "--config", config, "--max-gap-ms", "0"],
                              capture_output=True, text=True, timeout=60)
    assert promoted.returncode == 0, promoted.stdout + promoted.stderr
    canonical = root / "canonical" / "normalized"
    assert (canonical / "manifest.json").exists() and not out.exists()
    run = tmp_path / "run"
    backtest = subprocess.run([tradewind, "backtest", "--data", str(canonical), "--config", config, "--out", str(run),
                               "--no-report"], capture_output=True, text=True, timeout=300)
    assert backtest.returncode == 0, backtest.stdout + backtest.stderr
    ran = json.loads((run / "manifest.json").read_text())
    assert ran["events"] == manifest["counts"]["events"]
    assert ran["dataset"]["content_hash"] == manifest["content_hash"]
    assert ran["statistics"]["orders"] >= 1, ran["statistics"]


def test_a_subscriber_follows_md_book_by_its_sequence_and_asks_for_a_snapshot(feed):
    """A Python subscriber keeps the book from md.book alone (a snapshot, then deltas whose sequence
    grows by one), asks the daemon for a snapshot over HTTP when it joins mid-stream, and ends with
    the fake's book at the venue update id the last message carried."""
    fake, suite = feed
    from tradewind.bus import Subscriber
    from tradewind.numbers import to_decimal

    instrument = "BINANCE:BTCUSDT"
    with Subscriber([suite.endpoint("market-data")], topics=[f"md.book.{instrument}"]) as subscriber:
        bids: dict[Decimal, Decimal] = {}
        asks: dict[Decimal, Decimal] = {}
        sequence, venue_id, deltas, snapshots, skipped = None, 0, 0, 0, 0
        deadline = time.monotonic() + 30
        # the stream is under way: only a requested snapshot lets this subscriber start (asked again
        # while none has arrived: the subscription may not have been connected for the first one)
        request_snapshot(suite, instrument)
        for message in subscriber.messages(timeout_ms=10000):
            assert time.monotonic() < deadline, f"{snapshots} snapshot(s), {deltas} deltas in 30 s"
            book = message.payload
            if book.snapshot:
                assert book.exchange_time_ns == 0  # a REST snapshot carries no exchange time
                snapshots += 1
                bids = {to_decimal(level.price): to_decimal(level.size) for level in book.bids}
                asks = {to_decimal(level.price): to_decimal(level.size) for level in book.asks}
            elif sequence is None:
                skipped += 1  # deltas before the first snapshot cannot be applied
                if skipped % 20 == 0:
                    request_snapshot(suite, instrument)
                continue
            else:
                assert book.sequence == sequence + 1, f"gap: {sequence} then {book.sequence}"
                assert book.exchange_time_ns > 0 and book.exchange_time_ns % 1_000_000 == 0  # Binance's E, in ms
                deltas += 1
                for side, levels_ in ((bids, book.bids), (asks, book.asks)):
                    for level in levels_:
                        price, size = to_decimal(level.price), to_decimal(level.size)
                        if size == 0:
                            side.pop(price, None)
                        else:
                            side[price] = size
            sequence, venue_id = book.sequence, book.venue_update_id
            if snapshots and deltas >= 50:
                break
    assert snapshots >= 1 and deltas >= 50
    theirs = fake.get(f"/__control/book?symbol=BTCUSDT&at={venue_id}")
    assert sorted(bids.items(), reverse=True) == levels(theirs["bids"])
    assert sorted(asks.items()) == levels(theirs["asks"])


def request_snapshot(suite: Suite, instrument: str) -> None:
    status, body = http_post_json(suite.url("market-data", f"/v1/book/snapshot?instrument={instrument}"))
    assert status == 200 and json.loads(body)["published"] == "true", (status, body)


def http_post_json(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, data=b"", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
