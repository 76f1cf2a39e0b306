"""Bad configuration stops start-up with a message naming the key and a non-zero exit."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from harness import binary_dir


def start_with(tmp_path, config: dict | None, env: dict | None = None) -> subprocess.CompletedProcess:
    args = [str(binary_dir() / "tradewind-risk-manager")]
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
])
def test_bad_key_in_file_is_named(tmp_path, config, key):
    result = start_with(tmp_path, config)
    assert result.returncode != 0
    assert key in result.stderr, result.stderr


def test_bad_environment_override_is_named(tmp_path):
    result = start_with(tmp_path, None, {"TRADEWIND_RISK_MANAGER_MAX_POSITON": "{}"})
    assert result.returncode != 0
    assert "TRADEWIND_RISK_MANAGER_MAX_POSITON" in result.stderr or "risk_manager.max_positon" in result.stderr, result.stderr


def test_print_config_shows_the_merged_configuration(tmp_path):
    path = tmp_path / "tradewind.json"
    path.write_text(json.dumps({"risk_manager": {"max_order_notional": "1234.5"}}))
    args = [str(binary_dir() / "tradewind-risk-manager"), "--config", str(path), "--print-config"]
    printed = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert printed.returncode == 0, printed.stderr
    merged = json.loads(printed.stdout)
    assert merged["risk_manager"]["max_order_notional"] == "1234.5"
    assert merged["risk_manager"]["http_port"] == 9103
