#!/usr/bin/env bash
# Load benchmark of the foundation's hot paths (not a test). Needs `wrk`
# (Debian package). Builds the release binary, starts it on a fresh SQLite
# database (or PostgreSQL: BENCH_DATABASE_URL=postgres://…), signs a user in,
# and drives each path for DURATION seconds at CONNECTIONS connections.
#
#   bash bench/foundation.sh            # SQLite
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/lyceum_bench bash bench/foundation.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lyceum-target}"
PORT=${PORT:-18181}
source bench/lib.sh

cargo build --release -q -p lyceum
BIN="$CARGO_TARGET_DIR/release/lyceum"
DATA=$(mktemp -d)
export LYCEUM_DATA_DIR="$DATA" LYCEUM_BIND="127.0.0.1:$PORT" LYCEUM_LOG_LEVEL=warn
[ -n "${BENCH_DATABASE_URL:-}" ] && export LYCEUM_DATABASE_URL="$BENCH_DATABASE_URL"
"$BIN" admin create-user bench@example.org --name Bench --role learner --password 'bench password 1' >/dev/null
"$BIN" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null && break; sleep 0.1; done

BASE="http://127.0.0.1:$PORT"
curl -fs -c "$DATA/jar" -H 'content-type: application/json' \
  -d '{"email":"bench@example.org","password":"bench password 1"}' "$BASE/api/v1/auth/login" >"$DATA/login.json"
CSRF=$(sed -E 's/.*"csrf_token":"([^"]+)".*/\1/' "$DATA/login.json")
SESSION=$(awk '$6 == "lyceum_session" {print $7}' "$DATA/jar")
TOKEN=$(curl -fs -b "$DATA/jar" -H "x-csrf-token: $CSRF" -H 'content-type: application/json' \
  -d '{"name":"bench"}' "$BASE/api/v1/tokens" | sed -E 's/.*"token":"([^"]+)".*/\1/')


table_head
run "GET /livez (stack only)" "$BASE/livez"
run "GET / (anonymous page)" "$BASE/"
run "GET /api/v1/users/me (bearer token)" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/users/me"
run "GET /settings/profile (session cookie)" -H "Cookie: lyceum_session=$SESSION" "$BASE/settings/profile"
# The same page as a browser's sub-resource fetch: the header's unread-count query is skipped,
# so the difference to the line above is what that query costs.
run "  same, Sec-Fetch-Dest: image (no badge count)" -H "Cookie: lyceum_session=$SESSION" -H "Sec-Fetch-Dest: image" "$BASE/settings/profile"
