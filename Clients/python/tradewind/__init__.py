"""Research client for Tradewind: subscribe to the suite's ZeroMQ topics from Python.

    from tradewind import Subscriber
    with Subscriber.discover("http://127.0.0.1:9101", topics=["md.quote."]) as sub:
        for msg in sub.messages(limit=5):
            print(msg.topic, msg.payload_name, msg.payload)

    from tradewind import read_dataset
    manifest, records = read_dataset("data/canonical/synth-42-1000000")  # numpy structured array
"""

from tradewind.numbers import to_decimal, from_decimal
from tradewind.bus import BusMessage, Subscriber, discover
from tradewind.control import Commander, IntentSender
from tradewind.dataset import RECORD_DTYPE, DatasetError, DatasetReport, iter_blocks, load_manifest, read_dataset

__all__ = [
    "BusMessage", "Commander", "DatasetError", "DatasetReport", "IntentSender", "RECORD_DTYPE", "Subscriber", "discover",
    "from_decimal", "iter_blocks", "load_manifest", "read_dataset", "to_decimal",
]
