"""Read a Tradewind canonical dataset (docs/DATASETS.md) with numpy alone.

    from tradewind.dataset import KIND_QUOTE, read_dataset
    manifest, records = read_dataset("data/canonical/synth-42-1000000")
    quotes = records[records["kind"] == KIND_QUOTE]
    mid = (quotes["v0"] + quotes["v2"]) / 2 / 10**8

Every block's CRC-32 is checked with zlib.crc32 and every sealed segment's SHA-256 with hashlib;
a truncated or corrupt segment raises DatasetError naming the file and the byte offset. A dataset
whose manifest says `complete: false` (a recording still running or that crashed) is read up to
its last whole block; `DatasetReport.torn` says which bytes were ignored.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

FORMAT = "tradewind.dataset"
VERSION = 1
SEGMENT_MAGIC = b"TWDSEG01"
BLOCK_MAGIC = b"TWDB"
SEGMENT_HEADER_SIZE = 64
BLOCK_HEADER_SIZE = 16
RECORD_SIZE = 48
BLOCK_RECORDS = 4096
FULL_BLOCK_SIZE = BLOCK_HEADER_SIZE + BLOCK_RECORDS * RECORD_SIZE
SCALE = 8

KIND_QUOTE, KIND_TRADE, KIND_BOOK_LEVEL, KIND_BAR, KIND_BAR_CONTINUATION = 1, 2, 3, 4, 5
FLAG_AGGRESSOR_SELL = 1  # trade
FLAG_ASK, FLAG_FIRST_LEVEL, FLAG_LAST_LEVEL, FLAG_SNAPSHOT, FLAG_EMPTY_UPDATE = 1, 2, 4, 8, 16  # book level
FLAG_EXCHANGE_TIME = 128  # quote, trade, book level: aux holds the exchange time (exchange_time_ns)

#: One 48-byte record. v0..v3: quote = bid, bid size, ask, ask size; trade = price, size, trade id, 0;
#: book level = price, size, update number, 0; bar = open, high, low, close; bar continuation =
#: volume, trade count, bar start ns, 0. Prices and sizes are units of 10^-8.
RECORD_DTYPE = np.dtype([
    ("time_ns", "<i8"), ("kind", "u1"), ("flags", "u1"), ("instrument", "<u2"), ("aux", "<u4"),
    ("v0", "<i8"), ("v1", "<i8"), ("v2", "<i8"), ("v3", "<i8"),
])
assert RECORD_DTYPE.itemsize == RECORD_SIZE

BLOCK_HEADER_DTYPE = np.dtype([("magic", "S4"), ("count", "<u4"), ("crc32", "<u4"), ("reserved", "<u4")])
SEGMENT_HEADER_DTYPE = np.dtype([
    ("magic", "S8"), ("version", "<u2"), ("record_size", "<u2"), ("block_records", "<u4"), ("index", "<u4"),
    ("reserved", "V44"),
])


class DatasetError(Exception):
    """A dataset that cannot be read as it claims to be; `file` and `offset` say where."""

    def __init__(self, file: str, offset: int | None, message: str):
        self.file, self.offset = file, offset
        where = f"{file}: " + (f"at byte {offset:,}: ".replace(",", " ") if offset is not None else "")
        super().__init__(where + message)


@dataclass
class DatasetReport:
    """What a read found beyond the records: torn bytes ignored at an incomplete dataset's end."""

    torn: list[tuple[str, int, int]] = field(default_factory=list)  # (file, offset, bytes)


def load_manifest(path: str | Path) -> dict:
    """The parsed manifest.json, after checking the format, version and layout constants."""
    file = Path(path) / "manifest.json"
    try:
        manifest = json.loads(file.read_text())
    except (OSError, ValueError) as error:
        raise DatasetError(str(file), None, f"cannot read the manifest: {error}") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise DatasetError(str(file), None, f"unsupported format {manifest.get('format')!r} version {manifest.get('version')!r}")
    if manifest.get("record_size") != RECORD_SIZE or manifest.get("block_records") != BLOCK_RECORDS:
        raise DatasetError(str(file), None, "unsupported record_size or block_records")
    return manifest


def iter_blocks(path: str | Path, manifest: dict | None = None, verify_hash: bool = True,
                report: DatasetReport | None = None) -> Iterator[np.ndarray]:
    """Yields each block's records as a RECORD_DTYPE array, in order, one block in memory at a time."""
    path = Path(path)
    manifest = manifest or load_manifest(path)
    segments = manifest["segments"]
    instruments = len(manifest["instruments"])
    last_time = np.iinfo(np.int64).min
    for number, segment in enumerate(segments, start=1):
        is_open = number == len(segments) and not manifest["complete"]
        for position, block in _segment_blocks(path, segment, number, is_open, verify_hash, report):
            _check_records(segment["file"], position, block, instruments, last_time)
            last_time = int(block["time_ns"][-1])
            yield block


def read_dataset(path: str | Path, verify_hash: bool = True,
                 report: DatasetReport | None = None) -> tuple[dict, np.ndarray]:
    """(manifest, every record as one RECORD_DTYPE array). For data larger than memory use
    iter_blocks; pass a DatasetReport to learn about torn bytes an incomplete dataset ended with."""
    manifest = load_manifest(path)
    blocks = list(iter_blocks(path, manifest, verify_hash, report))
    return manifest, (np.concatenate(blocks) if blocks else np.empty(0, RECORD_DTYPE))


