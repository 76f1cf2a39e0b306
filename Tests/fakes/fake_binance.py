#!/usr/bin/env python3
"""A fake Binance Spot REST venue for tests (Python 3 standard library only).

It speaks the real paths, parameters, signatures and error bodies of the Binance Spot API
(`/api/v3/time`, `/api/v3/ticker/price`, `/api/v3/order` POST/GET/DELETE, `/api/v3/openOrders`, `/api/v3/account`,
`/api/v3/myTrades`), keeps orders, trades and balances per symbol, and offers unsigned
control endpoints under `/__control/` so tests can move prices, inject failures and create
venue-side activity.

    python3 fake_binance.py --port 0 --api-key K --secret S \
        [--price BTCUSDT=65000.00 ...] [--balance USDT=100000 ...] [--exit-with-stdin]

prints `LISTENING <port>` on stdout once ready. Matching: MARKET orders fill at the current
price as taker; LIMIT orders fill as taker at the current price when marketable, otherwise
rest; a new price (`set_price`) fills the resting limits it crosses as maker at their limit
price. `set_price` may bound the size available at that price; takers and makers consume it
until the next `set_price`. The IOC/FOK/MARKET remainder expires. Fees are 0.1% of the
notional, charged in the quote asset.

Control endpoints (JSON bodies):
  POST /__control/set_price      {"symbol", "price", "size"?}
  POST /__control/fail           {"count", "status", "code"?, "msg"?, "path"?, "method"?,
                                  "retry_after"?, "process"?, "delay_ms"?}
       the next `count` matching API requests get that error (a JSON {"code","msg"} body when
       "code" is given, else `msg` as text); with "process": true the request is executed
       first and only its response is replaced (the outcome is then unknown to the client);
       "delay_ms" delays the answer (for client timeouts).
  POST /__control/external_order {"symbol", "side", "type", "quantity", "price"?,
                                  "timeInForce"?, "clientOrderId"?}  an order placed at the
       venue by someone else on this account (web UI, another process).
  POST /__control/fill           {"origClientOrderId", "quantity", "symbol"?, "price"?}
       a maker fill of an open order happening at the venue.
  POST /__control/clock          {"offset_ms"}  shifts the server clock.
  GET  /__control/state          orders, trades, balances, prices, request and connection counts.
"""

import argparse
import hashlib
import hmac
import json
import os
import re
import secrets
import signal
import sys
import threading
import time
import urllib.parse
from decimal import ROUND_HALF_EVEN, ROUND_UP, Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EIGHT = Decimal("0.00000001")
FEE_RATE = Decimal("0.001")
QUOTE_ASSETS = ("USDT", "USDC", "FDUSD", "BUSD", "TUSD", "BTC", "ETH", "BNB", "EUR", "TRY")
DECIMAL_PATTERN = re.compile(r"^([0-9]{1,20})(\.[0-9]{1,20})?$")
INTEGER_PATTERN = re.compile(r"^[0-9]{1,20}$")
CLIENT_ID_PATTERN = re.compile(r"^[\.A-Z\:/a-z0-9_-]{1,36}$")
MAX_BODY = 1 << 20
OPEN_STATUSES = ("NEW", "PARTIALLY_FILLED")


class ApiError(Exception):
    """A Binance-style error answer: HTTP status plus {"code", "msg"}."""

    def __init__(self, status, code, msg, retry_after=None):
        super().__init__(msg)
        self.status = status
        self.code = code
        self.msg = msg
        self.retry_after = retry_after


def fmt(value):
    """Binance's 8-decimal text, never an exponent."""
    return format(value.quantize(EIGHT, rounding=ROUND_HALF_EVEN), "f")


def mandatory(name):
    return ApiError(400, -1102, "Mandatory parameter '%s' was not sent, was empty/null, or malformed." % name)


