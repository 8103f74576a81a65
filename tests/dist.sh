#!/usr/bin/env bash
# `make dist-check`: copies the dist folder outside the source tree, starts
# it there with run.sh on a free port, and checks that it serves a page, its
# hashed build files (brotli, immutable) and a login.
set -euo pipefail
dist=$(realpath "$1")
place=$(mktemp -d)
cp -r "$dist" "$place/authlab"
cd "$place/authlab"
port=${DIST_PORT:-3290}
url="http://127.0.0.1:$port"
LEPTOS_SITE_ADDR="127.0.0.1:$port" RUST_LOG=warn ./run.sh > server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$place"' EXIT
for _ in $(seq 100); do curl -fs "$url/readyz" > /dev/null 2>&1 && break; sleep 0.1; done
fail() { echo "dist-check: $*" >&2; cat server.log >&2; exit 1; }

page=$(curl -fs "$url/login") || fail "/login did not answer"
wasm=$(grep -oE '/pkg/authlab\.[A-Za-z0-9_-]{8,}\.wasm' <<<"$page" | head -1)
[ -n "$wasm" ] || fail "/login links no hashed wasm"
headers=$(curl -fs -o /dev/null -D - -H 'accept-encoding: br' "$url$wasm") || fail "$wasm did not answer"
grep -qi '^content-encoding: br' <<<"$headers" || fail "$wasm not brotli"
grep -qi '^cache-control: public, max-age=31536000, immutable' <<<"$headers" || fail "$wasm not immutable"
curl -fs -H 'content-type: application/json' -d '{"username":"alice","password":"alice-password"}' \
  "$url/api/session/login" | grep -q '"alice"' || fail "the demo login failed"
[ -f data/authlab.db ] || fail "no database in the dist folder's data/"
grep -q "hash file" server.log && fail "the hash file was not found beside the binary"
echo "dist-check: $dist starts in $place/authlab and serves /login, $wasm and a login"
