"""Canonical datasets end to end: `tradewind data synth`, `verify` and `inspect`, the numpy reader
in the Python package, `tradewind record` against a running suite, and a recording killed
mid-way that stays readable."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from harness import binary_dir, wait_for
from tradewind.dataset import (FULL_BLOCK_SIZE, KIND_BAR, KIND_QUOTE, KIND_TRADE, DatasetError, DatasetReport,
                               load_manifest, read_dataset)


def tradewind(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIND_")}
    return subprocess.run([str(binary_dir() / "tradewind"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def synth(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    result = tradewind("data", "synth", "--out", str(out), *args, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def inspect_json(path: Path, *args: str) -> dict:
    result = tradewind("data", "inspect", str(path), "--json", *args, cwd=path.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def grouped(offset: int) -> str:
    return f"{offset:,}".replace(",", " ")


def units(text: str) -> int:
    return int(Decimal(text).scaleb(8))


def test_synth_is_verified_and_reads_the_same_from_python_and_the_cli(tmp_path):
    path = synth(tmp_path, "ds", "--events", "50000", "--seed", "7", "--segment-mib", "1", "--bar-seconds", "60",
                 "--instruments", "SIM:ETHUSDT,SIM:BTCUSDT")
    verify = tradewind("data", "verify", str(path), cwd=tmp_path)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.startswith(f"OK {path}: ")

    shown = inspect_json(path, "--head", "40")
    manifest, head = shown["manifest"], shown["head"]
    assert manifest == load_manifest(path)
    assert manifest["complete"] and len(manifest["segments"]) >= 3
    assert [i["id"] for i in manifest["instruments"]] == ["SIM:ETHUSDT", "SIM:BTCUSDT"]

    _, records = read_dataset(path)
    counts = manifest["counts"]
    assert counts["quote"] + counts["trade"] == 50000
    assert len(records) == counts["records"] == counts["quote"] + counts["trade"] + 2 * counts["bar"]
    assert np.count_nonzero(records["kind"] == KIND_QUOTE) == counts["quote"]
    assert np.count_nonzero(records["kind"] == KIND_TRADE) == counts["trade"]
    assert np.count_nonzero(records["kind"] == KIND_BAR) == counts["bar"] > 0
    assert records["time_ns"][0] == manifest["time_range"]["first_ns"]
    assert records["time_ns"][-1] == manifest["time_range"]["last_ns"]
    assert np.all(np.diff(records["time_ns"]) >= 0)

    # the first events as the CLI decodes them are the first records as numpy reads them
    assert len(head) == 40
    for event, record in zip(head, records[:40]):
        assert event["time_ns"] == int(record["time_ns"])
        assert manifest["instruments"][record["instrument"]]["id"] == event["instrument"]
        if event["kind"] == "quote":
            assert record["kind"] == KIND_QUOTE
            assert [units(event[k]) for k in ("bid", "bid_size", "ask", "ask_size")] == [int(record[k]) for k in ("v0", "v1", "v2", "v3")]
        else:
            assert event["kind"] == "trade" and record["kind"] == KIND_TRADE
            assert [units(event["price"]), units(event["size"]), int(event["trade_id"])] == [int(record[k]) for k in ("v0", "v1", "v2")]
            assert event["aggressor"] == ("sell" if record["flags"] & 1 else "buy")

    # same arguments, same bytes
    again = synth(tmp_path, "again", "--events", "50000", "--seed", "7", "--segment-mib", "1", "--bar-seconds", "60",
                  "--instruments", "SIM:ETHUSDT,SIM:BTCUSDT")
    assert load_manifest(again)["content_hash"] == manifest["content_hash"]


def test_a_corrupt_byte_and_a_truncated_segment_are_named_by_file_and_offset(tmp_path):
    path = synth(tmp_path, "ds", "--events", "20000", "--seed", "3")
    block = 64 + 2 * FULL_BLOCK_SIZE

    corrupt = tmp_path / "corrupt"
    shutil.copytree(path, corrupt)
    with open(corrupt / "seg-000001.twd", "r+b") as segment:
        segment.seek(block + 16 + 48 * 77 + 30)
        byte = segment.read(1)
        segment.seek(-1, os.SEEK_CUR)
        segment.write(bytes([byte[0] ^ 0x10]))
    verify = tradewind("data", "verify", str(corrupt), cwd=tmp_path)
    assert verify.returncode == 1, verify.stdout + verify.stderr
    assert f"seg-000001.twd: block at byte {grouped(block)}: CRC mismatch" in verify.stdout
    with pytest.raises(DatasetError) as raised:
        read_dataset(corrupt)
    assert (raised.value.file, raised.value.offset) == ("seg-000001.twd", block)

    truncated = tmp_path / "truncated"
    shutil.copytree(path, truncated)
    cut = 64 + FULL_BLOCK_SIZE + 1000
    os.truncate(truncated / "seg-000001.twd", cut)
    verify = tradewind("data", "verify", str(truncated), cwd=tmp_path)
    assert verify.returncode == 1, verify.stdout + verify.stderr
    assert f"seg-000001.twd: truncated at byte {grouped(cut)}" in verify.stdout
    with pytest.raises(DatasetError) as raised:
        read_dataset(truncated)
    assert (raised.value.file, raised.value.offset) == ("seg-000001.twd", cut)

    inspect = tradewind("data", "inspect", str(truncated), cwd=tmp_path)
    assert inspect.returncode == 0 and "status       complete" in inspect.stdout


def test_record_writes_what_a_running_suite_publishes(suite, tmp_path):
    out = tmp_path / "recorded"
    result = tradewind("record", "--out", str(out), "--events", "300", "--seconds", "60",
                       "--config", str(suite.cli_config(tmp_path / "cli.json")), cwd=suite.directory)
    assert result.returncode == 0, result.stdout + result.stderr
    verify = tradewind("data", "verify", str(out), cwd=tmp_path)
    assert verify.returncode == 0, verify.stdout + verify.stderr

    manifest, records = read_dataset(out)
    assert manifest["complete"] and manifest["counts"]["events"] == 300
    assert manifest["source"]["kind"] == "recorded"
    assert manifest["source"]["dropped"] == {"malformed": 0, "out_of_order": 0, "unknown_instrument": 0}
    assert {i["id"] for i in manifest["instruments"]} == {"SIM:BTCUSDT", "SIM:ETHUSDT"}
    assert len(records) == 300 and np.all(np.diff(records["time_ns"]) >= 0)
    assert np.count_nonzero(records["kind"] == KIND_QUOTE) > 100
    assert np.count_nonzero(records["kind"] == KIND_TRADE) > 0
    quotes = records[records["kind"] == KIND_QUOTE]
    assert np.all(quotes["v0"] < quotes["v2"]) and np.all(quotes["v1"] > 0)


def test_a_recording_killed_mid_way_stays_readable_up_to_its_last_block(suite, tmp_path):
    out = tmp_path / "killed"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIND_")}
    recorder = subprocess.Popen([str(binary_dir() / "tradewind"), "record", "--out", str(out), "--flush-ms", "200",
                                 "--config", str(suite.cli_config(tmp_path / "cli.json"))],
                                cwd=suite.directory, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        def flushed_some():
            assert recorder.poll() is None, recorder.communicate()
            try:
                return load_manifest(out)["counts"]["events"] >= 200
            except DatasetError:
                return False
        wait_for(flushed_some, 30, "the recorder flushed no events")
        time.sleep(0.3)
    finally:
        recorder.send_signal(signal.SIGKILL)
        recorder.wait()

    manifest = load_manifest(out)
    assert not manifest["complete"]
    verify = tradewind("data", "verify", str(out), cwd=tmp_path)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.startswith(f"OK (incomplete) {out}: ")

    report = DatasetReport()
    _, records = read_dataset(out, report=report)
    assert len(records) >= manifest["counts"]["records"] >= 200
    assert np.all(np.diff(records["time_ns"]) >= 0)
    assert all(offset >= 64 and size < FULL_BLOCK_SIZE for _, offset, size in report.torn)
    inspect = tradewind("data", "inspect", str(out), cwd=tmp_path)
    assert "INCOMPLETE" in inspect.stdout