def parse_matching(params, name, pattern, required):
    """The parameter's text if it matches `pattern` (Binance's -1100 error otherwise), None if absent."""
    text = params.get(name)
    if text is None or text == "":
        if required:
            raise mandatory(name)
        return None
    if not pattern.match(text):
        raise ApiError(400, -1100, "Illegal characters found in parameter '%s'; legal range is '%s'."
                       % (name, pattern.pattern))
    return text


def parse_decimal(params, name, required=True):
    text = parse_matching(params, name, DECIMAL_PATTERN, required)
    return None if text is None else Decimal(text)


def parse_int(params, name, required=False):
    text = parse_matching(params, name, INTEGER_PATTERN, required)
    return None if text is None else int(text)


def required_text(params, name):
    text = params.get(name)
    if text is None or text == "":
        raise mandatory(name)
    return text


def json_decimal(body, name, required=True):
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(400, -1102, "control: '%s' is required" % name)
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise ApiError(400, -1100, "control: '%s' is not a decimal" % name)
    if not result.is_finite():
        raise ApiError(400, -1100, "control: '%s' is not a decimal" % name)
    return result


def now_ms():
    return int(time.time() * 1000)


class Exchange:
    """Orders, trades, balances and prices; every method runs under one lock."""

    def __init__(self, api_key, secret, prices, balances):
        self.api_key = api_key
        self.secret = secret.encode()
        self.lock = threading.Lock()
        self.symbols = {}
        self.prices = {}
        self.liquidity = {}
        self.balances = {}
        self.orders = {}
        self.trades = []
        self.next_order_id = 1
        self.next_trade_id = 1
        self.clock_offset_ms = 0
        self.requests = 0
        self.connections = 0
        self.paths = {}
        self.failures = []
        # None: fees in the quote asset; "BASE": in the base asset on buys (Binance's default); any
        # other asset (e.g. "BNB"): in that asset at `tickers[asset + quote]`
        self.fee_asset = None
        self.tickers = {}
        for symbol, price in prices.items():
            self.add_symbol(symbol)
            self.prices[symbol] = price
        for asset, amount in balances.items():
            self.balance(asset)[0] += amount

    def server_time(self):
        return now_ms() + self.clock_offset_ms

    def add_symbol(self, symbol):
        if symbol in self.symbols:
            return
        for quote in QUOTE_ASSETS:
            if symbol.endswith(quote) and len(symbol) > len(quote):
                self.symbols[symbol] = (symbol[: -len(quote)], quote)
                return
        raise ApiError(400, -1121, "Invalid symbol.")

    def known_symbol(self, params):
        symbol = required_text(params, "symbol")
        if symbol not in self.symbols:
            raise ApiError(400, -1121, "Invalid symbol.")
        return symbol

    def balance(self, asset):
        return self.balances.setdefault(asset, [Decimal(0), Decimal(0)])

    # Authentication ---------------------------------------------------------------------

    def authenticate(self, api_key, query, body, params):
        if not api_key:
            raise ApiError(401, -2014, "API-key format invalid.")
        if not hmac.compare_digest(api_key.encode(), self.api_key.encode()):
            raise ApiError(401, -2015, "Invalid API-key, IP, or permissions for action.")
        signature = params.get("signature")
        if not signature:
            raise mandatory("signature")
        timestamp = parse_int(params, "timestamp", required=True)
        recv_window = parse_int(params, "recvWindow")
        if recv_window is None:
            recv_window = 5000
        if recv_window > 60000:
            raise ApiError(400, -1131, "recvWindow must be less than 60000")
        payload = strip_signature(query) + strip_signature(body)
        expected = hmac.new(self.secret, payload.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature.lower()):
            raise ApiError(400, -1022, "Signature for this request is not valid.")
        server = self.server_time()
        if timestamp >= server + 1000:
            raise ApiError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.")
        if server - timestamp > recv_window:
            raise ApiError(400, -1021, "Timestamp for this request is outside of the recvWindow.")

    # Orders -----------------------------------------------------------------------------

    def new_order(self, params):
        symbol = self.known_symbol(params)
        side = required_text(params, "side")
        if side not in ("BUY", "SELL"):
            raise ApiError(400, -1117, "Invalid side.")
        order_type = required_text(params, "type")
        if order_type not in ("LIMIT", "MARKET"):
            raise ApiError(400, -1116, "Invalid orderType.")
        quantity = parse_decimal(params, "quantity")
        response_type = params.get("newOrderRespType") or "FULL"
        if response_type not in ("ACK", "RESULT", "FULL"):
            raise ApiError(400, -1100, "Illegal characters found in parameter 'newOrderRespType'.")
        if order_type == "LIMIT":
            time_in_force = required_text(params, "timeInForce")
            if time_in_force not in ("GTC", "IOC", "FOK"):
                raise ApiError(400, -1115, "Invalid timeInForce.")
            price = parse_decimal(params, "price")
            if price <= 0:
                raise ApiError(400, -1013, "Invalid price.")
        else:
            for extra in ("price", "timeInForce"):
                if params.get(extra):
                    raise ApiError(400, -1106, "Parameter '%s' sent when not required." % extra)
            time_in_force = "GTC"
            price = Decimal(0)
        if quantity <= 0:
            raise ApiError(400, -1013, "Invalid quantity.")
        if quantity != quantity.quantize(EIGHT):
            raise ApiError(400, -1013, "Filter failure: LOT_SIZE")
        if price != price.quantize(EIGHT):
            raise ApiError(400, -1013, "Filter failure: PRICE_FILTER")
        client_id = params.get("newClientOrderId") or "fake" + secrets.token_hex(8)
        if not CLIENT_ID_PATTERN.match(client_id):
            raise ApiError(400, -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is "
                           "'^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.")
        for order in self.orders.values():
            if order["symbol"] == symbol and order["clientOrderId"] == client_id and order["status"] in OPEN_STATUSES:
                raise ApiError(400, -2010, "Duplicate order sent.")

        base, quote = self.symbols[symbol]
        market = self.prices.get(symbol)
        reference = price if order_type == "LIMIT" else market
        if side == "BUY":
            lock_asset = quote
            lock_amount = (quantity * reference * (1 + FEE_RATE)).quantize(EIGHT, rounding=ROUND_UP) if reference else Decimal(0)
        else:
            lock_asset = base
            lock_amount = quantity
        if self.balance(lock_asset)[0] < lock_amount:
            raise ApiError(400, -2010, "Account has insufficient balance for requested action.")
        self.balance(lock_asset)[0] -= lock_amount
        self.balance(lock_asset)[1] += lock_amount

        now = self.server_time()
        order = {
            "symbol": symbol, "orderId": self.next_order_id, "clientOrderId": client_id, "price": price,
            "origQty": quantity, "executedQty": Decimal(0), "cummulativeQuoteQty": Decimal(0), "status": "NEW",
            "timeInForce": time_in_force, "type": order_type, "side": side, "time": now, "updateTime": now,
            "lockAsset": lock_asset, "lockLeft": lock_amount, "lockPerUnit": (lock_amount / quantity),
        }
        self.next_order_id += 1
        self.orders[order["orderId"]] = order

        fills = []
        marketable = market is not None and (
            order_type == "MARKET" or (side == "BUY" and price >= market) or (side == "SELL" and price <= market))
        available = self.liquidity.get(symbol)
        if marketable:
            quantity_now = quantity if available is None else min(quantity, available)
            if time_in_force == "FOK" and quantity_now < quantity:
                quantity_now = Decimal(0)
            if quantity_now > 0:
                fills.append(self.execute(order, quantity_now, market, is_maker=False))
        remaining = order["origQty"] - order["executedQty"]
        if remaining > 0 and (order_type == "MARKET" or time_in_force in ("IOC", "FOK")):
            self.finish(order, "EXPIRED")
        return self.order_response(order, response_type, fills)

    def commission(self, side, base, quote, quantity, cost):
        """The fee of one fill and the asset it is taken in, as `fee_asset` says."""
        if self.fee_asset == "BASE" and side == "BUY":
            return (quantity * FEE_RATE).quantize(EIGHT, rounding=ROUND_HALF_EVEN), base
        in_quote = (cost * FEE_RATE).quantize(EIGHT, rounding=ROUND_HALF_EVEN)
        rate = self.tickers.get((self.fee_asset or "") + quote)
        if self.fee_asset not in (None, "BASE") and rate:
            return (in_quote / rate).quantize(EIGHT, rounding=ROUND_HALF_EVEN), self.fee_asset
        return in_quote, quote

    def execute(self, order, quantity, price, is_maker):
        """Fills `quantity` of `order` at `price`, moving balances; returns the FULL fill entry."""
        base, quote = self.symbols[order["symbol"]]
        cost = (quantity * price).quantize(EIGHT, rounding=ROUND_HALF_EVEN)
        fee, fee_asset = self.commission(order["side"], base, quote, quantity, cost)
        now = self.server_time()
        if order["side"] == "BUY":
            share = min(order["lockLeft"], (quantity * order["lockPerUnit"]).quantize(EIGHT, rounding=ROUND_UP))
            order["lockLeft"] -= share
            self.balance(quote)[1] -= share
            self.balance(quote)[0] += share - cost
            self.balance(base)[0] += quantity
        else:
            order["lockLeft"] -= quantity
            self.balance(base)[1] -= quantity
            self.balance(quote)[0] += cost
        self.balance(fee_asset)[0] -= fee
        if self.liquidity.get(order["symbol"]) is not None:
            self.liquidity[order["symbol"]] -= quantity
        order["executedQty"] += quantity
        order["cummulativeQuoteQty"] += cost
        order["updateTime"] = now
        order["status"] = "FILLED" if order["executedQty"] == order["origQty"] else "PARTIALLY_FILLED"
        trade = {
            "symbol": order["symbol"], "id": self.next_trade_id, "orderId": order["orderId"], "orderListId": -1,
            "price": price, "qty": quantity, "quoteQty": cost, "commission": fee, "commissionAsset": fee_asset,
            "time": now, "isBuyer": order["side"] == "BUY", "isMaker": is_maker, "isBestMatch": True,
        }
        self.next_trade_id += 1
        self.trades.append(trade)
        if order["status"] == "FILLED":
            self.release(order)
        return {"price": fmt(price), "qty": fmt(quantity), "commission": fmt(fee), "commissionAsset": fee_asset,
                "tradeId": trade["id"]}

    def release(self, order):
        left = order["lockLeft"]
        if left != 0:
            self.balance(order["lockAsset"])[1] -= left
            self.balance(order["lockAsset"])[0] += left
            order["lockLeft"] = Decimal(0)

    def finish(self, order, status):
        order["status"] = status
        order["updateTime"] = self.server_time()
        self.release(order)

    def find_order(self, params):
        symbol = self.known_symbol(params)
        order_id = parse_int(params, "orderId")
        client_id = params.get("origClientOrderId")
        if order_id is None and not client_id:
            raise ApiError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
        candidates = [o for o in self.orders.values() if o["symbol"] == symbol
                      and (order_id is None or o["orderId"] == order_id)
                      and (not client_id or o["clientOrderId"] == client_id)]
        return candidates[-1] if candidates else None

    def cancel(self, params):
        order = self.find_order(params)
        if order is None or order["status"] not in OPEN_STATUSES:
            raise ApiError(400, -2011, "Unknown order sent.")
        self.finish(order, "CANCELED")
        response = self.order_json(order)
        response["origClientOrderId"] = order["clientOrderId"]
        response["clientOrderId"] = params.get("newClientOrderId") or "cancel" + secrets.token_hex(8)
        response["transactTime"] = order["updateTime"]
        for key in ("time", "updateTime", "isWorking", "workingTime", "stopPrice", "icebergQty"):
            response.pop(key, None)
        return response

    def query(self, params):
        order = self.find_order(params)
        if order is None:
            raise ApiError(400, -2013, "Order does not exist.")
        return self.order_json(order)

    def open_orders(self, params):
        symbol = params.get("symbol")
        if symbol and symbol not in self.symbols:
            raise ApiError(400, -1121, "Invalid symbol.")
        return [self.order_json(o) for o in self.orders.values()
                if o["status"] in OPEN_STATUSES and (not symbol or o["symbol"] == symbol)]

    def my_trades(self, params):
        symbol = self.known_symbol(params)
        order_id = parse_int(params, "orderId")
        from_id = parse_int(params, "fromId")
        start = parse_int(params, "startTime")
        end = parse_int(params, "endTime")
        limit = parse_int(params, "limit")
        limit = 500 if limit is None else limit
        if not 1 <= limit <= 1000:
            raise ApiError(400, -1130, "Data sent for parameter 'limit' is not valid.")
        rows = [t for t in self.trades if t["symbol"] == symbol
                and (order_id is None or t["orderId"] == order_id)
                and (from_id is None or t["id"] >= from_id)
                and (start is None or t["time"] >= start)
                and (end is None or t["time"] <= end)]
        rows = rows[:limit] if (from_id is not None or start is not None) else rows[-limit:]
        return [trade_json(t) for t in rows]

    def account(self, params):
        omit = params.get("omitZeroBalances") == "true"
        balances = [{"asset": asset, "free": fmt(free), "locked": fmt(locked)}
                    for asset, (free, locked) in sorted(self.balances.items())
                    if not (omit and free == 0 and locked == 0)]
        return {
            "makerCommission": 10, "takerCommission": 10, "buyerCommission": 0, "sellerCommission": 0,
            "commissionRates": {"maker": "0.00100000", "taker": "0.00100000", "buyer": "0.00000000",
                                "seller": "0.00000000"},
            "canTrade": True, "canWithdraw": True, "canDeposit": True, "brokered": False,
            "requireSelfTradePrevention": False, "preventSor": False, "updateTime": self.server_time(),
            "accountType": "SPOT", "balances": balances, "permissions": ["SPOT"], "uid": 1,
        }

    def order_json(self, order):
        return {
            "symbol": order["symbol"], "orderId": order["orderId"], "orderListId": -1,
            "clientOrderId": order["clientOrderId"], "price": fmt(order["price"]), "origQty": fmt(order["origQty"]),
            "executedQty": fmt(order["executedQty"]), "cummulativeQuoteQty": fmt(order["cummulativeQuoteQty"]),
            "status": order["status"], "timeInForce": order["timeInForce"], "type": order["type"],
            "side": order["side"], "stopPrice": fmt(Decimal(0)), "icebergQty": fmt(Decimal(0)),
            "time": order["time"], "updateTime": order["updateTime"], "isWorking": True,
            "workingTime": order["time"], "origQuoteOrderQty": fmt(Decimal(0)), "selfTradePreventionMode": "EXPIRE_MAKER",
        }

    def order_response(self, order, response_type, fills):
        ack = {"symbol": order["symbol"], "orderId": order["orderId"], "orderListId": -1,
               "clientOrderId": order["clientOrderId"], "transactTime": order["time"]}
        if response_type == "ACK":
            return ack
        result = dict(ack)
        result.update({
            "price": fmt(order["price"]), "origQty": fmt(order["origQty"]), "executedQty": fmt(order["executedQty"]),
            "origQuoteOrderQty": fmt(Decimal(0)), "cummulativeQuoteQty": fmt(order["cummulativeQuoteQty"]),
            "status": order["status"], "timeInForce": order["timeInForce"], "type": order["type"],
            "side": order["side"], "workingTime": order["time"], "selfTradePreventionMode": "EXPIRE_MAKER",
        })
        if response_type == "FULL":
            result["fills"] = fills
        return result

    # Control ------------------------------------------------------------------------------

    def set_price(self, body):
        symbol = str(body.get("symbol") or "")
        price = json_decimal(body, "price")
        size = json_decimal(body, "size", required=False)
        if price <= 0:
            raise ApiError(400, -1013, "control: price must be > 0")
        self.add_symbol(symbol)
        self.prices[symbol] = price
        self.liquidity[symbol] = size
        fills = []
        for order in sorted(self.orders.values(), key=lambda o: o["orderId"]):
            if order["symbol"] != symbol or order["status"] not in OPEN_STATUSES or order["type"] != "LIMIT":
                continue
            crosses = price <= order["price"] if order["side"] == "BUY" else price >= order["price"]
            if not crosses:
                continue
            quantity = order["origQty"] - order["executedQty"]
            available = self.liquidity.get(symbol)
            if available is not None:
                quantity = min(quantity, available)
            if quantity > 0:
                fills.append(self.execute(order, quantity, order["price"], is_maker=True))
        return {"symbol": symbol, "price": fmt(price), "fills": fills}

    def set_fee_asset(self, body):
        """{"asset": null | "BASE" | "BNB", "prices": {"BNBUSDT": "600"}}: how later fills pay fees."""
        asset = body.get("asset")
        if asset is not None and (not isinstance(asset, str) or not asset.isalnum()):
            raise ApiError(400, -1100, "control: asset must be null, BASE or an asset name")
        prices = body.get("prices") or {}
        if not isinstance(prices, dict):
            raise ApiError(400, -1100, "control: prices must be an object")
        for symbol in prices:
            price = json_decimal(prices, symbol)
            if price <= 0:
                raise ApiError(400, -1013, "control: price must be > 0")
            self.tickers[symbol] = price
        self.fee_asset = asset
        return {"asset": asset, "tickers": {s: fmt(p) for s, p in self.tickers.items()}}

    def ticker_price(self, params):
        """GET /api/v3/ticker/price for one symbol (public)."""
        symbol = params.get("symbol", "")
        price = self.prices.get(symbol, self.tickers.get(symbol))
        if price is None:
            raise ApiError(400, -1121, "Invalid symbol.")
        return {"symbol": symbol, "price": fmt(price)}

    def control_fill(self, body):
        client_id = body.get("origClientOrderId")
        symbol = body.get("symbol")
        quantity = json_decimal(body, "quantity")
        matches = [o for o in self.orders.values() if o["clientOrderId"] == client_id
                   and o["status"] in OPEN_STATUSES and (not symbol or o["symbol"] == symbol)]
        if not matches:
            raise ApiError(400, -2013, "Order does not exist.")
        order = matches[-1]
        price = json_decimal(body, "price", required=False) or order["price"]
        if quantity <= 0 or quantity > order["origQty"] - order["executedQty"] or price <= 0:
            raise ApiError(400, -1013, "control: quantity must be within the order's remaining quantity")
        return self.execute(order, quantity, price, is_maker=True)

    def external_order(self, body):
        params = {key: str(body[key]) for key in ("symbol", "side", "type", "quantity", "price", "timeInForce")
                  if body.get(key) is not None}
        if body.get("clientOrderId"):
            params["newClientOrderId"] = str(body["clientOrderId"])
        params["newOrderRespType"] = "RESULT"
        return self.new_order(params)

    def add_failure(self, body):
        rule = {
            "count": int(body.get("count", 1)), "status": int(body.get("status", 500)),
            "code": None if body.get("code") is None else int(body["code"]),
            "msg": str(body.get("msg", "")), "path": body.get("path"), "method": body.get("method"),
            "retry_after": body.get("retry_after"), "process": bool(body.get("process", False)),
            "delay_ms": int(body.get("delay_ms", 0)),
        }
        if rule["count"] < 1 or not 100 <= rule["status"] <= 599:
            raise ApiError(400, -1130, "control: count must be >= 1 and status an HTTP status")
        self.failures.append(rule)
        return {"armed": rule["count"]}

    def set_clock(self, body):
        self.clock_offset_ms = int(body.get("offset_ms", 0))
        return {"offset_ms": self.clock_offset_ms}

    def take_failure(self, method, path):
        for rule in self.failures:
            if (rule["path"] is None or rule["path"] == path) and (rule["method"] is None or rule["method"] == method):
                rule["count"] -= 1
                if rule["count"] == 0:
                    self.failures.remove(rule)
                return rule
        return None

    def state(self):
        orders = []
        for order in self.orders.values():
            entry = self.order_json(order)
            entry["lockLeft"] = fmt(order["lockLeft"])
            orders.append(entry)
        return {
            "orders": orders, "trades": [trade_json(t) for t in self.trades],
            "balances": {a: {"free": fmt(f), "locked": fmt(l)} for a, (f, l) in sorted(self.balances.items())},
            "prices": {s: fmt(p) for s, p in self.prices.items()}, "requests": self.requests,
            "connections": self.connections, "paths": dict(self.paths), "serverTime": self.server_time(),
        }


