#!/usr/bin/env bash
# Runs SwiftPM with the same small environment every time. SwiftPM records the whole environment
# of a build in its plugin caches and recompiles plugins (and what depends on them) when any
# variable differs, so a `make run` from tmux after a `make up` from a plain shell rebuilt minutes
# of dependencies. Only PATH and HOME reach SwiftPM; the Swift tests find their database on their
# own (.run/test-pg, see Tests/TradewindStoreTests/Support/TestDatabase.swift).
# After a successful `build`, writes BUILD_COMMIT (the tree's `git describe`) beside the
# executables: tradewind_build_info reports it.
set -euo pipefail
run() { env -i PATH="$PATH" HOME="${HOME:-/root}" swift "$@"; }
if [ "${1:-}" != build ] || [[ " $* " == *" --show-bin-path "* ]]; then
  exec env -i PATH="$PATH" HOME="${HOME:-/root}" swift "$@"
fi
run "$@"
bin=$(run "$@" --show-bin-path 2>/dev/null) || exit 0
commit=$(git -C "$(dirname "$0")/.." describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
printf '%s\n' "$commit" >"$bin/BUILD_COMMIT"