def exchange_time_ns(records: np.ndarray) -> np.ndarray:
    """The exchange's own time of each record in ns (to the microsecond), 0 where the record carries
    none (FLAG_EXCHANGE_TIME clear: a bar, a REST book snapshot, a Binance Spot bookTicker quote).
    Stream time is `time_ns`: a live recording's local receive time."""
    offset_us = records["aux"].view("<i4").astype(np.int64)
    exchange = (records["time_ns"] // 1000 - offset_us) * 1000
    return np.where((records["flags"] & FLAG_EXCHANGE_TIME) != 0, exchange, 0)


def to_decimal_units(values: np.ndarray) -> np.ndarray:
    """Fixed-point units as float64 values (for plots and statistics; exact values stay in the units)."""
    return values.astype(np.float64) / 10**SCALE


def _segment_blocks(path: Path, segment: dict, number: int, is_open: bool, verify_hash: bool,
                    report: DatasetReport | None) -> Iterator[tuple[int, np.ndarray]]:
    name = segment["file"]
    file = path / name
    try:
        handle = open(file, "rb")
    except FileNotFoundError:
        if is_open:
            return
        raise DatasetError(name, None, "missing segment file") from None
    with handle:
        size = file.stat().st_size
        end = size if is_open else segment["bytes"]
        if not is_open and size > end:
            raise DatasetError(name, end, f"{size - end} unexpected bytes after the segment's last block")
        header_bytes = handle.read(SEGMENT_HEADER_SIZE)
        if is_open and len(header_bytes) < SEGMENT_HEADER_SIZE:
            if report is not None and header_bytes:
                report.torn.append((name, 0, len(header_bytes)))
            return
        _check_segment_header(name, header_bytes, number)
        digest = hashlib.sha256(header_bytes) if verify_hash and not is_open else None
        position, records = SEGMENT_HEADER_SIZE, 0
        while position < end:
            handle.seek(position)
            chunk = handle.read(min(FULL_BLOCK_SIZE, end - position))
            try:
                count, block_size = _check_block(name, chunk, position)
            except DatasetError:
                if is_open and end - position <= FULL_BLOCK_SIZE:
                    if report is not None:
                        report.torn.append((name, position, end - position))
                    break
                raise
            if count < BLOCK_RECORDS and position + block_size < end:
                if not is_open:
                    raise DatasetError(name, position, f"a short block ({count} records) before the segment's end")
                if report is not None:
                    report.torn.append((name, position + block_size, end - position - block_size))
                end = position + block_size
            if digest is not None:
                digest.update(chunk[:block_size])
            yield position, np.frombuffer(chunk, RECORD_DTYPE, count, BLOCK_HEADER_SIZE).copy()
            position += block_size
            records += count
        if is_open:
            if records < segment["records"]:
                raise DatasetError(name, position, f"the manifest lists {segment['records']} flushed records, {records} are readable")
            return
        if digest is not None and digest.hexdigest() != segment["sha256"]:
            raise DatasetError(name, None, f"SHA-256 {digest.hexdigest()} differs from the manifest's {segment['sha256']}")
        if records != segment["records"]:
            raise DatasetError(name, None, f"{records} records, the manifest says {segment['records']}")


def _check_records(name: str, position: int, block: np.ndarray, instruments: int, last_time: int) -> None:
    """Kinds known, instrument indices listed, time never decreasing (as the Swift reader checks)."""
    times = block["time_ns"]
    bad = (block["kind"] < KIND_QUOTE) | (block["kind"] > KIND_BAR_CONTINUATION) | (block["instrument"] >= instruments)
    bad[1:] |= times[1:] < times[:-1]
    bad[0] |= times[0] < last_time
    if bad.any():
        index = int(np.argmax(bad))
        record = block[index]
        raise DatasetError(name, position + BLOCK_HEADER_SIZE + index * RECORD_SIZE,
                           f"bad record: kind {int(record['kind'])}, instrument {int(record['instrument'])}, time {int(record['time_ns'])}")


def _check_segment_header(name: str, data: bytes, number: int) -> None:
    if len(data) < SEGMENT_HEADER_SIZE:
        raise DatasetError(name, len(data), "truncated segment header")
    header = np.frombuffer(data, SEGMENT_HEADER_DTYPE, 1)[0]
    if bytes(header["magic"]) != SEGMENT_MAGIC:
        raise DatasetError(name, 0, "bad magic (expected \"TWDSEG01\")")
    if (int(header["version"]), int(header["record_size"]), int(header["block_records"])) != (VERSION, RECORD_SIZE, BLOCK_RECORDS):
        raise DatasetError(name, 8, "unsupported segment header")
    if int(header["index"]) != number:
        raise DatasetError(name, 16, f"segment index {int(header['index'])}, expected {number}")


def _check_block(name: str, chunk: bytes, position: int) -> tuple[int, int]:
    """(record count, block size) of the block at the start of `chunk`, after its checks."""
    if len(chunk) < BLOCK_HEADER_SIZE:
        raise DatasetError(name, position + len(chunk), f"truncated: the block header at byte {position} needs 16 bytes")
    header = np.frombuffer(chunk, BLOCK_HEADER_DTYPE, 1)[0]
    if bytes(header["magic"]) != BLOCK_MAGIC:
        raise DatasetError(name, position, "bad magic (expected block \"TWDB\")")
    count = int(header["count"])
    if not 1 <= count <= BLOCK_RECORDS:
        raise DatasetError(name, position + 4, f"block record count {count} outside 1...{BLOCK_RECORDS}")
    block_size = BLOCK_HEADER_SIZE + count * RECORD_SIZE
    if len(chunk) < block_size:
        raise DatasetError(name, position + len(chunk), f"truncated: the block at byte {position} needs {block_size} bytes")
    computed = zlib.crc32(memoryview(chunk)[BLOCK_HEADER_SIZE:block_size])
    if computed != int(header["crc32"]):
        raise DatasetError(name, position, f"block CRC mismatch (stored {int(header['crc32']):#010x}, computed {computed:#010x})")
    return count, block_size
