#!/usr/bin/env bash
# `make test-cluster`: the integration suite on each session store besides
# SQLite (memory, Redis, PostgreSQL), then on a PostgreSQL database, then
# three instances behind nginx (tests/cluster.py). Needs PostgreSQL and Redis running on this machine
# (the README says how to install them); `make test` needs neither.
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${PG_SERVER:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}

command -v psql > /dev/null && psql "$PG/postgres" -tAc 'SELECT 1' > /dev/null 2>&1 \
  || { echo "test-cluster: no PostgreSQL at $PG (see the README: Several servers)" >&2; exit 1; }
python3 - "$REDIS_URL" << 'PY' || { echo "test-cluster: no Redis at $REDIS_URL (see the README: Several servers)" >&2; exit 1; }
import socket, sys, urllib.parse
url = urllib.parse.urlparse(sys.argv[1])
with socket.create_connection((url.hostname, url.port or 6379), timeout=3) as connection:
    connection.sendall(b"PING\r\n")
    assert connection.recv(16).startswith(b"+PONG")
PY
# Fresh each run: the suite makes a schema per test, the cluster its tables.
for database in authlab_test authlab_cluster; do
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)"
  psql "$PG/postgres" -qc "CREATE DATABASE $database"
done

suite() {
  echo "test-cluster: the integration suite on $1"
  shift
  env "$@" AUTHLAB_REDIS_URL=$REDIS_URL cargo test --features ssr --test '*' --no-fail-fast --quiet
}
for store in memory redis postgres; do
  suite "a SQLite database and the $store session store" \
    AUTHLAB_SESSION_STORE=$store AUTHLAB_SESSION_DATABASE_URL="$PG/authlab_test"
done
# Every table in PostgreSQL (a schema per test), sessions there too; then
# sessions in Redis and in memory beside it.
for store in postgres redis memory; do
  suite "a PostgreSQL database and the $store session store" \
    AUTHLAB_TEST_POSTGRES="$PG/authlab_test" AUTHLAB_SESSION_STORE=$store
done
PG_URL="$PG/authlab_cluster" REDIS_URL=$REDIS_URL python3 tests/cluster.py
echo "test-cluster: the browser through nginx (end2end/cluster)"
cd end2end && npx playwright test -c cluster.config.ts
