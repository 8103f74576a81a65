#!/usr/bin/env bash
# `make test-cluster`: the integration suite on each session store besides
# SQLite (memory, Redis, PostgreSQL), then on a PostgreSQL database, then
# three instances behind nginx (tests/cluster.py). Needs PostgreSQL and Redis
# on this machine (the README says how to install them): the ones at their
# default addresses, or else servers of its own that it starts and stops.
# `make test` needs neither.
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${PG_SERVER:-postgres://postgres@127.0.0.1:5432}
REDIS_URL_GIVEN=${REDIS_URL:-}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}

cleanup=()
trap 'for step in "${cleanup[@]}"; do eval "$step"; done' EXIT
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
pg_answers() {
  command -v psql > /dev/null && psql "$1/postgres" -tAc 'SELECT 1' > /dev/null 2>&1
}
initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2> /dev/null | tail -1 || true)
if ! pg_answers "$PG"; then
  # No PostgreSQL at the default address: as with Redis below, start one of
  # our own in a temporary folder (trust auth, loopback only), stopped at the
  # end. A PG_SERVER given by hand must answer.
  [ -z "${PG_SERVER:-}" ] && [ -n "$initdb" ] \
    || { echo "test-cluster: no PostgreSQL at $PG (see the README: Several servers)" >&2; exit 1; }
  pg_dir=$(mktemp -d)
  port=$(free_port)
  run_as=()
  [ "$(id -u)" = 0 ] && { chown postgres "$pg_dir"; run_as=(runuser -u postgres --); }
  "${run_as[@]}" "$initdb" -D "$pg_dir/data" -U postgres -A trust > /dev/null
  "${run_as[@]}" "$(dirname "$initdb")/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1" start > /dev/null
  cleanup+=("${run_as[*]} $(dirname "$initdb")/pg_ctl -D $pg_dir/data -m fast stop > /dev/null; rm -rf $pg_dir")
  PG=postgres://postgres@127.0.0.1:$port
  pg_answers "$PG" || { echo "test-cluster: the PostgreSQL started at $PG does not answer" >&2; exit 1; }
  echo "test-cluster: no PostgreSQL at the default address; started one at $PG"
fi
redis_answers() {
  python3 - "$1" << 'PY'
import socket, sys, urllib.parse
url = urllib.parse.urlparse(sys.argv[1])
try:
    with socket.create_connection((url.hostname, url.port or 6379), timeout=3) as connection:
        connection.sendall(b"PING\r\n")
        sys.exit(0 if connection.recv(16).startswith(b"+PONG") else 1)
except OSError:
    sys.exit(1)
PY
}
if ! redis_answers "$REDIS_URL"; then
  # No Redis at the default address: start one of our own (nothing kept on
  # disk), stopped when the suite ends. A REDIS_URL given by hand must answer.
  [ -z "${REDIS_URL_GIVEN:-}" ] && command -v redis-server > /dev/null \
    || { echo "test-cluster: no Redis at $REDIS_URL (see the README: Several servers)" >&2; exit 1; }
  port=$(free_port)
  redis_dir=$(mktemp -d)
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$redis_dir" \
    --logfile "" > /dev/null &
  redis_pid=$!
  cleanup+=("kill $redis_pid 2> /dev/null || true; rm -rf $redis_dir")
  REDIS_URL=redis://127.0.0.1:$port
  for _ in $(seq 100); do
    redis_answers "$REDIS_URL" && break
    kill -0 $redis_pid 2> /dev/null || { echo "test-cluster: redis-server did not start" >&2; exit 1; }
    sleep 0.1
  done
  redis_answers "$REDIS_URL" || { echo "test-cluster: redis-server did not answer at $REDIS_URL" >&2; exit 1; }
  echo "test-cluster: no Redis at the default address; started one at $REDIS_URL"
fi
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
