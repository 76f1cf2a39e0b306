#!/bin/sh
# Entrypoint of the tradewind image: runs the given command (a daemon, or the `tradewind` CLI).
# PGPASSWORD_FILE names a file holding the PostgreSQL password (a compose secret): it is read into
# PGPASSWORD, which libpq uses when TRADEWIND_DATABASE_URL carries no password, so the password
# stays out of the image, the configuration and `ps`.
set -eu
if [ -n "${PGPASSWORD_FILE:-}" ]; then
  PGPASSWORD=$(cat "$PGPASSWORD_FILE")
  export PGPASSWORD
  unset PGPASSWORD_FILE
fi
exec "$@"
