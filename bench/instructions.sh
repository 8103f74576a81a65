#!/usr/bin/env bash
# make bench-instructions: what one request costs the server, in CPU
# instructions counted by callgrind (valgrind), for /livez, JWT /api/me and
# session /api/me. Unlike req/s on a shared machine, the count is the same
# from one run to the next for the same binary, so a change of a few
# percent on one path shows. Each path runs in a server of its own on a
# fresh database: 200 requests to warm it (a login's first use fills the
# caches), then the count over REQUESTS more on one kept-alive connection.
#   REQUESTS=2000 bench/instructions.sh          (AUTHLAB_BIN: the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AUTHLAB_BIN:-target/release/authlab}
PORT=${BENCH_PORT:-3196}
REQUESTS=${REQUESTS:-2000}
URL="http://127.0.0.1:$PORT"
command -v valgrind >/dev/null || { echo "needs valgrind (Debian: apt-get install valgrind)" >&2; exit 1; }

source bench/login.sh

work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

count() { # path -> instructions per request
  local path=$1 header url
  rm -rf "$work/db" && mkdir -p "$work/db"
  AUTHLAB_DATABASE_URL="sqlite://$work/db/authlab.db" AUTHLAB_DATA_DIR="$work/db" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
    LEPTOS_SITE_ROOT=target/site RUST_LOG=error \
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/callgrind.out" "$BIN" \
    > "$work/valgrind.log" 2>&1 &
  server=$!
  for _ in $(seq 600); do curl -fs "$URL/livez" >/dev/null 2>&1 && break; sleep 0.2; done
  case $path in
    livez) header="X-Path: livez" url=/livez ;;
    *) header=$(login "$path" alice) url=/api/me ;;
  esac
  # curl's URL ranges: many requests on one connection (the query is ignored).
  curl -fs -H "$header" "$URL$url?warm=[1-200]" >/dev/null
  callgrind_control --instr=on "$server" >/dev/null 2>&1
  curl -fs -H "$header" "$URL$url?n=[1-$REQUESTS]" >/dev/null
  callgrind_control --instr=off "$server" >/dev/null 2>&1
  kill "$server" && wait "$server" || true
  local collected
  collected=$(awk '/Collected :/ { print $4 }' "$work/valgrind.log")
  echo $((collected / REQUESTS))
}

livez=$(count livez)
printf '%-20s %9s %s\n' path instructions "share of /livez (its count ÷ the path's)"
printf '%-20s %9d\n' /livez "$livez"
for path in jwt session; do
  n=$(count $path)
  awk -v path="$path /api/me" -v n="$n" -v livez="$livez" 'BEGIN { printf "%-20s %9d %5.1f%%\n", path, n, 100 * livez / n }'
done
