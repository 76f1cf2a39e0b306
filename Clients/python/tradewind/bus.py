"""Subscribe to a Tradewind publisher: frames are [topic][Envelope protobuf]."""

from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from typing import Iterator

import zmq

from tradewind.v1 import envelope_pb2


@dataclass
class BusMessage:
    topic: str
    envelope: envelope_pb2.Envelope

    @property
    def payload_name(self) -> str:
        """The payload's field name, e.g. "quote" or "execution_report"."""
        return self.envelope.WhichOneof("payload") or ""

    @property
    def payload(self):
        name = self.payload_name
        return getattr(self.envelope, name) if name else None


def discover(http_base: str, timeout: float = 2.0) -> dict:
    """A daemon's /v1/info: its name, the PUB endpoint it binds and what it subscribes to."""
    with urllib.request.urlopen(f"{http_base.rstrip('/')}/v1/info", timeout=timeout) as response:
        return json.load(response)


class Subscriber:
    """A SUB socket connected to one or more publishers, with topic-prefix filters."""

    def __init__(self, endpoints: list[str], topics: list[str] | None = None, context: zmq.Context | None = None):
        self._context = context or zmq.Context.instance()
        self._socket = self._context.socket(zmq.SUB)
        self._socket.setsockopt(zmq.LINGER, 0)
        for endpoint in endpoints:
            self._socket.connect(endpoint)
        for topic in topics or [""]:
            self._socket.setsockopt_string(zmq.SUBSCRIBE, topic)
        self.malformed = 0

    @classmethod
    def discover(cls, http_base: str, topics: list[str] | None = None) -> "Subscriber":
        """Connect to the publisher behind a daemon's HTTP port (its /v1/info names the endpoint)."""
        return cls([discover(http_base)["pub_endpoint"]], topics)

    def receive(self, timeout_ms: int = 1000) -> BusMessage | None:
        """The next well-formed message, or None on time-out; malformed frames are counted and skipped."""
        poller = zmq.Poller()
        poller.register(self._socket, zmq.POLLIN)
        while poller.poll(timeout_ms):
            frames = self._socket.recv_multipart()
            if len(frames) != 2:
                self.malformed += 1
                continue
            try:
                topic = frames[0].decode("utf-8")
                envelope = envelope_pb2.Envelope.FromString(frames[1])
            except Exception:
                self.malformed += 1
                continue
            return BusMessage(topic, envelope)
        return None

    def messages(self, limit: int | None = None, timeout_ms: int = 5000) -> Iterator[BusMessage]:
        """Yields messages until `limit` have arrived or none came within `timeout_ms`."""
        count = 0
        while limit is None or count < limit:
            message = self.receive(timeout_ms)
            if message is None:
                return
            count += 1
            yield message

    def close(self) -> None:
        self._socket.close(linger=0)

    def __enter__(self) -> "Subscriber":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
