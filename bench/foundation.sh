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
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-18181}
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }

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

run() {
  local label=$1; shift
  local cpu0; cpu0=$(awk '{print $14+$15}' "/proc/$SERVER/stat")
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@")
  local cpu1; cpu1=$(awk '{print $14+$15}' "/proc/$SERVER/stat")
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  local reqs; reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  local p50; p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  local p99; p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  local ticks; ticks=$(getconf CLK_TCK)
  local cpu_ms; cpu_ms=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$reqs" -v t="$ticks" 'BEGIN {printf "%.3f", (b-a)/t*1000/n}')
  printf '| %-42s | %10s | %8s | %8s | %8s |\n' "$label" "$rps" "$p50" "$p99" "$cpu_ms"
}

echo "| path | req/s | p50 | p99 | server CPU ms/req |"
echo "|---|---|---|---|---|"
run "GET /livez (stack only)" "$BASE/livez"
run "GET / (anonymous page)" "$BASE/"
run "GET /api/v1/users/me (bearer token)" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/users/me"
run "GET /settings/profile (session cookie)" -H "Cookie: lyceum_session=$SESSION" "$BASE/settings/profile"
# The same page as a browser's sub-resource fetch: the header's unread-count query is skipped,
# so the difference to the line above is what that query costs.
run "  same, Sec-Fetch-Dest: image (no badge count)" -H "Cookie: lyceum_session=$SESSION" -H "Sec-Fetch-Dest: image" "$BASE/settings/profile"
