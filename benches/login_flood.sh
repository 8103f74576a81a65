#!/usr/bin/env bash
# The login flood of the hardening issue, on the release build: N
# connections post valid logins for 10 s while one connection asks
# /api/me with a Bearer token. Prints peak RSS, answers per status, login
# throughput and the /api/me latency percentiles. Needs wrk (Debian).
#   benches/login_flood.sh [connections...]      default: 128 512
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AUTHLAB_BIN:-target/release/authlab}
PORT=${FLOOD_PORT:-3190}
URL="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN is missing: make build" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
AUTHLAB_DATABASE_URL="sqlite://$work/authlab.db" AUTHLAB_DATA_DIR="$work" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
  LEPTOS_SITE_ROOT=target/site RUST_LOG=error AUTHLAB_LOGIN_MAX_FAILURES=0 "$BIN" &
server=$!
for _ in $(seq 100); do curl -fs "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

access=$(curl -fs -H 'content-type: application/json' -d '{"username":"bob","password":"bob-password"}' \
  "$URL/api/jwt/login" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

# Each wrk thread counts its answers per status; `done` adds them up.
cat > "$work/login_counts.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"username":"alice","password":"alice-password"}'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for status, n in pairs(c) do total[status] = (total[status] or 0) + n end
  end
  local line = "  answers:"
  for status, n in pairs(total) do line = line .. string.format(" %s×%d", status, n) end
  print(line)
  print(string.format("  socket errors: connect %d, read %d, write %d, timeout %d",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
LUA

for connections in "${@:-128 512}"; do
  for c in $connections; do
    echo "== $c connections posting valid logins for 10 s"
    wrk -t2 -c"$c" -d10s --timeout 10s -s "$work/login_counts.lua" "$URL/api/jwt/login" > "$work/flood.txt" &
    flood=$!
    wrk -t1 -c1 -d10s --latency -H "authorization: Bearer $access" "$URL/api/me" > "$work/me.txt"
    wait "$flood"
    grep -E "Requests/sec|answers|socket errors|Non-2xx" "$work/flood.txt" | sed 's/^/  /; s/^  Requests/  logins answered\/s (all statuses): Requests/'
    echo "  /api/me meanwhile: $(grep -E '^ +(50|99)%' "$work/me.txt" | tr -s ' ' | tr '\n' ' ')"
  done
done
echo "== peak RSS of the server: $(grep VmHWM /proc/$server/status | tr -s ' ')"
