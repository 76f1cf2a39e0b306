"""Self-check of Tests/fakes/fake_binance_market.py (no suite, no database: the fake alone).

A small Python client follows Binance's documented local-order-book procedure for spot (buffer the
diffs, fetch /api/v3/depth, refetch while lastUpdateId < the first buffered U, drop u <= lastUpdateId,
apply, restart when U > book id + 1) and must end with exactly the fake's book, level by level, in a
normal session and after each scripted scenario. Every wait is on an observable condition and
bounded by a timeout.
"""

import asyncio
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal, InvalidOperation
from pathlib import Path

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parents[2]
FAKE = ROOT / "Tests" / "fakes" / "fake_binance_market.py"
TIMEOUT = 20.0


# The fake as a process ----------------------------------------------------------------------


class FakeMarket:
    def __init__(self, *args):
        self.process = subprocess.Popen(
            [sys.executable, str(FAKE), "--port", "0", "--exit-with-stdin", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        lines = []
        reader = threading.Thread(target=lambda: lines.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(TIMEOUT)
        if not lines or not lines[0].startswith("LISTENING "):
            self.stop()
            raise AssertionError("the fake did not start: %r" % (lines[:1],))
        self.port = int(lines[0].split()[1])
        self.http = "http://127.0.0.1:%d" % self.port
        self.ws = "ws://127.0.0.1:%d" % self.port

    def stop(self):
        try:
            self.process.stdin.close()
            self.process.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(5)

    def request(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.http + path, data=data, method="GET" if body is None else "POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    async def get(self, path):
        status, payload = await asyncio.to_thread(self.request, path)
        assert status == 200, (path, status, payload)
        return payload

    async def post(self, action, body=None):
        status, payload = await asyncio.to_thread(self.request, "/__control/" + action, body or {})
        assert status == 200, (action, status, payload)
        return payload


async def wait_until(predicate, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        await asyncio.sleep(0.01)


# The client: Binance's procedure ------------------------------------------------------------


def decimal_text(value, positive):
    if not isinstance(value, str):
        raise ValueError("not a string")
    number = Decimal(value)
    if not number.is_finite() or number < 0 or (positive and number == 0):
        raise ValueError("out of range")
    return number


def parse_depth(data):
    """The diff's (U, u, bids, asks) or ValueError: every field checked, nothing applied half-way."""
    if not isinstance(data, dict) or data.get("e") != "depthUpdate":
        raise ValueError("not a depthUpdate")
    first, last = data.get("U"), data.get("u")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (first, last)) or first > last:
        raise ValueError("bad ids")
    sides = []
    for key in ("b", "a"):
        levels = data.get(key)
        if not isinstance(levels, list):
            raise ValueError("levels not a list")
        parsed = []
        for level in levels:
            if not isinstance(level, list) or len(level) != 2:
                raise ValueError("bad level")
            try:
                parsed.append((decimal_text(level[0], True), level[0], decimal_text(level[1], False), level[1]))
            except InvalidOperation:
                raise ValueError("bad number")
        sides.append(parsed)
    return first, last, sides[0], sides[1]


class LocalBook:
    def __init__(self, symbol):
        self.symbol = symbol
        self.buffer = []
        self.bids = {}
        self.asks = {}
        self.update_id = None
        self.syncing = False
        self.gaps = 0
        self.syncs = 0
        self.stale_snapshots = 0
        self.applied = 0

    def on_diff(self, diff):
        if self.update_id is None:
            self.buffer.append(diff)
        else:
            self.apply(diff)

    def apply(self, diff):
        first, last, bids, asks = diff
        if last < self.update_id:
            return
        if first > self.update_id + 1:
            self.gaps += 1
            self.update_id = None
            self.buffer = []
            return
        for levels, side in ((self.bids, bids), (self.asks, asks)):
            for price, price_text, qty, qty_text in side:
                if qty == 0:
                    levels.pop(price, None)
                else:
                    levels[price] = (price_text, qty_text)
        self.update_id = last
        self.applied += 1

    async def sync(self, fake):
        try:
            while True:
                snapshot = await fake.get("/api/v3/depth?symbol=%s&limit=5000" % self.symbol)
                if snapshot["lastUpdateId"] >= self.buffer[0][0]:
                    break
                self.stale_snapshots += 1
            last = snapshot["lastUpdateId"]
            pending = [diff for diff in self.buffer if diff[1] > last]
            self.buffer = []
            self.bids = {Decimal(p): (p, q) for p, q in snapshot["bids"]}
            self.asks = {Decimal(p): (p, q) for p, q in snapshot["asks"]}
            self.update_id = last
            self.syncs += 1
            self.applied = 0
            for diff in pending:
                if self.update_id is None:
                    self.buffer.append(diff)
                else:
                    self.apply(diff)
        finally:
            self.syncing = False

    def levels(self):
        bids = [list(self.bids[p]) for p in sorted(self.bids, reverse=True)]
        asks = [list(self.asks[p]) for p in sorted(self.asks)]
        return bids, asks


class Client:
    """One combined-stream connection that keeps a LocalBook per symbol from its depth diffs."""

    def __init__(self, fake, symbols, **options):
        self.fake = fake
        self.symbols = symbols
        self.options = options
        self.books = {symbol: LocalBook(symbol) for symbol in symbols}
        self.replies = []
        self.tickers = {}
        self.trades = []
        self.shutdowns = []
        self.malformed = 0
        self.largest_frame = 0
        self.closed = None  # the ConnectionClosed that ended the connection
        self.tasks = set()

    async def start(self, streams):
        self.ws = await connect(self.fake.ws + "/stream?streams=" + "/".join(streams), **self.options)
        self.reader = asyncio.ensure_future(self.read())
        return self

    async def read(self):
        try:
            async for raw in self.ws:
                self.largest_frame = max(self.largest_frame, len(raw))
                self.handle(raw)
        except ConnectionClosed as closed:
            self.closed = closed
            return
        self.closed = self.ws.protocol.close_exc

    def handle(self, raw):
        try:
            message = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            self.malformed += 1
            return
        if not isinstance(message, dict):
            self.malformed += 1
        elif "result" in message or "error" in message:
            self.replies.append(message)
        elif message.get("stream") == "!serverShutdown":
            self.shutdowns.append(message["data"])
        elif not isinstance(message.get("stream"), str) or not isinstance(message.get("data"), dict):
            self.malformed += 1
        else:
            symbol, _, kind = message["stream"].partition("@")
            data = message["data"]
            book = self.books.get(symbol.upper())
            try:
                if kind == "depth@100ms" and book is not None:
                    diff = parse_depth(data)
                    book.on_diff(diff)
                    if book.update_id is None and book.buffer and not book.syncing:
                        book.syncing = True
                        task = asyncio.ensure_future(book.sync(self.fake))
                        self.tasks.add(task)
                        task.add_done_callback(self.tasks.discard)
                elif kind == "bookTicker":
                    if not isinstance(data.get("u"), int) or isinstance(data.get("u"), bool):
                        raise ValueError("bad u")
                    for key, positive in (("b", True), ("B", False), ("a", True), ("A", False)):
                        decimal_text(data.get(key), positive)
                    self.tickers[data["s"]] = data
                elif kind == "trade":
                    if not (isinstance(data.get("t"), int) and isinstance(data.get("m"), bool)
                            and data.get("e") == "trade" and data.get("M") is True):
                        raise ValueError("bad trade")
                    decimal_text(data.get("p"), True)
                    decimal_text(data.get("q"), True)
                    self.trades.append(data)
                else:
                    raise ValueError("unknown stream")
            except (ValueError, InvalidOperation, TypeError, KeyError):
                self.malformed += 1

    async def request(self, method, params=None, rid=1):
        message = {"method": method, "id": rid}
        if params is not None:
            message["params"] = params
        await self.ws.send(json.dumps(message))
        await wait_until(lambda: any(r.get("id") == rid for r in self.replies), "the reply to %s" % method)
        return next(r for r in self.replies if r.get("id") == rid)

    def synced(self, symbol, applied=1):
        book = self.books[symbol]
        return book.update_id is not None and book.applied >= applied

    async def close(self):
        await self.ws.close()
        await asyncio.wait_for(self.reader, TIMEOUT)
        for task in list(self.tasks):
            task.cancel()


async def assert_same_book_running(fake, book):
    """The fake's book at the client's update id (the market keeps moving)."""
    update_id, levels = book.update_id, book.levels()
    theirs = await fake.get("/__control/book?symbol=%s&at=%d" % (book.symbol, update_id))
    assert theirs["lastUpdateId"] == update_id
    assert levels == (theirs["bids"], theirs["asks"])


async def assert_same_book_paused(fake, client, symbol):
    """Pause the market, let the client catch up to the fake's last update id, compare every level."""
    await fake.post("pause")
    theirs = await fake.get("/__control/book?symbol=%s" % symbol)
    book = client.books[symbol]
    await wait_until(lambda: book.update_id == theirs["lastUpdateId"], "%s to reach update %d (it is at %s)"
                     % (symbol, theirs["lastUpdateId"], book.update_id))
    assert book.levels() == (theirs["bids"], theirs["asks"])
    assert len(theirs["bids"]) > 0 and len(theirs["asks"]) > 0
    return theirs


def run(coroutine):
    asyncio.run(asyncio.wait_for(coroutine, 3 * TIMEOUT))


# The tests ----------------------------------------------------------------------------------


def test_normal_session_client_book_equals_the_fakes():
    # pings every 0.5 s: our pongs (at most 2 a second) plus 3 control messages stay within 5 messages/s
    fake = FakeMarket("--tick-ms", "10", "--seed", "7", "--ping-interval-s", "0.5")

    async def scenario():
        client = await Client(fake, ["BTCUSDT", "ETHUSDT"]).start(
            ["btcusdt@depth@100ms", "btcusdt@trade", "btcusdt@bookTicker"])
        reply = await client.request("SUBSCRIBE", ["ethusdt@depth@100ms", "ethusdt@bookTicker"], rid=1)
        assert reply == {"result": None, "id": 1}
        listed = await client.request("LIST_SUBSCRIPTIONS", rid=2)
        assert sorted(listed["result"]) == sorted(["btcusdt@depth@100ms", "btcusdt@trade", "btcusdt@bookTicker",
                                                  "ethusdt@depth@100ms", "ethusdt@bookTicker"])
        reply = await client.request("SUBSCRIBE", ["BTCUSDT@nonsense"], rid=3)
        assert reply == {"error": {"code": 2, "msg": "Invalid request: invalid stream"}, "id": 3}

        await wait_until(lambda: client.synced("BTCUSDT", 50) and client.synced("ETHUSDT", 50), "both books in sync")
        for symbol in ("BTCUSDT", "ETHUSDT"):
            await assert_same_book_running(fake, client.books[symbol])
        await wait_until(lambda: client.trades, "a trade")

        async def pongs():  # websockets answers the fake's pings
            while (await fake.get("/__control/stats"))["pongs_received"] < 2:
                await asyncio.sleep(0.05)
        await asyncio.wait_for(pongs(), TIMEOUT)

        for symbol in ("BTCUSDT", "ETHUSDT"):
            theirs = await assert_same_book_paused(fake, client, symbol)
            ticker = client.tickers[symbol]
            assert [ticker["b"], ticker["B"]] == theirs["bids"][0]
            assert [ticker["a"], ticker["A"]] == theirs["asks"][0]
            assert ticker["u"] <= theirs["lastUpdateId"]
            assert Decimal(theirs["bids"][0][0]) < Decimal(theirs["asks"][0][0])
        ids = [trade["t"] for trade in client.trades]
        assert ids == sorted(set(ids)) and ids == list(range(ids[0], ids[0] + len(ids)))
        assert all(t["s"] == "BTCUSDT" and t["T"] <= t["E"] for t in client.trades)
        assert client.malformed == 0

        snapshot = await fake.get("/api/v3/depth?symbol=BTCUSDT&limit=3")
        assert len(snapshot["bids"]) == 3 and len(snapshot["asks"]) == 3
        assert snapshot["bids"][0][0].endswith("0") and len(snapshot["bids"][0][0].split(".")[1]) == 8
        status, error = await asyncio.to_thread(fake.request, "/api/v3/depth?symbol=NOPE")
        assert (status, error["code"]) == (400, -1121)
        stats = await fake.get("/__control/stats")
        assert stats["connections"]["open"] == 1 and sorted(stats["open"][0]["streams"]) == sorted(listed["result"])
        assert stats["rate_limit_disconnects"] == 0 and stats["closed"] == [] and client.closed is None
        assert stats["frames_sent"]["btcusdt@depth@100ms"] >= 50
        assert stats["subscriptions"]["ethusdt@depth@100ms"] == 1
        await client.close()

    try:
        run(scenario())
    finally:
        fake.stop()


def test_missed_diff_client_detects_the_gap_and_resyncs_to_the_fakes_book():
    fake = FakeMarket("--tick-ms", "10", "--seed", "11", "--scenario", "missed-diff", "--scenario-after", "5")

    async def scenario():
        client = await Client(fake, ["BTCUSDT", "ETHUSDT"]).start(["btcusdt@depth@100ms", "ethusdt@depth@100ms"])
        await wait_until(lambda: all(client.books[s].gaps == 1 for s in client.books), "the gap in both books")
        await wait_until(lambda: client.synced("BTCUSDT", 20) and client.synced("ETHUSDT", 20), "the resync")
        for symbol in ("BTCUSDT", "ETHUSDT"):
            assert client.books[symbol].syncs == 2
            await assert_same_book_paused(fake, client, symbol)
        stats = await fake.get("/__control/stats")
        assert stats["diffs_skipped"] == 2
        assert [(f["name"], f["connection"]) for f in stats["fired"]] == [("missed-diff", 1)]
        assert stats["armed"] == []
        await client.close()

    try:
        run(scenario())
    finally:
        fake.stop()


def test_server_shutdown_then_close_then_a_new_connection_resyncs():
    fake = FakeMarket("--tick-ms", "10", "--seed", "3")

    async def scenario():
        client = await Client(fake, ["BTCUSDT"]).start(["btcusdt@depth@100ms"])
        await wait_until(lambda: client.synced("BTCUSDT", 10), "the book in sync")
        fired = await fake.post("trigger", {"event": "server-shutdown", "grace_ms": 500})
        assert fired["connections"] == [1]
        await wait_until(lambda: client.shutdowns, "the serverShutdown event")
        assert client.shutdowns[0]["e"] == "serverShutdown" and isinstance(client.shutdowns[0]["E"], int)
        applied_at_notice = client.books["BTCUSDT"].applied
        await asyncio.wait_for(client.reader, TIMEOUT)
        assert client.closed.rcvd is not None and client.closed.rcvd.code == 1001
        assert client.books["BTCUSDT"].applied > applied_at_notice  # data kept flowing during the grace
        stats = await fake.get("/__control/stats")
        assert [c["reason"] for c in stats["closed"]] == ["server-shutdown"]

        again = await Client(fake, ["BTCUSDT"]).start(["btcusdt@depth@100ms"])
        await wait_until(lambda: again.synced("BTCUSDT", 10), "the new connection in sync")
        await assert_same_book_paused(fake, again, "BTCUSDT")
        await again.close()

    try:
        run(scenario())
    finally:
        fake.stop()


def test_stale_snapshot_malformed_and_oversized_frames_leave_the_book_exact():
    fake = FakeMarket("--tick-ms", "10", "--seed", "5", "--scenario", "stale-snapshot")

    async def scenario():
        client = await Client(fake, ["BTCUSDT"], max_size=None).start(
            ["btcusdt@depth@100ms", "btcusdt@trade", "btcusdt@bookTicker"])
        await wait_until(lambda: client.synced("BTCUSDT", 10), "the book in sync")
        assert client.books["BTCUSDT"].stale_snapshots == 1
        stats = await fake.get("/__control/stats")
        assert stats["rest"]["stale_served"] == 1

        await fake.post("trigger", {"event": "malformed"})
        await wait_until(lambda: client.malformed >= 11, "the malformed frames")
        await fake.post("trigger", {"event": "oversized", "bytes": 2_000_000})
        await wait_until(lambda: client.largest_frame >= 2_000_000, "the oversized diff")
        applied = client.books["BTCUSDT"].applied
        await wait_until(lambda: client.books["BTCUSDT"].applied > applied + 5, "diffs after the oversized one")
        book = client.books["BTCUSDT"]
        assert book.gaps == 0 and book.syncs == 1
        await assert_same_book_paused(fake, client, "BTCUSDT")
        stats = await fake.get("/__control/stats")
        assert sum(stats["malformed_sent"].values()) == 11 and stats["oversized_sent"] == 1
        await client.close()

    try:
        run(scenario())
    finally:
        fake.stop()


def test_drop_silence_and_rate_limit_end_the_connection_like_binance():
    fake = FakeMarket("--tick-ms", "10", "--seed", "9")

    async def scenario():
        client = await Client(fake, ["BTCUSDT"]).start(["btcusdt@depth@100ms"])
        await wait_until(lambda: client.synced("BTCUSDT", 5), "the book in sync")
        await fake.post("trigger", {"event": "drop"})
        await asyncio.wait_for(client.reader, TIMEOUT)
        assert client.closed.rcvd is None  # no close frame

        client = await Client(fake, ["BTCUSDT"], ping_interval=0.25, ping_timeout=0.5, close_timeout=0.3).start(
            ["btcusdt@depth@100ms"])
        await wait_until(lambda: client.synced("BTCUSDT", 5), "the book in sync")
        await fake.post("trigger", {"event": "silent"})
        await asyncio.wait_for(client.reader, TIMEOUT)  # our keepalive (4 pings/s: within the limit) gets no pong
        assert client.closed.rcvd is None

        client = await Client(fake, ["BTCUSDT"]).start(["btcusdt@trade"])
        for rid in range(1, 7):
            await client.ws.send(json.dumps({"method": "LIST_SUBSCRIPTIONS", "id": rid}))
        await asyncio.wait_for(client.reader, TIMEOUT)
        assert client.closed.rcvd is not None and client.closed.rcvd.code == 1008

        async def closed_reasons():
            while len((await fake.get("/__control/stats"))["closed"]) < 3:
                await asyncio.sleep(0.02)
            return [c["reason"] for c in (await fake.get("/__control/stats"))["closed"]]
        assert sorted(await asyncio.wait_for(closed_reasons(), TIMEOUT)) == ["drop", "rate-limit", "silent"]

    try:
        run(scenario())
    finally:
        fake.stop()
