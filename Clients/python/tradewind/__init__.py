"""Research client for Tradewind: subscribe to the suite's ZeroMQ topics from Python.

    from tradewind import Subscriber
    with Subscriber.discover("http://127.0.0.1:9101", topics=["md.quote."]) as sub:
        for msg in sub.messages(limit=5):
            print(msg.topic, msg.payload_name, msg.payload)
"""

from tradewind.numbers import to_decimal, from_decimal
from tradewind.bus import BusMessage, Subscriber, discover
from tradewind.control import Commander, IntentSender

__all__ = ["BusMessage", "Commander", "IntentSender", "Subscriber", "discover", "to_decimal", "from_decimal"]
