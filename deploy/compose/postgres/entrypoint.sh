#!/bin/sh
# Starts PostgreSQL for the compose stack. First start: initdb in $PGDATA (a volume), password
# authentication for TCP clients. Every start: the role $POSTGRES_USER with the password read from
# $POSTGRES_PASSWORD_FILE, and its database $POSTGRES_DB, are created or updated over the Unix
# socket before the server listens on TCP, so clients never see a half-initialized database.
set -eu
user=${POSTGRES_USER:-tradewind}
db=${POSTGRES_DB:-tradewind}
password_file=${POSTGRES_PASSWORD_FILE:?set POSTGRES_PASSWORD_FILE (the postgres_password secret)}
password=$(cat "$password_file")
[ -n "$password" ] || { echo "postgres-entrypoint: $password_file is empty" >&2; exit 2; }

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb --pgdata="$PGDATA" --username=postgres --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  {
    echo "listen_addresses = '*'"
    echo "password_encryption = scram-sha-256"
  } >>"$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
fi

# socket only while the role and database are put in place
pg_ctl --pgdata="$PGDATA" --options="-c listen_addresses='' -c unix_socket_directories=/tmp" --wait --silent start
export PGHOST=/tmp
psql --username=postgres --dbname=postgres --set=ON_ERROR_STOP=1 --quiet \
  --set=user="$user" --set=password="$password" --set=db="$db" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
pg_ctl --pgdata="$PGDATA" --mode=fast --wait --silent stop
unset PGHOST password

exec postgres -D "$PGDATA" -c unix_socket_directories=/tmp
