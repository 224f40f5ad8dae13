#!/usr/bin/env bash
# The learner-day mix (issue 11; not a test): capacity and memory.
# Builds the release server, `bench_data` and `bench_mix`
# (crates/server/examples), generates the dataset (COURSES, LEARNERS,
# ENROLLMENTS; ACTIVE learners signed in and enrolled in the first ten
# courses), starts the server — timing start-up to a ready /readyz — and runs
# `bench_mix`:
#
#   bash bench/mix.sh                          # SQLite, ramp to capacity
#   BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432 bash bench/mix.sh
#   MODE=steady RATE=800 SECS=600 bash bench/mix.sh   # memory over 10 minutes
#
# Ramp: START_RATE (200) ×STEP (1.25) every STEP_SECS (15) seconds until a
# step's p99 passes MAX_P99_MS (200) or 0.1 % of its requests fail. The mix
# and its shares are in crates/server/examples/bench_mix.rs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lyceum-target}"
PORT=${PORT:-18184}
COURSES=${COURSES:-1000} LEARNERS=${LEARNERS:-100000} ENROLLMENTS=${ENROLLMENTS:-500000}
export BENCH_ACTIVE=${ACTIVE:-256} ACTIVE=${ACTIVE:-256}
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p lyceum --bin lyceum --example bench_data --example bench_mix
BIN="${BIN:-$CARGO_TARGET_DIR/release/lyceum}"
DATA=$(mktemp -d)
export LYCEUM_DATA_DIR="$DATA" LYCEUM_BIND="127.0.0.1:$PORT" LYCEUM_LOG_LEVEL=warn
# Sign-in is rate limited per address; the benchmark signs in from one.
export LYCEUM_RATE_LIMIT__LOGIN_PER_MINUTE=100000
DB_NAME=""
if [ -n "${BENCH_POSTGRES:-}" ]; then
  DB_NAME="lyceum_mix_$$"
  psql -q "$BENCH_POSTGRES/postgres" -c "CREATE DATABASE $DB_NAME"
  export LYCEUM_DATABASE_URL="$BENCH_POSTGRES/$DB_NAME"
fi
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; }
  [ -n "$DB_NAME" ] && psql -q "$BENCH_POSTGRES/postgres" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
  rm -rf "$DATA"
}
trap cleanup EXIT

echo "generating $COURSES courses, $LEARNERS learners, $ENROLLMENTS enrollments…" >&2
"$CARGO_TARGET_DIR/release/examples/bench_data" "$COURSES" "$LEARNERS" "$ENROLLMENTS" "$DATA"
# PostgreSQL: settle the bulk load (statistics, dirty pages) before measuring,
# or autovacuum's work after it lands in the tail of the first rows.
[ -z "$DB_NAME" ] || psql -q "$LYCEUM_DATABASE_URL" -c "VACUUM ANALYZE" -c "CHECKPOINT"
started=$(date +%s%N)
"$BIN" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.02; done
echo "start-up to ready: $(( ($(date +%s%N) - started) / 1000000 )) ms; RSS idle: $(awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$SERVER/status)"
BASE="http://127.0.0.1:$PORT"
if [ "${MODE:-ramp}" = steady ]; then
  SERVER_PID=$SERVER "$CARGO_TARGET_DIR/release/examples/bench_mix" "$BASE" "$DATA" steady "${RATE:-800}" "${SECS:-600}"
  sleep "${IDLE:-30}"
  echo "server RSS after ${IDLE:-30} s idle: $(awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$SERVER/status)"
else
  SERVER_PID=$SERVER "$CARGO_TARGET_DIR/release/examples/bench_mix" "$BASE" "$DATA" ramp
fi
