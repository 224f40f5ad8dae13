#!/usr/bin/env bash
# The exam burst (issue 13; not a test): one course, a 20-question quiz of
# automatically graded kinds, LEARNERS (10,000) enrolled learners, each with a
# signed-in browser session. All start the quiz within 10 s, each saves an answer every 15 s
# for 2 minutes, then all submit within 10 s. Prints per step the requests,
# the rate answered, p50 / p99 (from each request's due time), failures and
# the server's CPU time per request.
#
#   bash bench/burst.sh                                      # SQLite
#   BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432 bash bench/burst.sh
#   LEARNERS=2000 SAVE_SECS=30 bash bench/burst.sh           # a shorter run
#   PROFILE=/tmp/burst.txt bash bench/burst.sh               # + the server's hottest functions (perf)
#
# The load generator runs on the same machine (2 cores here), as the budgets
# in issue 13 assume. The client is crates/server/examples/bench_burst.rs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lyceum-target}"
PORT=${PORT:-18185}
LEARNERS=${LEARNERS:-10000}
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p lyceum --bin lyceum --example bench_data --example bench_burst
BIN="${BIN:-$CARGO_TARGET_DIR/release/lyceum}"
DATA=$(mktemp -d)
export LYCEUM_DATA_DIR="$DATA" LYCEUM_BIND="127.0.0.1:$PORT" LYCEUM_LOG_LEVEL=warn
DB_NAME=""
if [ -n "${BENCH_POSTGRES:-}" ]; then
  DB_NAME="lyceum_burst_$$"
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

echo "generating the course, its quiz and $LEARNERS learners…" >&2
BENCH_QUIZ=1 BENCH_ACTIVE=$LEARNERS "$CARGO_TARGET_DIR/release/examples/bench_data" 1 "$LEARNERS" 0 "$DATA"
"$BIN" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null; do sleep 0.05; done
ulimit -n 65536 2>/dev/null || true
PERF=""
if [ -n "${PROFILE:-}" ]; then
  perf record -q -e cpu-clock -F 999 -p "$SERVER" -o "$DATA/perf.data" 2>/dev/null &
  PERF=$!
fi
SERVER_PID=$SERVER "$CARGO_TARGET_DIR/release/examples/bench_burst" "http://127.0.0.1:$PORT" "$DATA"
if [ -n "$PERF" ]; then
  kill -INT "$PERF"; wait "$PERF" || true
  perf report -q -i "$DATA/perf.data" --stdio --no-children --sort symbol 2>/dev/null | grep -v '^$' | head -80 >"$PROFILE" || true
  echo "profile: $PROFILE"
fi
echo "server RSS at the end: $(awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$SERVER/status)"
grep -ciE "error|panic" "$DATA/server.log" | xargs -I{} echo "server log lines with error/panic: {}"
