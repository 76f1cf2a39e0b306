#!/usr/bin/env bash
# Backtest throughput: a synthetic dataset of 2 000 000+ events over two instruments through
# `tradewind backtest` (EMA strategy, risk, simulated venue and positions all in the loop, one
# thread), twice: events per second and peak RSS, as the backtest itself reports them.
set -euo pipefail
bin=${TRADEWIND_BIN:?set TRADEWIND_BIN to the release binaries}
events=${BACKTEST_BENCH_EVENTS:-2500000}
work=$(mktemp -d /tmp/tw-bench-backtest-XXXXXX)
trap 'rm -rf "$work"' EXIT
"$bin/tradewind" data synth --instruments SIM:BTCUSDT,SIM:ETHUSDT --events "$events" --seed 11 --out "$work/dataset" >/dev/null
for run in 1 2; do
  "$bin/tradewind" backtest --data "$work/dataset" --out "$work/run" --no-report | grep -E '^(events|memory|output)'
done
