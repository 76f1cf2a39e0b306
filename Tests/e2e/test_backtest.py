"""`tradewind backtest`: a run directory from a dataset, the same output hash every time, sweeps
ranked in parallel processes, runs recorded in PostgreSQL, and bad input refused before anything
is written."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

from harness import binary_dir, shared_database


def tradewind(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIND_")}
    environment.update(env or {})
    return subprocess.run([str(binary_dir() / "tradewind"), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=environment)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("bt")
    made = tradewind("data", "synth", "--instruments", "SIM:BTCUSDT,SIM:ETHUSDT", "--events", "20000", "--seed", "3",
                     "--out", str(directory / "dataset"), cwd=directory)
    assert made.returncode == 0, made.stderr
    return directory / "dataset"


def config(directory: Path, **sections) -> Path:
    """A suite configuration with fast EMAs (so a short dataset trades) and the given sections."""
    body = {"signal_bridge": {"fast_period": 3, "slow_period": 8}}
    for name, values in sections.items():
        body.setdefault(name, {}).update(values)
    path = directory / "config.json"
    path.write_text(json.dumps(body))
    return path


def test_a_run_writes_its_outputs_and_the_same_inputs_give_the_same_output_hash(dataset, tmp_path):
    path = config(tmp_path)
    first = tradewind("backtest", "--data", str(dataset), "--config", str(path), "--out", str(tmp_path / "a"), "--no-report",
                      cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    second = tradewind("backtest", "--data", str(dataset), "--config", str(path), "--out", str(tmp_path / "b"), "--no-report",
                       cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    manifests = [json.loads((tmp_path / run / "manifest.json").read_text()) for run in ("a", "b")]
    assert manifests[0]["output_hash"] == manifests[1]["output_hash"]
    for name in ("orders.csv", "fills.csv", "positions.csv", "equity.csv", "prices.csv", "denials.csv", "statistics.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    manifest = manifests[0]
    dataset_manifest = json.loads((dataset / "manifest.json").read_text())
    assert manifest["dataset"]["content_hash"] == dataset_manifest["content_hash"]
    assert manifest["events"] == dataset_manifest["counts"]["events"]
    assert manifest["config"]["signal_bridge"]["fast_period"] == 3 and manifest["code_version"]
    with open(tmp_path / "a" / "fills.csv", newline="") as handle:
        fills = list(csv.DictReader(handle))
    statistics = json.loads((tmp_path / "a" / "statistics.json").read_text())
    assert len(fills) == statistics["trades"] > 10
    assert statistics["sampling"].startswith("equity sampled every")
    assert "events" in first.stdout and manifest["output_hash"] in first.stdout

    # a different configuration gives a different output
    other = tradewind("backtest", "--data", str(dataset), "--config", str(config(tmp_path, signal_bridge={"slow_period": 13})),
                      "--out", str(tmp_path / "c"), "--no-report", cwd=tmp_path)
    assert other.returncode == 0, other.stderr
    assert json.loads((tmp_path / "c" / "manifest.json").read_text())["output_hash"] != manifest["output_hash"]


def test_the_default_run_directory_is_under_the_data_roots_experiments_with_a_report(dataset, tmp_path):
    result = tradewind("backtest", "--data", str(dataset), "--config", str(config(tmp_path)), cwd=tmp_path,
                       env={"TRADEWIND_DATA_ROOT": str(tmp_path / "data"), "TRADEWIND_ROOT": str(Path(__file__).resolve().parents[2])})
    assert result.returncode == 0, result.stderr
    runs = list((tmp_path / "data" / "experiments").iterdir())
    assert len(runs) == 1 and runs[0].name.startswith("dataset-")
    assert (runs[0] / "report" / "index.html").stat().st_size > 10_000
    assert list((runs[0] / "report").glob("*.png"))


@pytest.mark.parametrize("arguments, message", [
    (["--data", "/nonexistent/dataset"], "dataset /nonexistent/dataset"),
    (["--config", "{config}", "--sweep", "signal_bridge.fast_perod=2,3"], "signal_bridge.fast_perod"),
    (["--config", "{unknown}"], "risk_manager.max_ordr_notional"),
    (["--config", "{foreign}"], "the configuration trades SIM:SOLUSDT, which dataset"),
])
def test_bad_input_is_refused_with_exit_code_2_before_anything_is_written(dataset, tmp_path, arguments, message):
    config(tmp_path)
    (tmp_path / "unknown.json").write_text(json.dumps({"risk_manager": {"max_ordr_notional": "5"}}))
    (tmp_path / "foreign.json").write_text(json.dumps({
        "instruments": [{"id": "SIM:SOLUSDT", "base": "SOL", "quote": "USDT", "tick_size": "0.01", "lot_size": "0.01",
                         "min_quantity": "0.01"}],
        "market_data": {"start_prices": {"SIM:SOLUSDT": "150"}, "quote_size": {"SIM:SOLUSDT": "10"}},
        "signal_bridge": {"order_quantity": {"SIM:SOLUSDT": "1"}},
        "risk_manager": {"allowed_instruments": ["SIM:SOLUSDT"], "max_position": {"SIM:SOLUSDT": "5"},
                         "max_order_quantity": {"SIM:SOLUSDT": "5"}}}))
    filled = [a.format(config=tmp_path / "config.json", unknown=tmp_path / "unknown.json", foreign=tmp_path / "foreign.json")
              for a in arguments]
    if "--data" not in filled:
        filled = ["--data", str(dataset)] + filled
    result = tradewind("backtest", *filled, "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert not (tmp_path / "out").exists()


def test_a_sweep_runs_every_combination_ranks_them_and_records_them_in_postgresql(dataset, tmp_path):
    database = shared_database()
    url = database.create_database()
    result = tradewind("backtest", "--data", str(dataset), "--config", str(config(tmp_path)), "--out", str(tmp_path / "sweep"),
                       "--sweep", "signal_bridge.fast_period=2,4", "--sweep", "signal_bridge.slow_period=9,15",
                       "--jobs", "2", "--no-report", "--rank-by", "total_return", "--database-url", url, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(tmp_path / "sweep" / "sweep.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4
    assert {(r["signal_bridge.fast_period"], r["signal_bridge.slow_period"]) for r in rows} == {
        ("2", "9"), ("2", "15"), ("4", "9"), ("4", "15")}
    returns = [float(r["total_return"]) for r in rows]
    assert returns == sorted(returns, reverse=True) and [r["rank"] for r in rows] == ["1", "2", "3", "4"]
    for row in rows:
        statistics = json.loads((tmp_path / "sweep" / row["run"] / "statistics.json").read_text())
        assert float(statistics["total_return"]) == float(row["total_return"])
    recorded = database.sql(
        "SELECT parameters->>'signal_bridge.fast_period', parameters->>'signal_bridge.slow_period', "
        "statistics->>'total_return' FROM research.backtest_runs", url=url)
    assert sorted((r[0], r[1]) for r in recorded) == sorted((r["signal_bridge.fast_period"], r["signal_bridge.slow_period"]) for r in rows)
