"""Bad configuration stops start-up with exit code 2 and a message naming the key (as the README promises)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from harness import binary_dir


def start_with(tmp_path, config: dict | None, env: dict | None = None,
               daemon: str = "risk-manager") -> subprocess.CompletedProcess:
    args = [str(binary_dir() / f"tradewind-{daemon}")]
    if config is not None:
        path = tmp_path / "tradewind.json"
        path.write_text(json.dumps(config))
        args += ["--config", str(path)]
    return subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=30,
                          env={**os.environ, **(env or {})})


@pytest.mark.parametrize("config, key", [
    ({"risk_manager": {"max_order_notionl": "10"}}, "risk_manager.max_order_notionl"),
    ({"risk_manager": {"max_order_notional": "ten"}}, "risk_manager.max_order_notional"),
    ({"risk_manager": {"max_order_notional": 10}}, "risk_manager.max_order_notional"),
    ({"risk_manager": {"http_port": 70000}}, "risk_manager.http_port"),
    ({"risk_manager": {"initial_trading_state": "SLEEPY"}}, "risk_manager.initial_trading_state"),
    ({"risk_manager": {"breach_action": "PANIC"}}, "risk_manager.breach_action"),
    ({"risk_manager": {"max_order_quantity": {"SIM:BTCUSDT": "0", "SIM:ETHUSDT": "1"}}},
     "risk_manager.max_order_quantity.SIM:BTCUSDT"),
    ({"risk_manager": {"max_order_quantity": {"SIM:BTCUSDT": "1"}}}, "risk_manager.max_order_quantity"),
    ({"risk_manager": {"circuit_failure_threshold": 0}}, "risk_manager.circuit_failure_threshold"),
    ({"risk_manager": {"price_collar_bps": 20000}}, "risk_manager.price_collar_bps"),
    ({"risk_manager": {"max_daily_loss": "-5"}}, "risk_manager.max_daily_loss"),
    ({"risk_manager": {"control_endpoint": "udp://nowhere"}}, "risk_manager.control_endpoint"),
])
def test_bad_key_in_file_is_named(tmp_path, config, key):
    result = start_with(tmp_path, config)
    assert result.returncode == 2, result.stderr
    assert key in result.stderr, result.stderr


@pytest.mark.parametrize("config, key", [
    ({"execution_engine": {"venue": "nyse"}}, "execution_engine.venue"),
    ({"execution_engine": {"slippage_guard": "maybe"}}, "execution_engine.slippage_guard"),
    ({"execution_engine": {"initial_balances": {"USDT": "lots"}}}, "execution_engine.initial_balances.USDT"),
    ({"execution_engine": {"retry_initial_ms": 500, "retry_max_ms": 100}}, "execution_engine.retry_max_ms"),
    ({"execution_engine": {"venue": "binance"}}, "execution_engine.venue is binance"),
])
def test_bad_execution_engine_key_is_named(tmp_path, config, key):
    result = start_with(tmp_path, config, daemon="execution-engine")
    assert result.returncode == 2, result.stderr
    assert key in result.stderr, result.stderr


def test_binance_venue_without_credentials_names_the_variable(tmp_path):
    config = {
        "instruments": [{"id": "BINANCE:BTCUSDT", "base": "BTC", "quote": "USDT", "tick_size": "0.01",
                         "lot_size": "0.00001", "min_quantity": "0.00001"}],
        "execution_engine": {"venue": "binance"},
    }
    env = {k: "" for k in ["TRADEWIND_BINANCE_API_KEY", "TRADEWIND_BINANCE_API_SECRET"]}
    result = start_with(tmp_path, config, env=env, daemon="execution-engine")
    assert result.returncode == 2, result.stderr
    assert "TRADEWIND_BINANCE_API_KEY or TRADEWIND_BINANCE_API_KEY_FILE" in result.stderr, result.stderr


def test_bad_environment_override_is_named(tmp_path):
    result = start_with(tmp_path, None, {"TRADEWIND_RISK_MANAGER_MAX_POSITON": "{}"})
    assert result.returncode == 2, result.stderr
    assert "TRADEWIND_RISK_MANAGER_MAX_POSITON" in result.stderr, result.stderr


def test_print_config_shows_the_merged_configuration(tmp_path):
    path = tmp_path / "tradewind.json"
    path.write_text(json.dumps({"risk_manager": {"max_order_notional": "1234.5"}}))
    args = [str(binary_dir() / "tradewind-risk-manager"), "--config", str(path), "--print-config"]
    printed = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert printed.returncode == 0, printed.stderr
    merged = json.loads(printed.stdout)
    assert merged["risk_manager"]["max_order_notional"] == "1234.5"
    assert merged["risk_manager"]["http_port"] == 9103
