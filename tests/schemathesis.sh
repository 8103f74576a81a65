#!/usr/bin/env bash
# schemathesis against the live server's own spec (/api/openapi.json):
# anonymous, with an admin's session cookie, with an admin's Bearer token.
# Every answer must be no 5xx, a documented status, the documented content
# type and match the documented schema.   make schema   (part of make test)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${AUTHLAB_BIN:-target/release/authlab}
PORT=${SCHEMA_PORT:-3180}
URL="http://127.0.0.1:$PORT"
SCHEMATHESIS_VERSION=4.32.5
command -v st >/dev/null && st --version | grep -q "$SCHEMATHESIS_VERSION" \
  || pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION"

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
AUTHLAB_DATABASE_URL="sqlite://$work/authlab.db" AUTHLAB_DATA_DIR="$work" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
  LEPTOS_SITE_ROOT=target/site RUST_LOG=error AUTHLAB_LOGIN_MAX_FAILURES=0 AUTHLAB_LOGIN_MAX_FAILURES_PER_ADDRESS=0 \
  AUTHLAB_RACE_ACCESS_TTL=1 \
  "$BIN" &
server=$!
for _ in $(seq 100); do curl -fs "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

login='{"username":"admin","password":"admin-password"}'
session=$(curl -fs -c - -H 'content-type: application/json' -d "$login" "$URL/api/session/login" \
  | awk '$6 == "authlab_sid" { print $7 }')
access=$(curl -fs -H 'content-type: application/json' -d "$login" "$URL/api/jwt/login" \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

run() {
  echo "== schemathesis: $1"
  shift
  st run "$URL/api/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing --max-examples 25 --seed 20261124 --workers 1 \
    --generation-database none "$@"
}
run anonymous
# Logged in, the operations that would end this very login (or turn strict
# revocation on under it) run last, in the anonymous pass only; otherwise
# everything after them would test a 401.
# The Lab's propagation runs last a token's life each (1 s here, plus the
# leeway) and do not depend on who asks: the anonymous pass covers them.
keep_login=(--exclude-path-regex '^/api/(logout|admin/users/\{username\}/logout|admin/settings|lab/propagation/\{experiment\})$')
run "admin, session cookie" -H "Cookie: authlab_sid=$session" "${keep_login[@]}"
run "admin, Bearer token" -H "Authorization: Bearer $access" "${keep_login[@]}"
