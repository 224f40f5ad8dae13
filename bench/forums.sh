#!/usr/bin/env bash
# Benchmark of the forums (issue 16; not a test). Needs `wrk`.
# Builds the release binary, generates a course whose general forum holds
# THREADS one-post threads and a thread of 200 posts
# (`crates/server/examples/bench_data/main.rs`, BENCH_FORUMS), starts the server,
# signs an enrolled learner in and measures, at CONNECTIONS connections for
# DURATION seconds each: the forum's first page of threads, its API list,
# the 200-post thread's pages (10 of 20 posts) and its API page — req/s,
# p50 / p99, the server's CPU per request.
#
# With FANOUT=1 it then posts an announcement as the course's teacher to the
# LEARNERS enrolled learners (all of them are: BENCH_ACTIVE=LEARNERS), and
# reports how long until every learner has its in-app notice, while wrk
# loads the catalog page: its p99 during the fan-out says whether the web
# stays responsive.
#
#   bash bench/forums.sh                                   # SQLite
#   BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432 bash bench/forums.sh
#   LYCEUM_FORUMS__NOTIFY_DELAY_SECONDS=0 FANOUT=1 LEARNERS=20000 bash bench/forums.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lyceum-target}"
PORT=${PORT:-18184}
THREADS=${THREADS:-5000} LEARNERS=${LEARNERS:-200}
CONNECTIONS=${CONNECTIONS:-64}
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

echo "generating a forum of $THREADS threads and a 200-post thread ($LEARNERS learners)…" >&2
BENCH_ACTIVE="$LEARNERS" BENCH_FORUMS="$THREADS" \
  "$CARGO_TARGET_DIR/release/examples/bench_data" 10 "$LEARNERS" "$LEARNERS" "$DATA"
[ -z "$DB_NAME" ] || psql -q "$LYCEUM_DATABASE_URL" -c "VACUUM ANALYZE" -c "CHECKPOINT"
FORUM=$(sed -n 1p "$DATA/forums.txt")
THREAD=$(sed -n 2p "$DATA/forums.txt")
"$BIN" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
login() { # EMAIL → the session cookie
  curl -fs -c "$DATA/jar" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"bench password 1\"}" "$BASE/api/v1/auth/login" >/dev/null
  echo "lyceum_session=$(awk '$6 == "lyceum_session" {print $7}' "$DATA/jar")"
}
COOKIE=$(login learner0@bench.example)

table_head
run "forum page ($THREADS threads, first 25)" -H "Cookie: $COOKIE" "$BASE/forums/$FORUM"
run "forum threads API (25)" -H "Cookie: $COOKIE" "$BASE/api/v1/forums/$FORUM/threads"
run "thread page (200 posts, page 10 of 20)" -H "Cookie: $COOKIE" "$BASE/forums/threads/$THREAD?page=10"
run "thread API (200 posts, page 10)" -H "Cookie: $COOKIE" "$BASE/api/v1/forums/threads/$THREAD?page=10"

if [ -n "${FANOUT:-}" ]; then
  CSRF=$(curl -fs -c "$DATA/teacher" -H 'content-type: application/json' \
    -d '{"email":"teacher@bench.example","password":"bench password 1"}' "$BASE/api/v1/auth/login" |
    sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
  COURSE=$(head -1 "$DATA/courses.txt" | cut -d' ' -f1)
  NEWS=$(curl -fs -b "$DATA/teacher" "$BASE/api/v1/forums/courses/$COURSE" |
    python3 -c 'import json,sys; print([f["id"] for f in json.load(sys.stdin)["items"] if f["kind"]=="announcements"][0])')
  count() {
    if [ -n "$DB_NAME" ]; then psql -At "$LYCEUM_DATABASE_URL" -c "SELECT COUNT(*) FROM notifications WHERE kind LIKE 'forum.%'"
    else sqlite3 "$DATA/lyceum.db" "SELECT COUNT(*) FROM notifications WHERE kind LIKE 'forum.%'"; fi
  }
  wrk -t2 -c"$CONNECTIONS" -d"${FANOUT_SECS:-20}s" --latency "$BASE/courses" >"$DATA/during.txt" &
  LOAD=$!
  start=$(date +%s.%N)
  curl -sS -o "$DATA/posted.json" -w "announcement: HTTP %{http_code}\n" -b "$DATA/teacher" -H "x-csrf-token: $CSRF" -H 'content-type: application/json' \
    -d '{"title":"Exam moved","body":"The exam is on **Friday**.","important":true}' "$BASE/api/v1/forums/$NEWS/threads"
  while [ "$(count)" -lt "$LEARNERS" ]; do sleep 0.5; done
  took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e-s}')
  wait "$LOAD" 2>/dev/null || true # the load runs FANOUT_SECS in all, across the fan-out
  echo "fan-out: $LEARNERS notices in ${took} s (delay of the notification included: [forums] notify_delay_seconds)"
  echo "catalog page during the fan-out: $(awk '/Requests\/sec/ {print $2}' "$DATA/during.txt") req/s, p99 $(awk '$1 == "99%" {print $2}' "$DATA/during.txt")"
fi
