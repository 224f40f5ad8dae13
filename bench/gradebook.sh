#!/usr/bin/env bash
# Benchmark of the staff's gradebook (issue 14; not a test). Needs `wrk`.
# Builds the release binary, generates a course with LEARNERS enrolled
# learners and ITEMS grade items, every learner graded in every item
# (`crates/server/examples/bench_data/main.rs`, BENCH_GRADEBOOK), starts the
# server, signs the course's instructor in, and measures the grid page (50
# learners × ITEMS items), a 100-learner page of the grid's API, and the
# whole gradebook as CSV, at CONNECTIONS connections for DURATION seconds
# each: req/s, p50 / p99, the server's CPU per request.
#
#   bash bench/gradebook.sh                 # SQLite
#   BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432 bash bench/gradebook.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lyceum-target}"
PORT=${PORT:-18183}
LEARNERS=${LEARNERS:-2000} ITEMS=${ITEMS:-30}
CONNECTIONS=${CONNECTIONS:-4}
source bench/lib.sh

[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p lyceum --bin lyceum --example bench_data
BIN="${BIN:-$CARGO_TARGET_DIR/release/lyceum}"
DATA=$(mktemp -d)
export LYCEUM_DATA_DIR="$DATA" LYCEUM_BIND="127.0.0.1:$PORT" LYCEUM_LOG_LEVEL=warn
DB_NAME=""
if [ -n "${BENCH_POSTGRES:-}" ]; then
  DB_NAME="lyceum_bench_$$"
  psql -q "$BENCH_POSTGRES/postgres" -c "CREATE DATABASE $DB_NAME"
  export LYCEUM_DATABASE_URL="$BENCH_POSTGRES/$DB_NAME"
fi
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; }
  [ -z "$DB_NAME" ] || psql -q "$BENCH_POSTGRES/postgres" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
  rm -rf "$DATA"
}
trap cleanup EXIT

echo "generating a course of $LEARNERS learners × $ITEMS grade items…" >&2
BENCH_ACTIVE="$LEARNERS" BENCH_GRADEBOOK="$ITEMS" \
  "$CARGO_TARGET_DIR/release/examples/bench_data" 10 "$LEARNERS" "$LEARNERS" "$DATA"
[ -z "$DB_NAME" ] || psql -q "$LYCEUM_DATABASE_URL" -c "VACUUM ANALYZE" -c "CHECKPOINT"
COURSE=$(head -1 "$DATA/gradebook.txt")
"$BIN" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
curl -fs -c "$DATA/jar" -H 'content-type: application/json' \
  -d '{"email":"teacher@bench.example","password":"bench password 1"}' "$BASE/api/v1/auth/login" >/dev/null
COOKIE="lyceum_session=$(awk '$6 == "lyceum_session" {print $7}' "$DATA/jar")"
rows=$(curl -fs -H "Cookie: $COOKIE" "$BASE/api/v1/courses/$COURSE/gradebook.csv" | wc -l)
echo "the CSV has $rows lines (a header and one per learner)" >&2

table_head
run "grid page (50 learners × $ITEMS items)" -H "Cookie: $COOKIE" "$BASE/teach/courses/$COURSE/gradebook"
run "grid API (100 learners)" -H "Cookie: $COOKIE" "$BASE/api/v1/courses/$COURSE/gradebook?limit=100"
run "CSV ($LEARNERS learners × $ITEMS items)" -H "Cookie: $COOKIE" "$BASE/api/v1/courses/$COURSE/gradebook.csv"