def trade_json(trade):
    result = dict(trade)
    for key in ("price", "qty", "quoteQty", "commission"):
        result[key] = fmt(trade[key])
    return result


def strip_signature(text):
    return "&".join(part for part in text.split("&") if not part.startswith("signature=")) if text else ""


def parse_params(query, body):
    params = {}
    for text in (query, body):
        if not text:
            continue
        try:
            pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, strict_parsing=True)
        except ValueError:
            raise ApiError(400, -1100, "Illegal characters found in a parameter.")
        for key, value in pairs:
            if key in params:
                raise ApiError(400, -1101, "Duplicate values for a parameter detected.")
            params[key] = value
    return params


ROUTES = {
    ("POST", "/api/v3/order"): Exchange.new_order,
    ("DELETE", "/api/v3/order"): Exchange.cancel,
    ("GET", "/api/v3/order"): Exchange.query,
    ("GET", "/api/v3/openOrders"): Exchange.open_orders,
    ("GET", "/api/v3/account"): Exchange.account,
    ("GET", "/api/v3/myTrades"): Exchange.my_trades,
}

CONTROL = {
    ("POST", "/__control/set_price"): Exchange.set_price,
    ("POST", "/__control/fail"): Exchange.add_failure,
    ("POST", "/__control/external_order"): Exchange.external_order,
    ("POST", "/__control/fill"): Exchange.control_fill,
    ("POST", "/__control/clock"): Exchange.set_clock,
    ("POST", "/__control/fee_asset"): Exchange.set_fee_asset,
    ("GET", "/__control/state"): lambda exchange, body: exchange.state(),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-binance/1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes

    def setup(self):
        super().setup()
        with self.server.exchange.lock:
            self.server.exchange.connections += 1

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def do_PUT(self):
        self.dispatch("PUT")

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            total = 0
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0] or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                total += size
                if total > MAX_BODY:
                    raise ApiError(400, -1100, "Request body too large.")
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise ApiError(400, -1100, "Request body too large.")
        return self.rfile.read(length) if length else b""

    def dispatch(self, method):
        exchange = self.server.exchange
        parts = urllib.parse.urlsplit(self.path)
        path, query = parts.path, parts.query
        try:
            raw = self.read_body()
        except (ValueError, ApiError):
            self.send_json(400, {"code": -1100, "msg": "Malformed request body."}, close=True)
            return
        if path.startswith("/__control/"):
            self.control(method, path, raw)
            return
        failure = None
        with exchange.lock:
            exchange.requests += 1
            key = "%s %s" % (method, path)
            exchange.paths[key] = exchange.paths.get(key, 0) + 1
            failure = exchange.take_failure(method, path)
        if failure is not None and failure["delay_ms"] > 0:
            time.sleep(failure["delay_ms"] / 1000)
        if failure is not None and not failure["process"]:
            self.send_failure(failure)
            return
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.send_json(400, {"code": -1100, "msg": "Illegal characters found in a parameter."})
            return
        status, payload = self.api(method, path, query, body)
        if failure is not None:
            self.send_failure(failure)
        else:
            self.send_json(status, payload)

    def api(self, method, path, query, body):
        exchange = self.server.exchange
        try:
            with exchange.lock:
                if path == "/api/v3/time" and method == "GET":
                    return 200, {"serverTime": exchange.server_time()}
                if path == "/api/v3/ping" and method == "GET":
                    return 200, {}
                if path == "/api/v3/ticker/price" and method == "GET":
                    return 200, exchange.ticker_price(parse_params(query, body))
                route = ROUTES.get((method, path))
                if route is None:
                    if any(p == path for (_, p) in ROUTES):
                        return 405, {"code": -1000, "msg": "Method not allowed."}
                    return 404, {"code": -1000, "msg": "Not found."}
                params = parse_params(query, body)
                exchange.authenticate(self.headers.get("X-MBX-APIKEY"), query, body, params)
                return 200, route(exchange, params)
        except ApiError as error:
            return error.status, {"code": error.code, "msg": error.msg}
        except Exception as error:  # a bug in the fake must not kill the connection silently
            return 500, {"code": -1000, "msg": "An unknown error occurred while processing the request. (%s)" % error}

    def control(self, method, path, raw):
        exchange = self.server.exchange
        handler = CONTROL.get((method, path))
        if handler is None:
            self.send_json(404, {"code": -1000, "msg": "Unknown control endpoint."})
            return
        try:
            body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
            if not isinstance(body, dict):
                raise ValueError("body must be a JSON object")
            with exchange.lock:
                result = handler(exchange, body)
            self.send_json(200, result)
        except ApiError as error:
            self.send_json(error.status, {"code": error.code, "msg": error.msg})
        except (ValueError, TypeError, UnicodeDecodeError) as error:
            self.send_json(400, {"code": -1100, "msg": "control: %s" % error})

    def send_failure(self, failure):
        headers = {}
        if failure["retry_after"] is not None:
            headers["Retry-After"] = str(failure["retry_after"])
        if failure["code"] is not None:
            self.send_json(failure["status"], {"code": failure["code"], "msg": failure["msg"]}, headers)
        else:
            self.send_body(failure["status"], failure["msg"].encode(), "text/plain", headers)

    def send_json(self, status, payload, headers=None, close=False):
        self.send_body(status, json.dumps(payload).encode(), "application/json;charset=UTF-8", headers, close)

    def send_body(self, status, data, content_type, headers=None, close=False):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, exchange):
        super().__init__(address, Handler)
        self.exchange = exchange

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the client went away (e.g. it timed out): nothing to report
        super().handle_error(request, client_address)


