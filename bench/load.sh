#!/usr/bin/env bash
# make bench: the load benchmark. The release server on a fresh SQLite
# database on loopback, and wrk (2 threads, 64 connections) on each path in
# turn, in one run: 3 rounds of 2 s per path, interleaved, and the median
# of each path's rounds is reported, so that a slow moment of a shared
# machine does not land on one path only. Then the first visit's transfer
# size, the request header bytes per mode and the idle RSS; the login rate
# (RATE_LOGINS per mode); then, on a second server, 10,000 logins per mode
# (LOGINS), for the RSS each mode's logins add and the bytes each login
# leaves in the database. Writes bench/results.md, results.json
# (shown on /compare) and results.svg, and prints the table. The Express
# peer of the seed debate (bench/peer: express-session and jsonwebtoken)
# answers the same /api/me in the same rounds, for the ratio the issue asks.
#   DURATION=1s ROUNDS=1 RATE_LOGINS=20 LOGINS=200 make bench     a quick smoke run (not for the README)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AUTHLAB_BIN:-target/release/authlab}
PORT=${BENCH_PORT:-3190}
DURATION=${DURATION:-2s}
ROUNDS=${ROUNDS:-3}
LOGINS=${LOGINS:-10000}
RATE_LOGINS=${RATE_LOGINS:-400}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
URL="http://127.0.0.1:$PORT"
OUT=${BENCH_OUT:-bench}


PEER_PORT=${BENCH_PEER_PORT:-3189}
PEER_URL="http://127.0.0.1:$PEER_PORT"

work=$(mktemp -d)
trap 'kill "${server:-}" "${peer:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
(cd bench/peer && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --silent; })
PORT=$PEER_PORT node bench/peer/server.js >/dev/null &
peer=$!
start() { # folder [VARIABLE=value ...]: the server on a fresh database there
  local folder=$1
  shift
  mkdir -p "$folder"
  env AUTHLAB_DATABASE_URL="sqlite://$folder/authlab.db" AUTHLAB_DATA_DIR="$folder" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
    LEPTOS_SITE_ROOT=target/site RUST_LOG=error AUTHLAB_LOGIN_MAX_FAILURES=0 AUTHLAB_LOGIN_MAX_FAILURES_PER_ADDRESS=0 \
    "$@" "$BIN" 2>> "$work/server.log" &
  server=$!
  for _ in $(seq 100); do curl -fs "$URL/livez" >/dev/null 2>&1 && break; sleep 0.1; done
}
start "$work/load"
for _ in $(seq 100); do curl -fs -o /dev/null -X POST "$PEER_URL/api/jwt/login" 2>/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
rss_start=$(rss)

source bench/login.sh
session=$(login session alice)
jwt=$(login jwt bob)
admin=$(login session admin)
peer_session=$(login session alice "$PEER_URL" peer_sid)
peer_jwt=$(login jwt alice "$PEER_URL")
printf '%s' "$session" > "$work/session-header"
printf '%s' "$jwt" > "$work/jwt-header"

run() { # name path [header] [base URL]
  local name=$1 path=$2 header=${3:-} base=${4:-$URL}
  local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  echo "== round $round: $name: GET $path" >&2
  wrk "${args[@]}" "$base$path" > "$work/wrk-$name-$round.txt"
  [ "$round" = 1 ] && echo "$name $path" >> "$work/runs"
  return 0
}
strict() { # on|off, as the admin
  curl -fs -o /dev/null -X PUT -H "$admin" -H 'content-type: application/json' \
    -d "{\"strict_revocation\":$1}" "$URL/api/admin/settings"
}

# The stylesheet under its content-hashed name, as pages link it.
css=$(curl -fs "$URL/login" | grep -oE '/pkg/[^"]+\.css' | head -1)
for round in $(seq "$ROUNDS"); do
  run livez /livez
  run readyz /readyz
  run jwt_me /api/me "$jwt"
  run session_me /api/me "$session"
  strict true
  run jwt_strict_me /api/me "$jwt"
  strict false
  run home / ""
  run login /login ""
  run me_page /me "$session"
  # as a browser asks for it: every browser takes brotli or gzip
  run css "$css" "Accept-Encoding: br, gzip"
  run peer_session_me /api/me "$peer_session" "$PEER_URL"
  run peer_jwt_me /api/me "$peer_jwt" "$PEER_URL"
done

# The first visit to /login: the page and every file it loads (those it
# names, and the modules its scripts import), as a browser that accepts
# brotli and gzip receives them.
first_visit() {
  local page assets imports total=0 plain=0 size
  page=$(curl -fs "$URL/login")
  assets=$(grep -oE '/pkg/[^"'"'"' )]+' <<<"$page" | sort -u)
  imports=$(for path in $(grep '\.js$' <<<"$assets"); do
    curl -fs "$URL$path" | grep -oE "from ?[\"']\./[^\"']+\.js" | sed -E "s|.*\./|/pkg/|"
  done | sort -u)
  assets=$(printf '%s\n%s\n' "$assets" "$imports" | grep . | sort -u)
  for path in /login $assets; do
    size=$(curl -fs -o /dev/null -w '%{size_download}' -H 'accept-encoding: br, gzip' "$URL$path")
    total=$((total + size))
    plain=$((plain + $(curl -fs -o /dev/null -w '%{size_download}' "$URL$path")))
    echo "$path $size" >> "$work/first-visit"
  done
  echo "$total $plain" > "$work/first-visit-total"
}
first_visit
# Idle after the load: what the process keeps.
rss_idle=$(rss)

# Logins of one mode, 4 at a time (argon2id runs one per core), then what
# the process and the database keep for them (/api/compare counts the rows
# and their bytes).
logins() { # mode count name
  echo "== $2 logins: $1" >&2
  python3 bench/logins.py "$URL" "$1" carol carol-password "$2" 4 > "$work/$3-$1.txt"
  rss > "$work/rss-after-$3-$1"
  curl -fs "$URL/api/compare" > "$work/compare-after-$3-$1.json"
}
signup() {
  curl -fs -o /dev/null -H 'content-type: application/json' \
    -d '{"username":"carol","password":"carol-password"}' "$URL/api/signup"
}
# The login rate, at the configured cost (argon2id 19 MiB, 2 passes).
signup
logins session "$RATE_LOGINS" rate
logins jwt "$RATE_LOGINS" rate

# What LOGINS logins leave behind does not depend on what checking their
# password cost, so these run on a fresh server whose new hashes are cheap
# (carol's is made there), in seconds instead of minutes. A few logins of
# each mode first, so that what the first ones set up once is not counted.
kill "$server" && wait "$server" || true
start "$work/state" AUTHLAB_ARGON2_MEMORY_KIB=64 AUTHLAB_ARGON2_ITERATIONS=1
signup
logins session 200 warm
logins jwt 200 warm
rss_before=$(rss)
logins session "$LOGINS" state
logins jwt "$LOGINS" state
echo "$rss_start $rss_idle $rss_before $(cat "$work/rss-after-state-session") $(cat "$work/rss-after-state-jwt") $LOGINS" > "$work/rss"

# A panic writes to stderr (the logs go to stdout): none is expected.
grep -c "panicked" "$work/server.log" > "$work/panics" || true
cat "$work/server.log" >&2

python3 bench/report.py "$work" "$OUT" "$DURATION" "$CONNECTIONS" "$THREADS" "$ROUNDS"
