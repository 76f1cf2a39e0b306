#!/usr/bin/env python3
"""A fake Binance Spot MARKET-DATA server for tests: WebSocket streams plus the REST depth snapshot.

Needs the `websockets` package (pinned in Clients/python/requirements.txt): run it with the
project's virtualenv, `.venv/bin/python Tests/fakes/fake_binance_market.py ...` (`make venv`).
It is independent of Tests/fakes/fake_binance.py (the REST order-entry fake): a test can start
either alone or both side by side.

ONE PORT serves everything. A small asyncio HTTP/1.1 front reads each request head: a WebSocket
upgrade is handed to `websockets` (its asyncio ServerConnection, no compression negotiated, like
Binance); anything else is plain HTTP: the REST API (`/api/v3/...`) and the unsigned control
endpoints (`/__control/...`, JSON bodies like fake_binance.py). So the daemon's stream base URL is
`ws://127.0.0.1:PORT` and its REST base URL `http://127.0.0.1:PORT`.

    .venv/bin/python Tests/fakes/fake_binance_market.py --port 0 [--symbol BTCUSDT=65000.00[:TICK[:STEP]] ...]
        [--seed 1] [--tick-ms 100] [--depth 20] [--updates-per-tick 1:3] [--first-update-id N]
        [--ping-interval-s 20] [--pong-timeout-s 60] [--max-incoming-per-s 5] [--max-connection-s 86400]
        [--scenario NAME ...] [--scenario-after 5] [--paused] [--history 100000] [--exit-with-stdin]

prints `LISTENING <port>` on stdout once ready (`--port 0`: an ephemeral port). `--exit-with-stdin`:
exit when stdin closes (the parent died). SIGTERM exits at once.

THE MARKET. Per symbol (default BTCUSDT=65000.00 and ETHUSDT=3500.00; tick 0.01, step 0.00001
unless given) the fake keeps a true L2 book of exact `Decimal` prices and quantities, formatted like
Binance with 8 decimals ("65000.01000000"). Every `--tick-ms` it applies 1..3 (`--updates-per-tick`)
internal updates, each with its own update id (ids increase by one; they start above 2**32 at
`--first-update-id`): taker trades that consume the best level(s) (they emit trade events), new
levels (also inside the spread), changed and removed levels, the depth kept between depth/2 and
3*depth/2 levels per side; never crossed. The evolution is a pure function of `--seed`, the symbol
and the number of ticks (not of time or clients). Then it publishes, per subscribed connection:
  <symbol>@trade        {"e":"trade","E","s","t","p","q","T","m","M":true}   (m: buyer is maker)
  <symbol>@bookTicker   {"u","s","b","B","a","A"}  after each internal update that changed the best
                        bid or ask; `u` is that update's id, the values are the book's at `u`
  <symbol>@depth@100ms  {"e":"depthUpdate","E","s","U","u","b":[[p,q]..],"a":[[p,q]..]} one per tick,
                        U..u = that tick's internal updates, levels = final quantities (0 = removed),
                        bids best first, asks best first
  <symbol>@depth        the same, aggregated over 10 ticks (the 1000 ms stream)
`E`/`T` are the server's wall clock in ms (µs with `?timeUnit=MICROSECOND`). Paths: `/ws/<stream>`,
`/ws/<s1>/<s2>`, `/ws` (then SUBSCRIBE) for raw payloads; `/stream?streams=<s1>/<s2>` and `/stream`
for combined payloads {"stream": name, "data": payload}. A malformed stream name is refused with
HTTP 400 (in the URL) or {"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":..}; a
well-formed name of an unknown symbol is accepted and stays silent.
Control messages: SUBSCRIBE / UNSUBSCRIBE {"method","params":[streams],"id"} -> {"result":null,"id"};
LIST_SUBSCRIPTIONS -> {"result":[streams],"id"}; SET_PROPERTY ["combined", bool] / GET_PROPERTY
["combined"]; errors as Binance sends them, {"error":{"code","msg"},"id"}. At most 1024 streams.
Limits like Binance: more than `--max-incoming-per-s` (5) incoming messages in any 1 s window
(pings, pongs and text/binary messages all count; a silenced connection is exempt) -> close
frame 1008 "Too many messages" (Binance documents the disconnect, not its close code); the
server pings every `--ping-interval-s` (payload: its clock in ms, as ASCII) and closes with 1008
"Pong timeout" when a ping is not answered by a pong echoing its payload within `--pong-timeout-s`
(unsolicited pongs are counted, keep nothing alive); after `--max-connection-s` the connection is
closed with 1001 (Binance's 24-h cut).

REST (same port):
  GET /api/v3/depth?symbol=BTCUSDT&limit=100  -> {"lastUpdateId","bids":[[p,q]..],"asks":[[p,q]..]}
      best first, limit 1..5000 (default 100, larger is capped at 5000); -1102 without symbol,
      -1121 "Invalid symbol.", -1100 for a bad limit; `X-MBX-USED-WEIGHT-1m` header (5/25/50/250).
  GET /api/v3/ping -> {}            GET /api/v3/time -> {"serverTime"}

SCENARIOS. Names: normal, missed-diff, stale-snapshot, drop, server-shutdown, silent, malformed,
oversized. Two ways to use them:
  * armed (`--scenario NAME`, repeatable, or POST /__control/scenario): fires ONCE (`times`) on the
    first connection that is in sync: every depth symbol it subscribes to has had a REST snapshot
    served since the connection opened, and `after_diffs` (`--scenario-after`, default 5) diffs
    sent after the latest such snapshot (a connection without depth streams: `after_diffs` frames).
    Later connections are normal again, so a client that reconnects or resyncs recovers.
  * triggered now (POST /__control/trigger): on every open connection that is not silent (`drop`
    also cuts silent ones), or only on "connection": id (the ids in /__control/stats).
What each does to a connection:
  missed-diff      the next `count` (1) depth diffs of `symbol` (default: all its depth symbols) are
                   not sent: the client sees U > previous u + 1 and must resync.
  stale-snapshot   not a connection event: the next `times` (1) GET /api/v3/depth of `symbol` (default
                   each symbol) answer the book as it was at (first U sent to the latest connection
                   subscribed to it) - 1 - `stale_by` (5): older than the client's first buffered diff.
                   With --scenario, the FIRST depth request of each symbol is stale.
  drop             the TCP connection is cut without a close frame: `how` "rst" (default, SO_LINGER 0)
                   or "fin".
  server-shutdown  sends {"e":"serverShutdown","E"} (combined: {"stream":"!serverShutdown","data":..}),
                   keeps streaming, and closes with 1001 after `grace_ms` (1000).
  silent           the connection sends nothing more: no data, no pings, no pongs to the client's
                   pings, no close frame (it still reads; it goes when the client closes TCP).
  malformed        sends one frame of each of `kinds` (default all): invalid-json (truncated),
                   not-json, array, empty-object, wrong-types (ids as strings, levels not arrays),
                   bad-number ("abc" price), negative-quantity (best bid set to -1, ids of the last
                   diff sent so a lax client would apply it), bad-trade, bad-ticker, binary,
                   unknown-event. Depth/trade/ticker kinds only go to connections subscribed to that
                   stream. The real stream is untouched: a client that rejects them keeps the book.
  oversized        the next depth diff of `symbol` (default all) is padded with zero quantities for
                   absent deep levels: `levels` (5000) entries, or enough for `bytes` bytes (e.g.
                   2000000 to pass a 1 MiB frame limit). It is a valid diff: apply it.

CONTROL ENDPOINTS (unsigned, JSON; errors are 400 {"code":-1100,"msg"}):
  POST /__control/scenario {"name", "after_diffs"?, "times"?, <params above>}  -> {"armed":[..],"stale":{..}}
       {"name":"normal"} disarms everything.
  POST /__control/trigger  {"event", "connection"?, <params above>}  -> {"event","connections":[ids]}
  POST /__control/pause  {}  -> {"paused":true,"lastUpdateId":{"BTCUSDT":N,..}}   the market stops
       (no ticks, no data; pings go on). Everything generated so far has been sent.
  POST /__control/resume {}  -> {"paused":false,"lastUpdateId":{..}}
  POST /__control/step {"ticks":1}  -> {"ticks","lastUpdateId":{..}}   runs ticks now (also paused)
  POST /__control/fail {"count":1, "status"?, "code"?, "msg"?, "retry_after"?, "delay_ms"?,
       "path"?: "/api/v3/depth" (default) | "ws"}  the next `count` depth requests (or WebSocket
       handshakes) get that error ({"code","msg"} JSON when "code" is given, else `msg` as text),
       after `delay_ms`; without "status" only the delay applies.
  GET  /__control/book?symbol=BTCUSDT[&at=ID][&limit=N]  -> {"symbol","lastUpdateId","bids":[[p,q]..],
       "asks":[[p,q]..],"paused"}: the fake's exact book (all levels), or as it was at update id `at`
       (within the last --history updates; 400 otherwise).
  GET  /__control/stats -> {"paused","ticks","symbols":{S:{"lastUpdateId","bids","asks","trades"}},
       "connections":{"attempts","accepted","rejected","open"}, "open":[{"id","path","combined",
       "streams","pings_sent","pongs_received","unsolicited_pongs","pings_received",
       "control_messages","frames_sent":{stream:n},"diffs_skipped","silenced","fired":[..]}],
       "closed":[{"id","reason","close_code","frames_sent",..}] (last 200; reason: peer, drop,
       server-shutdown, silent, rate-limit, pong-timeout, lifetime, slow-consumer), "subscriptions":
       {stream: open connections}, "pings_sent","pongs_received","unsolicited_pongs","pings_received",
       "control_messages","rate_limit_disconnects","pong_timeouts","frames_sent":{stream:n},"diffs_skipped",
       "malformed_sent":{kind:n},"oversized_sent","rest":{"depth_requests","stale_served",
       "failures_served","weight_1m"},"armed":[..],"stale":{..},"fired":[{"name","connection","ms"}]}

HOW A DAEMON TEST DRIVES IT: start it with `--port 0 --tick-ms 10 --exit-with-stdin` (plus
`--scenario X` or later POST /__control/trigger), read `LISTENING <port>`, point the daemon's stream
and REST URLs at that port, wait until the daemon reports its book in sync, fire the event, wait for
the daemon to recover (stats: "closed" reasons, a new connection, the daemon's resync counter),
then compare books: either POST /__control/pause, read /__control/book (lastUpdateId N) and wait
for the daemon's book id to reach N, or read the daemon's book (id N) and GET
/__control/book?symbol=..&at=N while the market runs. Compare every level, as decimal strings.
"""

