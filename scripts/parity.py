#!/usr/bin/env python3
"""`make parity`: a dataset of EVENTS (default 1 000 000) through `tradewind backtest` and through
the five daemons replaying it in lockstep with PostgreSQL; prints the comparison of their orders,
fills and positions (which must be byte-identical) and how long each side took."""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))

from parity import run_parity  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tw-parity-") as directory:
        result = run_parity(Path(directory), arguments.events, arguments.seed)
    print(f"dataset    {result['events']} events (seed {arguments.seed})")
    print(f"backtest   {result['backtest_seconds']:.1f} s   lockstep daemons {result['replay_seconds']:.1f} s")
    same = True
    for name in ("orders", "fills", "positions"):
        backtest, daemons = result["backtest"][name], result["daemons"][name]
        rows = backtest.count("\n") - 1
        digest = hashlib.sha256(backtest.encode()).hexdigest()[:16]
        verdict = "identical" if backtest == daemons else "DIFFERENT"
        same = same and backtest == daemons
        print(f"{name:<10} {rows:>8} rows   backtest sha256 {digest}   daemons sha256 "
              f"{hashlib.sha256(daemons.encode()).hexdigest()[:16]}   {verdict}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
