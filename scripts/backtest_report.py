#!/usr/bin/env python3
"""Draw the report of a `tradewind backtest` run directory: RUN_DIR/report/index.html and its PNGs.

    .venv/bin/python scripts/backtest_report.py RUN_DIR [--out DIR]

Needs the project's virtualenv (`make venv`: matplotlib and numpy); prints the page's path.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Clients" / "python"))

try:
    from tradewind.report import main
except ModuleNotFoundError as missing:
    sys.exit(f"backtest_report: {missing.name} is missing; run `make venv` and use .venv/bin/python")

if __name__ == "__main__":
    sys.exit(main())
