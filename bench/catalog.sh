#!/usr/bin/env bash
# Load benchmark of the anonymous catalog and course pages (not a test). Needs
# `wrk`, `python3` and `sqlite3` (or `psql` with BENCH_DATABASE_URL). Builds the
# release binary, migrates a fresh database, inserts COURSES published courses,
# starts the server (which indexes them for search) and drives each path for
# DURATION seconds at CONNECTIONS connections.
#
#   bash bench/catalog.sh            # SQLite
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/lyceum_bench bash bench/catalog.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lyceum-target}"
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
COURSES=${COURSES:-1000}
PORT=${PORT:-18182}
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }

cargo build --release -q -p lyceum
BIN="$CARGO_TARGET_DIR/release/lyceum"
DATA=$(mktemp -d)
export LYCEUM_DATA_DIR="$DATA" LYCEUM_BIND="127.0.0.1:$PORT" LYCEUM_LOG_LEVEL=warn
[ -n "${BENCH_DATABASE_URL:-}" ] && export LYCEUM_DATABASE_URL="$BENCH_DATABASE_URL"
"$BIN" admin create-user teacher@example.org --name Teacher --role instructor --password 'bench password 1' >/dev/null
# Runs SQL from stdin against the benchmark database.
sql() {
  if [ -n "${BENCH_DATABASE_URL:-}" ]; then psql -qAt -v ON_ERROR_STOP=1 "$BENCH_DATABASE_URL"; else sqlite3 "$DATA/lyceum.db"; fi
}
OWNER=$(echo "SELECT id FROM users WHERE email = 'teacher@example.org';" | sql)
python3 bench/catalog_seed.py "$COURSES" "$OWNER" | sql >/dev/null

"$BIN" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"

# Course pages spread over every course (each is a cache miss once, then a hit).
cat > "$DATA/courses.lua" <<LUA
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/courses/bench-course-" .. (counter % $COURSES))
end
LUA

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
  printf '| %-44s | %10s | %8s | %8s | %8s |\n' "$label" "$rps" "$p50" "$p99" "$cpu_ms"
}

echo "| path ($COURSES published courses) | req/s | p50 | p99 | server CPU ms/req |"
echo "|---|---|---|---|---|"
run "GET /courses (anonymous catalog)" "$BASE/courses"
run "GET /courses?q=rust&sort=relevance" "$BASE/courses?q=rust&sort=relevance"
run "GET /courses?category=design&price=paid" "$BASE/courses?category=design&price=paid"
run "GET /courses/{slug} (one course)" "$BASE/courses/bench-course-1"
run "GET /courses/{slug} (all $COURSES courses)" -s "$DATA/courses.lua" "$BASE"
run "GET /api/v1/catalog/courses?q=data" "$BASE/api/v1/catalog/courses?q=data"