import argparse
import asyncio
import json
import logging
import os
import random
import re
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
from collections import deque
from decimal import Decimal, InvalidOperation

from websockets.asyncio.server import Server as WebSocketServer
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.frames import Frame, Opcode
from websockets.protocol import State
from websockets.server import ServerProtocol

EIGHT = Decimal("0.00000001")
ZERO = Decimal(0)
STREAM_PATTERN = re.compile(r"^([a-z0-9]{1,32})@(trade|bookTicker|depth|depth@100ms)$")
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9]{1,36}$")
METHODS = ("SUBSCRIBE", "UNSUBSCRIBE", "LIST_SUBSCRIPTIONS", "SET_PROPERTY", "GET_PROPERTY")
MAX_STREAMS = 1024
SLOW_TICKS = 10  # the 1000 ms depth stream aggregates this many 100 ms ticks
CONNECTION_EVENTS = ("missed-diff", "drop", "server-shutdown", "silent", "malformed", "oversized")
SCENARIOS = ("normal", "stale-snapshot") + CONNECTION_EVENTS
MALFORMED_KINDS = ("invalid-json", "not-json", "array", "empty-object", "wrong-types", "bad-number",
                   "negative-quantity", "bad-trade", "bad-ticker", "binary", "unknown-event")
MAX_HEAD = 64 * 1024
MAX_BODY = 1 << 20
MAX_OUTBOX = 100_000  # queued frames before a connection is cut as a slow consumer
CLOSED_KEPT = 200

log = logging.getLogger("fake_binance_market")


class ControlError(Exception):
    pass


class ApiError(Exception):
    def __init__(self, status, code, msg):
        super().__init__(msg)
        self.status = status
        self.code = code
        self.msg = msg


def fmt(value):
    """Binance's 8-decimal text, never an exponent."""
    return format(value.quantize(EIGHT), "f")


def now_ms():
    return time.time_ns() // 1_000_000


def dumps(value):
    return json.dumps(value, separators=(",", ":"))


# The book -------------------------------------------------------------------------------------


