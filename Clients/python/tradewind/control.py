"""Send to the suite's ingress sockets: operator commands (kill switch) and research intents.

    from tradewind import Commander
    with Commander("ipc:///path/.run/bus/risk-manager.ctl") as ctl:
        ctl.kill(token, reason="research stop")

Each ingress is a SUB socket the daemon binds; a client connects an XPUB socket to it. ZeroMQ
drops what a publisher sends before the subscriber's subscription has arrived, so the first send
of a topic waits until it has.
"""

from __future__ import annotations

import getpass
import socket
import time
import uuid
from decimal import Decimal

import zmq

from tradewind.numbers import from_decimal
from tradewind.v1 import common_pb2, envelope_pb2, trading_pb2


class _Sender:
    """A socket connected to one ingress, numbering its envelopes 1, 2, 3, ... It is an XPUB (a PUB
    that hears subscriptions): the first send of a topic waits until the daemon's SUB socket has
    subscribed to it, so nothing is dropped to a connection still being set up, however slow the
    machine."""

    def __init__(self, endpoint: str, publisher: str, context: zmq.Context | None = None, timeout_s: float = 10.0):
        self._context = context or zmq.Context.instance()
        self._socket = self._context.socket(zmq.XPUB)
        self._socket.setsockopt(zmq.LINGER, 1000)
        self._socket.connect(endpoint)
        self._endpoint = endpoint
        self._publisher = publisher
        self._sequence = 0
        self._timeout_s = timeout_s
        self._subscriptions: set[bytes] = set()

    def _wait_for_subscriber(self, topic: bytes) -> None:
        deadline = time.monotonic() + self._timeout_s
        while not any(topic.startswith(prefix) for prefix in self._subscriptions):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._socket.poll(int(remaining * 1000) + 1, zmq.POLLIN):
                raise TimeoutError(f"no daemon subscribed to {topic.decode()!r} at {self._endpoint} "
                                   f"within {self._timeout_s} s (is it running?)")
            message = self._socket.recv()
            if message[:1] == b"\x01":
                self._subscriptions.add(message[1:])

    def send(self, topic: str, envelope: envelope_pb2.Envelope) -> None:
        self._wait_for_subscriber(topic.encode("utf-8"))
        self._sequence += 1
        now = time.time_ns()
        envelope.publisher = self._publisher
        envelope.sequence = self._sequence
        envelope.event_time_ns = now
        envelope.publish_time_ns = now
        self._socket.send_multipart([topic.encode("utf-8"), envelope.SerializeToString()])

    def close(self) -> None:
        self._socket.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Commander(_Sender):
    """Kill switch over the bus: connects to the risk manager's `control_endpoint`."""

    def __init__(self, endpoint: str, context: zmq.Context | None = None):
        super().__init__(endpoint, publisher=f"cli-{getpass.getuser()}", context=context)

    def kill(self, token: str, reason: str = "kill switch (bus)") -> None:
        self._command(trading_pb2.ControlCommand.ACTION_KILL, token, reason)

    def resume(self, token: str, reason: str = "resumed (bus)") -> None:
        self._command(trading_pb2.ControlCommand.ACTION_RESUME, token, reason)

    def _command(self, action: int, token: str, reason: str) -> None:
        envelope = envelope_pb2.Envelope()
        envelope.control.action = action
        envelope.control.reason = reason
        envelope.control.token = token
        envelope.control.issued_by = f"{getpass.getuser()}@{socket.gethostname()}"
        name = "kill" if action == trading_pb2.ControlCommand.ACTION_KILL else "resume"
        self.send(f"ctl.{name}", envelope)


_SIDES = {"buy": common_pb2.SIDE_BUY, "sell": common_pb2.SIDE_SELL}
_TIF = {"gtc": common_pb2.TIME_IN_FORCE_GTC, "ioc": common_pb2.TIME_IN_FORCE_IOC}


class IntentSender(_Sender):
    """Research intents: connects to the signal bridge's `intent_endpoint`; risk checks them
    like the bridge's own. Resending an intent id never makes a second order."""

    def __init__(self, endpoint: str, strategy: str, context: zmq.Context | None = None):
        super().__init__(endpoint, publisher=f"research-{strategy}", context=context)
        self.strategy = strategy

    def send_intent(
        self, instrument: str, side: str, quantity: Decimal | str, limit_price: Decimal | str | None = None,
        time_in_force: str = "gtc", intent_id: str | None = None,
    ) -> str:
        """Publishes one intent (a limit order if `limit_price` is given, else market); returns its id."""
        intent_id = intent_id or f"{self.strategy}-{uuid.uuid4().hex[:16]}"
        envelope = envelope_pb2.Envelope()
        intent = envelope.intent
        intent.intent_id = intent_id
        intent.strategy = self.strategy
        intent.instrument = instrument
        intent.side = _SIDES[side]
        intent.time_in_force = _TIF[time_in_force]
        intent.quantity.CopyFrom(from_decimal(quantity))
        if limit_price is None:
            intent.order_type = common_pb2.ORDER_TYPE_MARKET
        else:
            intent.order_type = common_pb2.ORDER_TYPE_LIMIT
            intent.limit_price.CopyFrom(from_decimal(limit_price))
        envelope.correlation_id = intent_id
        self.send(f"intent.{self.strategy}", envelope)
        return intent_id
