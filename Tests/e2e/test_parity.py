"""Backtest and live are one runtime: the five daemons replaying a dataset in lockstep make exactly
the orders, fills, positions and realized PnL that `tradewind backtest` makes from it."""

from __future__ import annotations

from parity import run_parity


def test_backtest_and_lockstep_daemons_agree_byte_for_byte(tmp_path):
    result = run_parity(tmp_path, events=6000)
    backtest, daemons = result["backtest"], result["daemons"]
    fills = backtest["fills"].count("\n") - 1
    orders = backtest["orders"].splitlines()[1:]
    assert fills >= 24, f"too few fills to prove anything: {fills}"
    assert result["statistics"]["denials"] >= 1, "no risk denial in the run"
    assert any(",canceled," in line and ",0," not in line for line in orders) or "UNFILLED_REMAINDER" in backtest["orders"], \
        "no partial fill in the run"
    for name in ("orders", "fills", "positions"):
        assert daemons[name] == backtest[name], f"{name} differ:\n--- backtest\n{backtest[name][:2000]}\n--- daemons\n{daemons[name][:2000]}"