class Book:
    """One symbol's true L2 book, evolving deterministically from (seed, symbol), with an undo log."""

    def __init__(self, symbol, mid, tick, step, depth, seed, first_id, history):
        self.symbol = symbol
        self.tick = tick
        self.step = step
        self.depth = depth
        self.min_levels = max(2, depth // 2)
        self.max_levels = max(self.min_levels + 1, depth * 3 // 2)
        self.rng = random.Random("%s:%s" % (seed, symbol))
        self.bids = {}
        self.asks = {}
        self.last_id = first_id
        self.history = deque(maxlen=history)  # (update id, [(side, price, quantity before)])
        self.next_trade_id = 1_000_000_000 + self.rng.randrange(1_000_000)
        self.trades = 0
        self.published_best = None
        mid = (mid / tick).to_integral_value() * tick
        price = mid - tick
        for _ in range(depth):
            if price <= 0:
                break
            self.bids[price] = self.random_qty()
            price -= tick * self.rng.randint(1, 3)
        price = mid + tick
        for _ in range(depth):
            self.asks[price] = self.random_qty()
            price += tick * self.rng.randint(1, 3)
        if not self.bids:
            raise SystemExit("%s: the mid price is too small for its tick" % symbol)

    def random_qty(self):
        return (self.step * self.rng.randint(1, 50_000)).quantize(EIGHT)

    def best(self):
        bid = max(self.bids)
        ask = min(self.asks)
        return bid, self.bids[bid], ask, self.asks[ask]

    def side(self, side):
        return self.bids if side == "b" else self.asks

    def update(self):
        """One internal update (one update id): returns (id, {(side, price): qty}, [trade])."""
        self.last_id += 1
        uid = self.last_id
        undo = []
        changes = {}
        trades = []
        rng = self.rng
        tick = self.tick

        def put(side, price, qty):
            levels = self.side(side)
            undo.append((side, price, levels.get(price)))
            if qty > 0:
                levels[price] = qty
            else:
                levels.pop(price, None)
            changes[(side, price)] = qty

        roll = rng.random()
        side = "b" if rng.random() < 0.5 else "a"
        levels = self.side(side)
        if roll < 0.2:
            # a taker order takes the best level(s) of `side` (a taker sell hits the bids)
            for _ in range(2 if rng.random() < 0.15 else 1):
                best = max(levels) if side == "b" else min(levels)
                available = levels[best]
                units = int(available / self.step)
                if len(levels) > 1 and (units <= 1 or rng.random() < 0.4):
                    qty = available
                elif units > 1:
                    qty = self.step * rng.randint(1, units - 1)
                else:
                    break
                put(side, best, available - qty)
                trades.append({"t": self.next_trade_id, "p": best, "q": qty.quantize(EIGHT), "m": side == "b"})
                self.next_trade_id += 1
                self.trades += 1
                if available - qty > 0:
                    break
        elif roll < 0.5:
            if side == "b":
                price = min(max(levels) + tick * rng.randint(-2 * self.depth, 2), min(self.asks) - tick)
            else:
                price = max(min(levels) + tick * rng.randint(-2, 2 * self.depth), max(self.bids) + tick)
            if price > 0:
                put(side, price, self.random_qty())
        elif roll < 0.85:
            put(side, rng.choice(sorted(levels)), self.random_qty())
        elif len(levels) > 1:
            put(side, rng.choice(sorted(levels)), ZERO)
        for s in ("b", "a"):
            levels = self.side(s)
            while len(levels) > self.max_levels:
                put(s, min(levels) if s == "b" else max(levels), ZERO)
            while len(levels) < self.min_levels:
                worst = min(levels) if s == "b" else max(levels)
                step = tick * rng.randint(1, 3)
                price = worst - step if s == "b" else worst + step
                if price <= 0:
                    break
                put(s, price, self.random_qty())
        self.history.append((uid, undo))
        return uid, changes, trades

    def oldest_id(self):
        return self.last_id - len(self.history)

    def levels_at(self, update_id):
        """(bids, asks) as they were right after update `update_id`, or None if out of the history."""
        if update_id > self.last_id or update_id < self.oldest_id():
            return None
        bids = dict(self.bids)
        asks = dict(self.asks)
        for uid, undo in reversed(self.history):
            if uid <= update_id:
                break
            for side, price, old in reversed(undo):
                levels = bids if side == "b" else asks
                if old is None:
                    levels.pop(price, None)
                else:
                    levels[price] = old
        return bids, asks


def sorted_levels(bids, asks, limit=None):
    b = sorted(bids.items(), key=lambda item: item[0], reverse=True)
    a = sorted(asks.items(), key=lambda item: item[0])
    if limit is not None:
        b, a = b[:limit], a[:limit]
    return [[fmt(p), fmt(q)] for p, q in b], [[fmt(p), fmt(q)] for p, q in a]


def diff_levels(changes):
    bids = sorted(((p, q) for (s, p), q in changes.items() if s == "b"), key=lambda item: item[0], reverse=True)
    asks = sorted(((p, q) for (s, p), q in changes.items() if s == "a"), key=lambda item: item[0])
    return [[fmt(p), fmt(q)] for p, q in bids], [[fmt(p), fmt(q)] for p, q in asks]


class SymbolTick:
    """What one tick produced for one symbol."""

    def __init__(self, symbol, first_id, time_us):
        self.symbol = symbol
        self.first_id = first_id
        self.last_id = first_id - 1
        self.time_us = time_us
        self.changes = {}
        self.events = []  # (stream kind, payload dict) in the order they happened
        self.diff = None


# The WebSocket connection ---------------------------------------------------------------------


class MarketConnection(ServerConnection):
    """websockets' server connection plus the fake's bookkeeping: counts incoming frames (rate
    limit, pongs) and can go silent (every outgoing byte dropped)."""

    def __init__(self, protocol, server, *, fake, **kwargs):
        super().__init__(protocol, server, **kwargs)
        self.fake = fake
        self.cid = fake.new_connection_id()
        self.path = ""
        self.combined = True
        self.micro = False
        self.streams = []
        self.stream_set = set()
        self.outbox = asyncio.Queue()
        self.silenced = False
        self.end_reason = None
        self.rate_limited = False
        self.incoming = deque()
        self.pings_sent = 0
        self.pongs_received = 0
        self.unsolicited_pongs = 0
        self.pings_received = 0
        self.control_messages = 0
        self.frames_sent = {}
        self.data_frames = 0
        self.diffs_skipped = 0
        self.outstanding_pings = {}  # payload -> loop time sent
        self.skip_diffs = {}  # symbol -> diffs still to skip
        self.pad_diffs = {}  # symbol -> (levels, bytes)
        self.last_diff = {}  # symbol -> (U, u) last sent
        self.first_u = {}  # symbol -> U of the first diff sent
        self.diffs_since_snapshot = {}  # symbol -> diffs sent since the latest REST snapshot
        self.slow = {}  # symbol -> [U, u, changes, ticks] of the 1000 ms stream
        self.opened_ms = now_ms()
        self.fired = []

    def process_event(self, event):
        if self.request is not None and isinstance(event, Frame):
            self.fake.incoming_frame(self, event)
        super().process_event(event)

    def send_data(self):
        if self.silenced:
            for _ in self.protocol.data_to_send():
                pass
            return
        super().send_data()

    def is_open(self):
        return self.protocol.state is State.OPEN

    def add_stream(self, stream):
        if stream in self.stream_set:
            return
        self.streams.append(stream)
        self.stream_set.add(stream)

    def remove_stream(self, stream):
        if stream not in self.stream_set:
            return
        self.streams.remove(stream)
        self.stream_set.discard(stream)
        symbol = self.fake.symbol_of(stream)
        if symbol and stream.endswith("@depth"):
            self.slow.pop(symbol, None)

    def depth_symbols(self):
        result = []
        for stream in self.streams:
            if "@depth" in stream:
                symbol = self.fake.symbol_of(stream)
                if symbol and symbol not in result:
                    result.append(symbol)
        return result

    def enqueue(self, stream, payload):
        if self.silenced or not self.is_open():
            return
        if self.outbox.qsize() >= MAX_OUTBOX:
            self.fake.abort(self, "fin", "slow-consumer")
            return
        self.outbox.put_nowait((stream, payload))

    def json(self):
        return {
            "id": self.cid, "path": self.path, "combined": self.combined, "streams": list(self.streams),
            "opened_ms": self.opened_ms, "silenced": self.silenced, "pings_sent": self.pings_sent,
            "pongs_received": self.pongs_received, "unsolicited_pongs": self.unsolicited_pongs,
            "pings_received": self.pings_received, "control_messages": self.control_messages,
            "frames_sent": dict(self.frames_sent), "diffs_skipped": self.diffs_skipped,
            "fired": list(self.fired),
        }


# The HTTP front -------------------------------------------------------------------------------


def parse_chunked(buffer, offset):
    """(body, end offset) of a complete chunked body in `buffer` from `offset`, or (None, 0)."""
    body = bytearray()
    pos = offset
    while True:
        line_end = buffer.find(b"\r\n", pos)
        if line_end < 0:
            return None, 0
        size = int(bytes(buffer[pos:line_end]).split(b";")[0].strip() or b"0", 16)
        pos = line_end + 2
        if size == 0:
            while True:
                end = buffer.find(b"\r\n", pos)
                if end < 0:
                    return None, 0
                if end == pos:
                    return bytes(body), end + 2
                pos = end + 2
        if len(body) + size > MAX_BODY:
            raise ValueError("body too large")
        if len(buffer) < pos + size + 2:
            return None, 0
        body += buffer[pos:pos + size]
        pos += size + 2


class HttpFront(asyncio.Protocol):
    """Reads HTTP/1.1 requests; hands WebSocket upgrades to websockets, answers the rest itself."""

    def __init__(self, fake):
        self.fake = fake
        self.transport = None
        self.buffer = bytearray()
        self.busy = False
        self.done = False

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        if not self.busy:
            self.next_request()

    def eof_received(self):
        self.done = True
        return False

    def connection_lost(self, exc):
        self.done = True

    def fail(self, status, msg):
        self.write(status, {"code": -1100, "msg": msg}, {}, close=True)

    def next_request(self):
        if self.done:
            return
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > MAX_HEAD:
                self.fail(431, "Request header too large.")
            return
        lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            self.fail(400, "Malformed request line.")
            return
        method, target, version = parts
        headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                self.fail(400, "Malformed header.")
                return
            headers[name.strip().lower()] = value.strip()
        if headers.get("upgrade", "").lower() == "websocket":
            self.hand_off()
            return
        offset = end + 4
        try:
            if "chunked" in headers.get("transfer-encoding", "").lower():
                body, consumed = parse_chunked(self.buffer, offset)
                if body is None:
                    return
            else:
                length = int(headers.get("content-length") or 0)
                if length < 0 or length > MAX_BODY:
                    raise ValueError("bad length")
                if len(self.buffer) < offset + length:
                    return
                body = bytes(self.buffer[offset:offset + length])
                consumed = offset + length
        except ValueError:
            self.fail(400, "Malformed request body.")
            return
        del self.buffer[:consumed]
        keep_alive = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
        self.busy = True
        self.fake.spawn(self.respond(method, target, body, keep_alive))

    async def respond(self, method, target, body, keep_alive):
        try:
            status, payload, extra = await self.fake.http(method, target, body)
        except Exception as error:  # a bug in the fake must not hang the client
            log.exception("HTTP handler failed")
            status, payload, extra = 500, {"code": -1000, "msg": "fake error: %s" % error}, {}
        self.write(status, payload, extra, close=not keep_alive)
        self.busy = False
        if self.buffer:
            self.next_request()

    def write(self, status, payload, extra, close):
        if self.done or self.transport is None or self.transport.is_closing():
            return
        if isinstance(payload, (bytes, str)):
            data = payload.encode() if isinstance(payload, str) else payload
            content_type = "text/plain;charset=UTF-8"
        else:
            data = dumps(payload).encode()
            content_type = "application/json;charset=UTF-8"
        head = ["HTTP/1.1 %d %s" % (status, REASONS.get(status, "Status")), "Content-Type: " + content_type,
                "Content-Length: %d" % len(data), "Server: fake-binance-market/1"]
        head += ["%s: %s" % item for item in extra.items()]
        if close:
            head.append("Connection: close")
        self.transport.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data)
        if close:
            self.done = True
            self.transport.close()

    def hand_off(self):
        connection = self.fake.new_ws_connection()
        transport = self.transport
        data = bytes(self.buffer)
        self.buffer.clear()
        self.done = True
        self.transport = None
        transport.set_protocol(connection)
        connection.connection_made(transport)
        connection.data_received(data)


REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           409: "Conflict", 418: "I'm a teapot", 429: "Too Many Requests", 431: "Request Header Fields Too Large",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


# The fake -------------------------------------------------------------------------------------


class FakeMarket:
    def __init__(self, args):
        self.args = args
        self.host = args.host
        self.port = args.port
        self.tick_s = args.tick_ms / 1000
        self.updates_lo, self.updates_hi = args.updates_per_tick
        self.ping_interval = args.ping_interval_s
        self.pong_timeout = args.pong_timeout_s
        self.max_incoming = args.max_incoming_per_s
        self.max_connection_s = args.max_connection_s
        self.books = {}
        first_id = args.first_update_id
        for symbol, (mid, tick, step) in args.symbols.items():
            self.books[symbol] = Book(symbol, mid, tick, step, args.depth, args.seed, first_id, args.history)
            first_id += 1_000_000_000
        self.by_lower = {symbol.lower(): symbol for symbol in self.books}
        self.paused = args.paused
        self.ticks = 0
        self.connection_ids = 0
        self.connections = {}
        self.closed = deque(maxlen=CLOSED_KEPT)
        self.attempts = 0
        self.accepted = 0
        self.rejected = 0
        self.totals = {"pings_sent": 0, "pongs_received": 0, "unsolicited_pongs": 0, "pings_received": 0,
                       "control_messages": 0, "rate_limit_disconnects": 0, "pong_timeouts": 0,
                       "diffs_skipped": 0, "oversized_sent": 0}
        self.frames_sent = {}
        self.malformed_sent = {}
        self.rest = {"depth_requests": 0, "stale_served": 0, "failures_served": 0, "requests": 0}
        self.weights = deque()  # (time, weight)
        self.failures = []
        self.armed = []
        self.stale = {}  # symbol -> {"remaining", "stale_by"}
        self.fired = deque(maxlen=CLOSED_KEPT)
        self.background = set()
        for name in args.scenario or []:
            self.arm({"name": name, "after_diffs": args.scenario_after})
        self.ws_server = None
        self.listener = None

    # lifecycle

    async def start(self):
        async def create_listener():
            loop = asyncio.get_running_loop()
            return await loop.create_server(lambda: HttpFront(self), self.host, self.port)

        self.ws_server = WebSocketServer(create_listener, self.protocol_handler,
                                         logging.getLogger("fake_binance_market.ws"))
        await self.ws_server
        self.listener = self.ws_server.server
        self.port = self.listener.sockets[0].getsockname()[1]

    async def run(self):
        loop = asyncio.get_running_loop()
        deadline = loop.time()
        while True:
            deadline += self.tick_s
            delay = deadline - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            else:
                deadline = loop.time()  # late (a busy machine): no burst of ticks to catch up
                await asyncio.sleep(0)
            if not self.paused:
                self.tick()

    def spawn(self, coroutine):
        task = asyncio.ensure_future(coroutine)
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        return task

    def new_connection_id(self):
        self.connection_ids += 1
        return self.connection_ids

    def symbol_of(self, stream):
        match = STREAM_PATTERN.match(stream)
        return self.by_lower.get(match.group(1)) if match else None

    # the market

    def tick(self):
        self.ticks += 1
        time_us = time.time_ns() // 1000
        ms = time_us // 1000
        produced = {}
        for symbol, book in self.books.items():
            st = SymbolTick(symbol, book.last_id + 1, time_us)
            for _ in range(book.rng.randint(self.updates_lo, self.updates_hi)):
                uid, changes, trades = book.update()
                st.changes.update(changes)
                st.last_id = uid
                for trade in trades:
                    st.events.append(("trade", {"e": "trade", "E": ms, "s": symbol, "t": trade["t"],
                                                "p": fmt(trade["p"]), "q": fmt(trade["q"]), "T": ms,
                                                "m": trade["m"], "M": True}))
                best = book.best()
                if best != book.published_best:
                    book.published_best = best
                    st.events.append(("bookTicker", {"u": uid, "s": symbol, "b": fmt(best[0]), "B": fmt(best[1]),
                                                     "a": fmt(best[2]), "A": fmt(best[3])}))
            bids, asks = diff_levels(st.changes)
            st.diff = {"e": "depthUpdate", "E": ms, "s": symbol, "U": st.first_id, "u": st.last_id,
                       "b": bids, "a": asks}
            produced[symbol] = st
        self.publish(produced)
        self.check_armed()

    def render(self, cache, conn, stream, payload, time_us):
        key = (id(payload), stream, conn.combined, conn.micro)
        text = cache.get(key)
        if text is None:
            if conn.micro and "E" in payload:
                payload = dict(payload, E=time_us)
                if "T" in payload:
                    payload["T"] = time_us
            text = dumps({"stream": stream, "data": payload}) if conn.combined else dumps(payload)
            cache[key] = text
        return text

    def publish(self, produced):
        cache = {}
        for conn in list(self.connections.values()):
            if conn.silenced or not conn.is_open():
                continue
            for symbol, st in produced.items():
                lower = symbol.lower()
                for kind, payload in st.events:
                    stream = lower + "@" + kind
                    if stream in conn.stream_set:
                        conn.enqueue(stream, self.render(cache, conn, stream, payload, st.time_us))
                        conn.data_frames += 1
                fast = lower + "@depth@100ms"
                if fast in conn.stream_set:
                    self.send_diff(conn, fast, symbol, st.diff, st.changes, cache, st.time_us)
                slow = lower + "@depth"
                if slow in conn.stream_set:
                    agg = conn.slow.get(symbol)
                    if agg is None:
                        agg = conn.slow[symbol] = [st.first_id, st.last_id, {}, 0]
                    agg[1] = st.last_id
                    agg[2].update(st.changes)
                    agg[3] += 1
                    if agg[3] >= SLOW_TICKS:
                        del conn.slow[symbol]
                        bids, asks = diff_levels(agg[2])
                        diff = {"e": "depthUpdate", "E": st.diff["E"], "s": symbol, "U": agg[0], "u": agg[1],
                                "b": bids, "a": asks}
                        self.send_diff(conn, slow, symbol, diff, agg[2], None, st.time_us)

    def send_diff(self, conn, stream, symbol, diff, changes, cache, time_us):
        skip = conn.skip_diffs.get(symbol, 0)
        if skip:
            if skip > 1:
                conn.skip_diffs[symbol] = skip - 1
            else:
                del conn.skip_diffs[symbol]
            conn.diffs_skipped += 1
            self.totals["diffs_skipped"] += 1
            return
        pad = conn.pad_diffs.pop(symbol, None)
        if pad is not None:
            diff = self.padded(symbol, diff, changes, pad)
            cache = None
            self.totals["oversized_sent"] += 1
        text = self.render(cache if cache is not None else {}, conn, stream, diff, time_us)
        conn.enqueue(stream, text)
        conn.data_frames += 1
        conn.last_diff[symbol] = (diff["U"], diff["u"])
        conn.first_u.setdefault(symbol, diff["U"])
        if symbol in conn.diffs_since_snapshot:
            conn.diffs_since_snapshot[symbol] += 1

    def padded(self, symbol, diff, changes, pad):
        """`diff` plus zero quantities for price levels absent from the book (deeper than any)."""
        levels, size = pad
        book = self.books[symbol]
        bid_prices = [p for (s, p) in changes if s == "b"] + list(book.bids)
        ask_prices = [p for (s, p) in changes if s == "a"] + list(book.asks)
        bid = min(bid_prices) - book.tick
        ask = max(ask_prices) + book.tick
        bids = list(diff["b"])
        asks = list(diff["a"])
        total = len(dumps(diff))
        count = 0
        zero = fmt(ZERO)
        while (count < levels if size is None else total < size):
            if count % 2 == 0 and bid > 0:
                entry = [fmt(bid), zero]
                bids.append(entry)
                bid -= book.tick
            else:
                entry = [fmt(ask), zero]
                asks.append(entry)
                ask += book.tick
            total += len(entry[0]) + len(zero) + 6
            count += 1
        return dict(diff, b=bids, a=asks)

    # incoming frames, control messages

    def incoming_frame(self, conn, frame):
        opcode = frame.opcode
        if opcode is Opcode.PING:
            conn.pings_received += 1
            self.totals["pings_received"] += 1
        elif opcode is Opcode.PONG:
            data = bytes(frame.data)
            if data in conn.outstanding_pings:
                sent = conn.outstanding_pings[data]
                for payload, when in list(conn.outstanding_pings.items()):
                    if when <= sent:
                        del conn.outstanding_pings[payload]
                conn.pongs_received += 1
                self.totals["pongs_received"] += 1
            else:
                conn.unsolicited_pongs += 1
                self.totals["unsolicited_pongs"] += 1
        elif opcode in (Opcode.TEXT, Opcode.BINARY):
            conn.control_messages += 1
            self.totals["control_messages"] += 1
        else:
            return
        if conn.silenced:
            return  # it answers nothing, so it enforces nothing either
        now = asyncio.get_running_loop().time()
        conn.incoming.append(now)
        while conn.incoming and conn.incoming[0] <= now - 1.0:
            conn.incoming.popleft()
        if len(conn.incoming) > self.max_incoming and not conn.rate_limited:
            conn.rate_limited = True
            self.totals["rate_limit_disconnects"] += 1
            self.spawn(self.close_connection(conn, 1008, "Too many messages", "rate-limit"))

    def control_message(self, conn, message):
        def reply(payload):
            conn.enqueue("control", dumps(payload))

        try:
            request = json.loads(message)
        except (ValueError, UnicodeDecodeError) as error:
            line, column = getattr(error, "lineno", 1), getattr(error, "colno", 1)
            reply({"error": {"code": 3, "msg": "Invalid JSON: expected value at line %d column %d" % (line, column)}})
            return
        if not isinstance(request, dict):
            reply({"error": {"code": 3, "msg": "Invalid JSON: expected an object at line 1 column 1"}})
            return
        rid = request.get("id")
        if not (rid is None or (isinstance(rid, int) and not isinstance(rid, bool) and -2**63 <= rid < 2**63)
                or (isinstance(rid, str) and REQUEST_ID_PATTERN.match(rid))):
            reply({"error": {"code": 2, "msg": "Invalid request: request ID must be an unsigned integer"}, "id": None})
            return
        method = request.get("method")
        if method is None:
            reply({"error": {"code": 2, "msg": "Invalid request: missing field `method`"}, "id": rid})
            return
        if method not in METHODS:
            reply({"error": {"code": 2, "msg": "Invalid request: unknown variant `%s`, expected one of `SUBSCRIBE`, "
                             "`UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`" % method},
                   "id": rid})
            return
        params = request.get("params", [])
        if not isinstance(params, list):
            reply({"error": {"code": 2, "msg": "Invalid request: params must be an array"}, "id": rid})
            return
        if method in ("SUBSCRIBE", "UNSUBSCRIBE"):
            if not all(isinstance(p, str) and STREAM_PATTERN.match(p) for p in params):
                reply({"error": {"code": 2, "msg": "Invalid request: invalid stream"}, "id": rid})
                return
            if method == "SUBSCRIBE":
                if len(set(conn.streams) | set(params)) > MAX_STREAMS:
                    reply({"error": {"code": 2, "msg": "Invalid request: too many streams"}, "id": rid})
                    return
                for stream in params:
                    conn.add_stream(stream)
            else:
                for stream in params:
                    conn.remove_stream(stream)
            reply({"result": None, "id": rid})
        elif method == "LIST_SUBSCRIPTIONS":
            if params:
                reply({"error": {"code": 2, "msg": "Invalid request: too many parameters"}, "id": rid})
                return
            reply({"result": list(conn.streams), "id": rid})
        elif method == "SET_PROPERTY":
            if len(params) != 2 or not isinstance(params[0], str):
                reply({"error": {"code": 2, "msg": "Invalid request: property name must be a string"}, "id": rid})
            elif params[0] != "combined":
                reply({"error": {"code": 0, "msg": "Unknown property"}, "id": rid})
            elif not isinstance(params[1], bool):
                reply({"error": {"code": 1, "msg": "Invalid value type: expected Boolean"}, "id": rid})
            else:
                conn.combined = params[1]
                reply({"result": None, "id": rid})
        else:  # GET_PROPERTY
            if len(params) != 1 or not isinstance(params[0], str):
                reply({"error": {"code": 2, "msg": "Invalid request: property name must be a string"}, "id": rid})
            elif params[0] != "combined":
                reply({"error": {"code": 0, "msg": "Unknown property"}, "id": rid})
            else:
                reply({"result": conn.combined, "id": rid})

    # the WebSocket side

    def new_ws_connection(self):
        protocol = ServerProtocol(max_size=2**20, logger=logging.getLogger("fake_binance_market.ws"))
        return MarketConnection(protocol, self.ws_server, fake=self, ping_interval=None, ping_timeout=None,
                                close_timeout=2, max_queue=64)

    async def protocol_handler(self, connection):
        """The lifecycle websockets' serve() gives a connection, with the fake's handshake checks."""
        try:
            try:
                await asyncio.wait_for(connection.handshake(self.process_request, None, "fake-binance-market/1"), 10)
            except Exception:
                connection.transport.abort()
                return
            if connection.protocol.state is not State.OPEN:
                connection.transport.abort()
                return
            self.ws_server.all_connections.add(connection)
            try:
                async with connection:
                    await self.handle(connection)
            except Exception:
                log.exception("connection handler failed")
            finally:
                self.ws_server.all_connections.discard(connection)
        except Exception:
            connection.transport.abort()
        finally:
            self.ws_server.handler_tasks.discard(asyncio.current_task())

    async def process_request(self, conn, request):
        self.attempts += 1
        rule = self.take_failure("ws")
        if rule is not None:
            if rule["delay_ms"]:
                await asyncio.sleep(rule["delay_ms"] / 1000)
            if rule["status"] is not None:
                self.rejected += 1
                return conn.respond(rule["status"], rule["msg"] or "Injected failure\n")
        parts = urllib.parse.urlsplit(request.path)
        path = urllib.parse.unquote(parts.path)
        query = urllib.parse.parse_qs(parts.query)
        if path in ("/stream", "/stream/"):
            combined = True
            streams = [s for s in query.get("streams", [""])[0].split("/") if s]
        elif path == "/ws" or path.startswith("/ws/"):
            combined = False
            streams = [s for s in path[4:].split("/") if s]
        else:
            self.rejected += 1
            return conn.respond(404, "Not found: use /ws/<stream> or /stream?streams=<a>/<b>\n")
        for stream in streams:
            if not STREAM_PATTERN.match(stream):
                self.rejected += 1
                return conn.respond(400, "Invalid stream: %s\n" % stream)
        if len(streams) > MAX_STREAMS:
            self.rejected += 1
            return conn.respond(400, "Too many streams\n")
        conn.path = request.path
        conn.combined = combined
        conn.micro = query.get("timeUnit", [""])[0].upper() == "MICROSECOND"
        for stream in streams:
            conn.add_stream(stream)
        return None

    async def handle(self, conn):
        self.accepted += 1
        self.connections[conn.cid] = conn
        tasks = [asyncio.ensure_future(self.writer(conn)), asyncio.ensure_future(self.keepalive(conn))]
        try:
            async for message in conn:
                self.control_message(conn, message)
        except ConnectionClosed:
            pass
        finally:
            for task in tasks:
                task.cancel()
            self.connections.pop(conn.cid, None)
            entry = conn.json()
            entry.update({"reason": conn.end_reason or "peer", "close_code": conn.close_code,
                          "closed_ms": now_ms()})
            self.closed.append(entry)

    async def writer(self, conn):
        try:
            while True:
                stream, payload = await conn.outbox.get()
                if conn.silenced:
                    continue
                await conn.send(payload)
                conn.frames_sent[stream] = conn.frames_sent.get(stream, 0) + 1
                self.frames_sent[stream] = self.frames_sent.get(stream, 0) + 1
        except ConnectionClosed:
            pass

    async def keepalive(self, conn):
        """Pings every ping interval, enforces the pong deadline and the connection lifetime."""
        loop = asyncio.get_running_loop()
        resolution = max(0.005, min(self.ping_interval, self.pong_timeout, 1.0) / 4)
        next_ping = loop.time() + self.ping_interval
        end_of_life = loop.time() + self.max_connection_s
        silent_since = None
        try:
            while True:
                await asyncio.sleep(resolution)
                now = loop.time()
                if conn.silenced:
                    # a silent server still goes when the client gave up (its close frame got no answer)
                    if conn.protocol.state is not State.OPEN:
                        silent_since = silent_since or now
                        if now - silent_since > 1.0:
                            conn.transport.abort()
                            return
                    continue
                if now >= end_of_life:
                    await self.close_connection(conn, 1001, "Connection lifetime", "lifetime")
                    return
                if conn.outstanding_pings and now - min(conn.outstanding_pings.values()) > self.pong_timeout:
                    self.totals["pong_timeouts"] += 1
                    await self.close_connection(conn, 1008, "Pong timeout", "pong-timeout")
                    return
                if now >= next_ping:
                    next_ping = now + self.ping_interval
                    payload = str(now_ms()).encode()
                    while payload in conn.outstanding_pings or payload in conn.pending_pings:
                        payload += b"+"
                    conn.outstanding_pings[payload] = now
                    await conn.ping(payload)
                    conn.pings_sent += 1
                    self.totals["pings_sent"] += 1
        except ConnectionClosed:
            pass

    async def close_connection(self, conn, code, text, reason):
        if conn.end_reason is None:
            conn.end_reason = reason
        try:
            await conn.close(code, text)
        except Exception:
            conn.transport.abort()

    def abort(self, conn, how, reason):
        if conn.end_reason is None:
            conn.end_reason = reason
        transport = conn.transport
        if how == "rst":
            sock = transport.get_extra_info("socket")
            if sock is not None:
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                except OSError:
                    pass
        transport.abort()

    # scenarios

    def arm(self, body):
        name = body.get("name")
        if name not in SCENARIOS:
            raise ControlError("unknown scenario %r; one of %s" % (name, ", ".join(SCENARIOS)))
        if name == "normal":
            self.armed.clear()
            self.stale.clear()
            return
        times = int(body.get("times", 1))
        if times < 1:
            raise ControlError("times must be >= 1")
        params = self.check_params(name, body)
        if name == "stale-snapshot":
            self.arm_stale(params, times)
            return
        after = int(body.get("after_diffs", 5))
        if after < 0:
            raise ControlError("after_diffs must be >= 0")
        self.armed.append({"name": name, "after_diffs": after, "remaining": times, "params": params,
                           "fired_on": []})

    def arm_stale(self, params, times):
        for symbol in ([params["symbol"]] if params.get("symbol") else list(self.books)):
            self.stale[symbol] = {"remaining": times, "stale_by": params.get("stale_by", 5)}

    def check_params(self, name, body):
        params = {}
        symbol = body.get("symbol")
        if symbol is not None:
            if symbol not in self.books:
                raise ControlError("unknown symbol %r" % symbol)
            params["symbol"] = symbol
        if name == "missed-diff":
            params["count"] = int(body.get("count", 1))
            if params["count"] < 1:
                raise ControlError("count must be >= 1")
        elif name == "stale-snapshot":
            params["stale_by"] = int(body.get("stale_by", 5))
            if params["stale_by"] < 0:
                raise ControlError("stale_by must be >= 0")
        elif name == "drop":
            params["how"] = body.get("how", "rst")
            if params["how"] not in ("rst", "fin"):
                raise ControlError("how must be rst or fin")
        elif name == "server-shutdown":
            params["grace_ms"] = int(body.get("grace_ms", 1000))
            if params["grace_ms"] < 0:
                raise ControlError("grace_ms must be >= 0")
        elif name == "malformed":
            kinds = body.get("kinds", list(MALFORMED_KINDS))
            if not isinstance(kinds, list) or not kinds or any(k not in MALFORMED_KINDS for k in kinds):
                raise ControlError("kinds must be a non-empty list of %s" % ", ".join(MALFORMED_KINDS))
            params["kinds"] = kinds
        elif name == "oversized":
            size = body.get("bytes")
            params["bytes"] = None if size is None else int(size)
            params["levels"] = int(body.get("levels", 5000))
            if not 1 <= params["levels"] <= 2_000_000 or (size is not None and not 1 <= int(size) <= 64 << 20):
                raise ControlError("levels must be 1..2000000 and bytes 1..64 MiB")
        return params

    def conn_ready(self, conn, after):
        symbols = [s for s in conn.depth_symbols() if s in self.books]
        if symbols:
            return all(conn.diffs_since_snapshot.get(s, -1) >= after for s in symbols)
        return conn.data_frames >= after

    def check_armed(self):
        for armed in self.armed:
            for conn in list(self.connections.values()):
                if armed["remaining"] <= 0:
                    break
                if conn.cid in armed["fired_on"] or conn.silenced or not conn.is_open():
                    continue
                if self.conn_ready(conn, armed["after_diffs"]):
                    armed["remaining"] -= 1
                    armed["fired_on"].append(conn.cid)
                    self.fire(conn, armed["name"], armed["params"])
        self.armed = [armed for armed in self.armed if armed["remaining"] > 0]

    def fire(self, conn, name, params):
        conn.fired.append(name)
        self.fired.append({"name": name, "connection": conn.cid, "ms": now_ms()})
        symbols = [params["symbol"]] if params.get("symbol") else conn.depth_symbols()
        if name == "missed-diff":
            for symbol in symbols:
                conn.skip_diffs[symbol] = conn.skip_diffs.get(symbol, 0) + params["count"]
        elif name == "drop":
            self.abort(conn, params["how"], "drop")
        elif name == "server-shutdown":
            payload = {"e": "serverShutdown", "E": now_ms() * (1000 if conn.micro else 1)}
            conn.enqueue("!serverShutdown", dumps({"stream": "!serverShutdown", "data": payload})
                         if conn.combined else dumps(payload))

            async def close_later():
                await asyncio.sleep(params["grace_ms"] / 1000)
                await self.close_connection(conn, 1001, "Server shutdown", "server-shutdown")
            self.spawn(close_later())
        elif name == "silent":
            conn.silenced = True
            conn.end_reason = "silent"
        elif name == "malformed":
            for stream, frame, kind in self.malformed_frames(conn, params):
                conn.enqueue(stream, frame)
                self.malformed_sent[kind] = self.malformed_sent.get(kind, 0) + 1
        elif name == "oversized":
            for symbol in symbols:
                conn.pad_diffs[symbol] = (params["levels"], params["bytes"])

    def malformed_frames(self, conn, params):
        symbol = params.get("symbol")
        if symbol is None:
            subscribed = [self.symbol_of(s) for s in conn.streams if self.symbol_of(s)]
            symbol = subscribed[0] if subscribed else next(iter(self.books))
        lower = symbol.lower()
        book = self.books[symbol]
        bid, _, ask, _ = book.best()
        first, last = conn.last_diff.get(symbol, (1, 1))
        e = now_ms()
        depth = next((s for s in (lower + "@depth@100ms", lower + "@depth") if s in conn.stream_set), None)
        trade = lower + "@trade" if lower + "@trade" in conn.stream_set else None
        ticker = lower + "@bookTicker" if lower + "@bookTicker" in conn.stream_set else None

        def wrap(stream, data):
            text = data if isinstance(data, str) else dumps(data)
            return '{"stream":%s,"data":%s}' % (dumps(stream), text) if conn.combined else text

        candidates = {
            "not-json": ("any", None, "this is not JSON"),
            "array": ("any", None, "[1,2,3]"),
            "empty-object": ("any", None, "{}"),
            "binary": ("any", None, b"\x00\xff\xfebinary frame"),
            "unknown-event": ("any", lower + "@mystery", {"e": "mystery", "E": e, "s": symbol}),
            "invalid-json": ("depth", depth, '{"e":"depthUpdate","E":%d,"s":"%s","U":%d,"u":' % (e, symbol, first)),
            "wrong-types": ("depth", depth, {"e": "depthUpdate", "E": str(e), "s": symbol, "U": "abc", "u": None,
                                             "b": "oops", "a": {"price": "1"}}),
            "bad-number": ("depth", depth, {"e": "depthUpdate", "E": e, "s": symbol, "U": first, "u": last,
                                            "b": [["abc", "1.00000000"]], "a": [[fmt(ask), "1.0e5x"]]}),
            "negative-quantity": ("depth", depth, {"e": "depthUpdate", "E": e, "s": symbol, "U": first, "u": last,
                                                   "b": [[fmt(bid), "-1.00000000"]], "a": []}),
            "bad-trade": ("trade", trade, {"e": "trade", "E": e, "s": symbol, "t": "abc", "p": "abc",
                                           "q": "-0.50000000", "T": e, "m": "yes", "M": True}),
            "bad-ticker": ("ticker", ticker, {"u": "abc", "s": symbol, "b": float(bid), "B": None,
                                              "a": fmt(ask), "A": "-1.00000000"}),
        }
        frames = []
        for kind in params["kinds"]:
            scope, stream, data = candidates[kind]
            if scope != "any" and stream is None:
                continue  # not subscribed to that stream
            if isinstance(data, bytes) or stream is None:
                frames.append(("malformed", data, kind))
            else:
                frames.append(("malformed", wrap(stream, data), kind))
        return frames

    # HTTP: REST and control

    def take_failure(self, path):
        for rule in self.failures:
            if rule["path"] == path:
                rule["count"] -= 1
                if rule["count"] <= 0:
                    self.failures.remove(rule)
                return rule
        return None

    async def http(self, method, target, body):
        parts = urllib.parse.urlsplit(target)
        path = parts.path
        if path.startswith("/__control/"):
            return await self.control(method, path, parts.query, body)
        self.rest["requests"] += 1
        try:
            params = {}
            for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
                if key in params:
                    raise ApiError(400, -1101, "Duplicate values for a parameter detected.")
                params[key] = value
            if path == "/api/v3/depth":
                if method != "GET":
                    raise ApiError(405, -1000, "Method not allowed.")
                return await self.rest_depth(params)
            if path == "/api/v3/ping" and method == "GET":
                return 200, {}, {}
            if path == "/api/v3/time" and method == "GET":
                return 200, {"serverTime": now_ms()}, {}
            raise ApiError(404, -1000, "Not found.")
        except ApiError as error:
            return error.status, {"code": error.code, "msg": error.msg}, {}

    async def rest_depth(self, params):
        self.rest["depth_requests"] += 1
        rule = self.take_failure("/api/v3/depth")
        if rule is not None:
            if rule["delay_ms"]:
                await asyncio.sleep(rule["delay_ms"] / 1000)
            if rule["status"] is not None:
                self.rest["failures_served"] += 1
                headers = {} if rule["retry_after"] is None else {"Retry-After": str(rule["retry_after"])}
                if rule["code"] is not None:
                    return rule["status"], {"code": rule["code"], "msg": rule["msg"]}, headers
                return rule["status"], rule["msg"], headers
        symbol = params.get("symbol")
        if not symbol:
            raise ApiError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.")
        if symbol not in self.books:
            raise ApiError(400, -1121, "Invalid symbol.")
        limit_text = params.get("limit", "100")
        if not re.fullmatch(r"[0-9]{1,9}", limit_text) or int(limit_text) < 1:
            raise ApiError(400, -1100, "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'.")
        limit = min(int(limit_text), 5000)
        weight = 5 if limit <= 100 else 25 if limit <= 500 else 50 if limit <= 1000 else 250
        loop_time = time.monotonic()
        self.weights.append((loop_time, weight))
        while self.weights and self.weights[0][0] <= loop_time - 60:
            self.weights.popleft()
        used = sum(w for _, w in self.weights)
        book = self.books[symbol]
        update_id = book.last_id
        bids, asks = book.bids, book.asks
        stale = self.stale.get(symbol)
        if stale is not None:
            stale["remaining"] -= 1
            if stale["remaining"] <= 0:
                del self.stale[symbol]
            subscribers = [c for c in self.connections.values() if symbol in c.depth_symbols()]
            first = book.last_id + 1
            if subscribers:
                first = subscribers[-1].first_u.get(symbol, first)
            update_id = max(book.oldest_id(), first - 1 - stale["stale_by"])
            bids, asks = book.levels_at(update_id)
            self.rest["stale_served"] += 1
        else:
            for conn in self.connections.values():
                if symbol in conn.depth_symbols():
                    conn.diffs_since_snapshot[symbol] = 0
        b, a = sorted_levels(bids, asks, limit)
        return 200, {"lastUpdateId": update_id, "bids": b, "asks": a}, {"X-MBX-USED-WEIGHT-1m": str(used)}

    async def control(self, method, path, query, raw):
        try:
            body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
            if not isinstance(body, dict):
                raise ControlError("body must be a JSON object")
            params = dict(urllib.parse.parse_qsl(query))
            key = (method, path)
            if key == ("GET", "/__control/book"):
                return 200, self.control_book(params), {}
            if key == ("GET", "/__control/stats"):
                return 200, self.stats(), {}
            if key == ("POST", "/__control/scenario"):
                self.arm(body)
                return 200, {"armed": self.armed_json(), "stale": dict(self.stale)}, {}
            if key == ("POST", "/__control/trigger"):
                return 200, self.trigger(body), {}
            if key == ("POST", "/__control/pause"):
                self.paused = True
                return 200, {"paused": True, "lastUpdateId": self.last_ids()}, {}
            if key == ("POST", "/__control/resume"):
                self.paused = False
                return 200, {"paused": False, "lastUpdateId": self.last_ids()}, {}
            if key == ("POST", "/__control/step"):
                ticks = int(body.get("ticks", 1))
                if not 1 <= ticks <= 100_000:
                    raise ControlError("ticks must be 1..100000")
                for _ in range(ticks):
                    self.tick()
                return 200, {"ticks": ticks, "lastUpdateId": self.last_ids()}, {}
            if key == ("POST", "/__control/fail"):
                return 200, self.add_failure(body), {}
            return 404, {"code": -1000, "msg": "Unknown control endpoint."}, {}
        except (ControlError, ValueError, TypeError, KeyError, InvalidOperation, UnicodeDecodeError) as error:
            return 400, {"code": -1100, "msg": "control: %s" % error}, {}

    def last_ids(self):
        return {symbol: book.last_id for symbol, book in self.books.items()}

    def armed_json(self):
        return [{"name": a["name"], "after_diffs": a["after_diffs"], "remaining": a["remaining"],
                 "params": a["params"], "fired_on": list(a["fired_on"])} for a in self.armed]

    def control_book(self, params):
        symbol = params.get("symbol")
        if symbol not in self.books:
            raise ControlError("unknown symbol %r" % symbol)
        book = self.books[symbol]
        update_id = book.last_id
        bids, asks = book.bids, book.asks
        if params.get("at") is not None:
            update_id = int(params["at"])
            levels = book.levels_at(update_id)
            if levels is None:
                raise ControlError("update id %d is outside the history [%d, %d]"
                                   % (update_id, book.oldest_id(), book.last_id))
            bids, asks = levels
        limit = int(params["limit"]) if params.get("limit") else None
        b, a = sorted_levels(bids, asks, limit)
        return {"symbol": symbol, "lastUpdateId": update_id, "bids": b, "asks": a, "paused": self.paused}

    def trigger(self, body):
        name = body.get("event")
        if name not in SCENARIOS or name == "normal":
            raise ControlError("unknown event %r; one of %s" % (name, ", ".join(SCENARIOS[1:])))
        params = self.check_params(name, body)
        if name == "stale-snapshot":
            self.arm_stale(params, int(body.get("times", 1)))
            return {"event": name, "connections": [], "stale": dict(self.stale)}
        targets = list(self.connections.values())
        if body.get("connection") is not None:
            targets = [c for c in targets if c.cid == int(body["connection"])]
            if not targets:
                raise ControlError("no open connection %s" % body["connection"])
        fired = []
        for conn in targets:
            if conn.is_open() and not (conn.silenced and name != "drop"):
                self.fire(conn, name, params)
                fired.append(conn.cid)
        return {"event": name, "connections": fired}

    def add_failure(self, body):
        status = body.get("status")
        rule = {"count": int(body.get("count", 1)), "status": None if status is None else int(status),
                "code": None if body.get("code") is None else int(body["code"]), "msg": str(body.get("msg", "")),
                "retry_after": body.get("retry_after"), "delay_ms": int(body.get("delay_ms", 0)),
                "path": body.get("path", "/api/v3/depth")}
        if rule["count"] < 1 or (rule["status"] is not None and not 100 <= rule["status"] <= 599):
            raise ControlError("count must be >= 1 and status an HTTP status")
        if rule["path"] not in ("/api/v3/depth", "ws"):
            raise ControlError("path must be /api/v3/depth or ws")
        self.failures.append(rule)
        return {"armed": rule["count"], "path": rule["path"]}

    def stats(self):
        subscriptions = {}
        for conn in self.connections.values():
            for stream in conn.streams:
                subscriptions[stream] = subscriptions.get(stream, 0) + 1
        used = sum(w for t, w in self.weights if t > time.monotonic() - 60)
        result = {
            "paused": self.paused, "ticks": self.ticks,
            "symbols": {s: {"lastUpdateId": b.last_id, "bids": len(b.bids), "asks": len(b.asks), "trades": b.trades}
                        for s, b in self.books.items()},
            "connections": {"attempts": self.attempts, "accepted": self.accepted, "rejected": self.rejected,
                            "open": len(self.connections)},
            "open": [conn.json() for conn in self.connections.values()],
            "closed": list(self.closed),
            "subscriptions": subscriptions,
            "frames_sent": dict(self.frames_sent),
            "malformed_sent": dict(self.malformed_sent),
            "rest": dict(self.rest, weight_1m=used),
            "armed": self.armed_json(), "stale": dict(self.stale), "fired": list(self.fired),
        }
        result.update(self.totals)
        return result


# Command line ---------------------------------------------------------------------------------


def symbol_spec(text):
    name, sep, rest = text.partition("=")
    fields = rest.split(":")
    try:
        mid = Decimal(fields[0])
        tick = Decimal(fields[1]) if len(fields) > 1 else Decimal("0.01")
        step = Decimal(fields[2]) if len(fields) > 2 else Decimal("0.00001")
    except (InvalidOperation, IndexError):
        mid = None
    if (not sep or not re.fullmatch(r"[A-Z0-9]{2,20}", name) or mid is None or len(fields) > 3
            or not all(v.is_finite() and v > 0 for v in (mid, tick, step))
            or tick != tick.quantize(EIGHT) or step != step.quantize(EIGHT)):
        raise argparse.ArgumentTypeError("expected SYMBOL=MID[:TICK[:STEP]] (uppercase symbol, positive "
                                         "decimals, tick/step at most 8 decimals), got %r" % text)
    return name, (mid, tick, step)


def range_spec(text):
    lo, _, hi = text.partition(":")
    try:
        lo, hi = int(lo), int(hi or lo)
    except ValueError:
        raise argparse.ArgumentTypeError("expected LO:HI, got %r" % text)
    if not 1 <= lo <= hi <= 1000:
        raise argparse.ArgumentTypeError("expected 1 <= LO <= HI <= 1000, got %r" % text)
    return lo, hi


def positive_float(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return value


def main():
    parser = argparse.ArgumentParser(description="Fake Binance Spot market-data server (WebSocket + REST depth).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--symbol", action="append", type=symbol_spec,
                        help="SYMBOL=MID[:TICK[:STEP]], e.g. BTCUSDT=65000.00:0.01:0.00001 (repeatable)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tick-ms", type=positive_float, default=100.0, help="depth diff period (Binance: 100)")
    parser.add_argument("--depth", type=int, default=20, help="levels per side the book stays around")
    parser.add_argument("--updates-per-tick", type=range_spec, default=(1, 3))
    parser.add_argument("--first-update-id", type=int, default=5_000_000_000)
    parser.add_argument("--history", type=int, default=100_000, help="updates kept for ?at= and stale snapshots")
    parser.add_argument("--ping-interval-s", type=positive_float, default=20.0)
    parser.add_argument("--pong-timeout-s", type=positive_float, default=60.0)
    parser.add_argument("--max-incoming-per-s", type=int, default=5)
    parser.add_argument("--max-connection-s", type=positive_float, default=86400.0)
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("--scenario-after", type=int, default=5, help="diffs after the snapshot before it fires")
    parser.add_argument("--paused", action="store_true", help="start with the market paused")
    parser.add_argument("--exit-with-stdin", action="store_true", help="exit when stdin closes (parent died)")
    args = parser.parse_args()
    if args.depth < 3:
        parser.error("--depth must be >= 3")
    if args.history < 1:
        parser.error("--history must be >= 1")
    args.symbols = dict(args.symbol or [symbol_spec("BTCUSDT=65000.00"), symbol_spec("ETHUSDT=3500.00:0.01:0.0001")])
    # A parent may spawn us with signals blocked (Foundation's Process does): take them back.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
    signal.signal(signal.SIGTERM, lambda number, frame: os._exit(0))
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="fake_binance_market: %(message)s")
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass


async def serve(args):
    fake = FakeMarket(args)
    await fake.start()
    if args.exit_with_stdin:
        def watch_stdin():
            while sys.stdin.buffer.read(4096):
                pass
            os._exit(0)
        threading.Thread(target=watch_stdin, daemon=True).start()
    print("LISTENING %d" % fake.port, flush=True)
    await fake.run()


if __name__ == "__main__":
    main()
