#!/usr/bin/env bash
# Runs SwiftPM with the same small environment every time. SwiftPM records the whole environment
# of a build in its plugin caches and recompiles plugins (and what depends on them) when any
# variable differs, so a `make run` from tmux after a `make up` from a plain shell rebuilt minutes
# of dependencies. Only PATH and HOME reach SwiftPM; the Swift tests find their database on their
# own (.run/test-pg, see Tests/TradewindStoreTests/Support/TestDatabase.swift).
set -euo pipefail
exec env -i PATH="$PATH" HOME="${HOME:-/root}" swift "$@"