def assignments(values, option):
    result = {}
    for item in values or []:
        name, sep, amount = item.partition("=")
        try:
            number = Decimal(amount)
        except InvalidOperation:
            number = None
        if not sep or not name or number is None or not number.is_finite() or number < 0:
            raise SystemExit("%s expects NAME=DECIMAL, got %r" % (option, item))
        result[name] = number
    return result


def main():
    parser = argparse.ArgumentParser(description="Fake Binance Spot REST venue for tests.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--price", action="append", help="SYMBOL=PRICE, e.g. BTCUSDT=65000.00")
    parser.add_argument("--balance", action="append", help="ASSET=AMOUNT, e.g. USDT=100000")
    parser.add_argument("--exit-with-stdin", action="store_true", help="exit when stdin closes (parent died)")
    args = parser.parse_args()
    # A parent may spawn us with signals blocked (Foundation's Process does): take them back.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
    signal.signal(signal.SIGTERM, lambda number, frame: os._exit(0))
    try:
        exchange = Exchange(args.api_key, args.secret, assignments(args.price, "--price"),
                            assignments(args.balance, "--balance"))
    except ApiError as error:
        raise SystemExit("bad --price symbol: %s" % error.msg)
    server = Server((args.host, args.port), exchange)
    if args.exit_with_stdin:
        def watch_stdin():
            while sys.stdin.buffer.read(4096):
                pass
            os._exit(0)
        threading.Thread(target=watch_stdin, daemon=True).start()
    print("LISTENING %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
