#!/usr/bin/env bash
# Runs a command with the test PostgreSQL cluster (.run/test-pg, port 5437) started, its URL in
# TRADEWIND_TEST_DATABASE_URL, and stops the cluster afterwards whatever the command's outcome.
set -euo pipefail
cd "$(dirname "$0")/.."
export TRADEWIND_TEST_PG_PORT=${TRADEWIND_TEST_PG_PORT:-5437}
dir=.run/test-pg
TRADEWIND_TEST_DATABASE_URL=$(TRADEWIND_PG_PORT=$TRADEWIND_TEST_PG_PORT TRADEWIND_DATABASE_URL= scripts/pg.sh start "$dir")
export TRADEWIND_TEST_DATABASE_URL
trap 'TRADEWIND_PG_PORT=$TRADEWIND_TEST_PG_PORT TRADEWIND_DATABASE_URL= scripts/pg.sh stop "$dir"' EXIT
"$@"
