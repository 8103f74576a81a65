#!/usr/bin/env bash
# `make cluster`: N instances of the release build on loopback ports behind
# nginx, sharing one database, one JWT key and the chosen session store.
# Ctrl-C (or SIGTERM) stops all of it.
#
#   N=3            instances, named a, b, c, ... on ports 3101, 3102, ...
#   DATABASE=sqlite  the app's tables: sqlite (a file in CLUSTER_DIR) | postgres (PG_URL)
#   STORE=memory   session store: memory | sqlite | redis | postgres (PG_URL)
#   STICKY=1       nginx ip_hash (one client, one instance) instead of round robin
#   PORT=8080      where nginx listens: open http://127.0.0.1:$PORT
#
# An instance that stops (the Lab's restart, a crash) is started again at
# once, on the same port: its memory is gone, the shared stores are not.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-3}
DATABASE=${DATABASE:-sqlite}
STORE=${STORE:-memory}
STICKY=${STICKY:-0}
PORT=${PORT:-8080}
BASE_PORT=${BASE_PORT:-3101}
BIN=${AUTHLAB_BIN:-target/release/authlab}
DIR=${CLUSTER_DIR:-data/cluster}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/authlab}

[ -x "$BIN" ] || { echo "cluster: no $BIN; run make build first" >&2; exit 1; }
command -v nginx > /dev/null || [ -x /usr/sbin/nginx ] || {
  echo "cluster: installing nginx (Debian's package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx > /dev/null
}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
case "$STORE" in
  memory | sqlite | redis | postgres) ;;
  *) echo "cluster: STORE must be memory, sqlite, redis or postgres" >&2; exit 2 ;;
esac
case "$DATABASE" in
  sqlite | postgres) ;;
  *) echo "cluster: DATABASE must be sqlite or postgres" >&2; exit 2 ;;
esac
[ "$DATABASE:$STORE" = postgres:sqlite ] && { echo "cluster: the sqlite session store needs DATABASE=sqlite" >&2; exit 2; }
if [ "$STORE" = postgres ] || [ "$DATABASE" = postgres ]; then
  database=${PG_URL##*/}
  server=${PG_URL%/*}
  psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
    || psql "$server/postgres" -qc "CREATE DATABASE \"$database\""
fi

mkdir -p "$DIR"
DIR=$(realpath "$DIR")
names=(a b c d e f g h i j)
[ "$N" -ge 1 ] && [ "$N" -le ${#names[@]} ] || { echo "cluster: N is 1 to ${#names[@]}" >&2; exit 2; }

# One secret per run: instances use it to restart one another (the Lab).
secret=${CLUSTER_SECRET:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
peers=""
for ((i = 0; i < N; i++)); do
  peers+="${peers:+,}${names[i]}=http://127.0.0.1:$((BASE_PORT + i))"
done
# Several processes on one database: each one's caches would miss the
# others' logouts unless a bus tells them (Redis or PostgreSQL, the shared
# store's or the database's).
case "$DATABASE:$STORE" in
  *:redis | *:postgres | postgres:*) cache=10000 ;;
  *) cache=0 ;;
esac

if [ "$DATABASE" = postgres ]; then
  export AUTHLAB_DATABASE_URL="$PG_URL"
else
  export AUTHLAB_DATABASE_URL="sqlite://$DIR/authlab.db"
fi
export AUTHLAB_DATA_DIR="$DIR"
export AUTHLAB_SESSION_STORE="$STORE"
export AUTHLAB_SESSION_CACHE="$cache"
export AUTHLAB_REDIS_URL="$REDIS_URL"
export AUTHLAB_SESSION_DATABASE_URL="$PG_URL"
export AUTHLAB_TRUSTED_PROXIES=127.0.0.1
export AUTHLAB_PEERS="$peers"
export AUTHLAB_CLUSTER_SECRET="$secret"
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-target/site}
export RUST_LOG=${RUST_LOG:-warn}

children=()
stop() {
  trap - EXIT INT TERM
  touch "$DIR/stopping"
  for pid in "${children[@]}"; do kill "$pid" 2> /dev/null || true; done
  for file in "$DIR"/*.pid; do [ -f "$file" ] && kill "$(cat "$file")" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -f "$DIR/stopping"
}
trap stop EXIT INT TERM
rm -f "$DIR/stopping"

# The first instance makes the database and the JWT key; the rest share them.
supervise() {
  local name=$1 port=$2
  while [ ! -e "$DIR/stopping" ]; do
    AUTHLAB_INSTANCE=$name LEPTOS_SITE_ADDR="127.0.0.1:$port" "$BIN" >> "$DIR/$name.log" 2>&1 &
    local pid=$!
    echo "$pid" > "$DIR/$name.pid"
    wait "$pid" || true
    [ -e "$DIR/stopping" ] || echo "cluster: $name stopped; starting it again" >&2
  done
}
ready() {
  for _ in $(seq 300); do
    curl -fs "http://127.0.0.1:$1/readyz" > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "cluster: the instance on port $1 did not start; see $DIR/*.log" >&2
  exit 1
}
for ((i = 0; i < N; i++)); do
  : > "$DIR/${names[i]}.log"
  supervise "${names[i]}" $((BASE_PORT + i)) &
  children+=($!)
  [ "$i" -eq 0 ] && ready "$BASE_PORT"
done
for ((i = 0; i < N; i++)); do ready $((BASE_PORT + i)); done

balance=""
[ "$STICKY" = 1 ] && balance="ip_hash;"
servers=""
for ((i = 0; i < N; i++)); do servers+="server 127.0.0.1:$((BASE_PORT + i));"$'\n'; done
cat > "$DIR/nginx.conf" << NGINX
daemon off;
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/nginx.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $DIR/nginx-body;
  proxy_temp_path $DIR/nginx-proxy;
  fastcgi_temp_path $DIR/nginx-fastcgi;
  uwsgi_temp_path $DIR/nginx-uwsgi;
  scgi_temp_path $DIR/nginx-scgi;
  upstream authlab {
    $balance
    $servers
  }
  server {
    listen 127.0.0.1:$PORT;
    location / {
      proxy_pass http://authlab;
      # The app compares the browser's Origin with the Host it asked for.
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # A restarting instance: the next one answers instead.
      proxy_next_upstream error timeout;
    }
  }
}
NGINX
"$NGINX" -c "$DIR/nginx.conf" -e "$DIR/nginx.log" &
children+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/livez" > /dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$PORT/livez" > /dev/null || { echo "cluster: nginx did not start; see $DIR/nginx.log" >&2; exit 1; }

mode="round robin"
[ "$STICKY" = 1 ] && mode="sticky (ip_hash)"
echo "cluster: $N instances (${peers}), database $DATABASE, session store $STORE, $mode"
echo "cluster: open http://127.0.0.1:$PORT/compare (Ctrl-C stops it all)"
wait
