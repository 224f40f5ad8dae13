#!/usr/bin/env bash
# Load benchmark of the learner's journey (issue 4; not a test). Needs `wrk`
# (Debian package). Builds the release binary, generates the dataset
# (COURSES courses through the authoring service, LEARNERS learners,
# ENROLLMENTS enrollments: `crates/server/examples/bench_data/main.rs`), starts the
# server and drives catalog search, course page, lesson view, enroll and
# mark-complete for DURATION seconds at CONNECTIONS connections each,
# reporting req/s, p50/p99 and the server's CPU time per request — each as a
# ratio of a reference measured first in the same run
# (`crates/server/examples/bench_reference.rs`: a bare axum handler, a 20 KB
# static page, one primary-key SELECT through the same sqlx stack and database).
#
#   bash bench/learning.sh                 # SQLite
#   BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432 bash bench/learning.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lyceum-target}"
PORT=${PORT:-18182}
COURSES=${COURSES:-1000} LEARNERS=${LEARNERS:-10000} ENROLLMENTS=${ENROLLMENTS:-50000}
source bench/lib.sh

# SKIP_BUILD=1 uses the release build already there (with BIN=…, an A/B).
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p lyceum --bin lyceum --example bench_data --example bench_reference
# BIN=path runs another build of the server (an A/B against an older commit).
BIN="${BIN:-$CARGO_TARGET_DIR/release/lyceum}"
DATA=$(mktemp -d)
export LYCEUM_DATA_DIR="$DATA" LYCEUM_BIND="127.0.0.1:$PORT" LYCEUM_LOG_LEVEL=warn
# Sign-in is rate limited per address; the benchmark signs in from one.
export LYCEUM_RATE_LIMIT__LOGIN_PER_MINUTE=100000
DB_NAME=""
if [ -n "${BENCH_POSTGRES:-}" ]; then
  DB_NAME="lyceum_bench_$$"
  psql -q "$BENCH_POSTGRES/postgres" -c "CREATE DATABASE $DB_NAME"
  export LYCEUM_DATABASE_URL="$BENCH_POSTGRES/$DB_NAME"
fi
SERVER=""
stop_server() { [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; }; SERVER=""; }
cleanup() {
  stop_server
  if [ -n "$DB_NAME" ]; then
    psql -q "$BENCH_POSTGRES/postgres" -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
    psql -q "$BENCH_POSTGRES/postgres" -c "DROP DATABASE IF EXISTS ${DB_NAME}_ref WITH (FORCE)"
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT

# The references, on the same database engine, before Lyceum starts.
REF_DB="sqlite://$DATA/reference.db?mode=rwc"
if [ -n "$DB_NAME" ]; then
  psql -q "$BENCH_POSTGRES/postgres" -c "CREATE DATABASE ${DB_NAME}_ref"
  REF_DB="$BENCH_POSTGRES/${DB_NAME}_ref"
fi
"$CARGO_TARGET_DIR/release/examples/bench_reference" "127.0.0.1:$PORT" "$REF_DB" >"$DATA/reference.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/bare" >/dev/null && break; sleep 0.1; done
cat >"$DATA/select.lua" <<LUA
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", "/select/" .. ((i * 7919) % 10000 + 1))
end
LUA
table_head
reference bare "reference: bare axum handler" "http://127.0.0.1:$PORT/bare"
reference static "reference: static 20 KB page" "http://127.0.0.1:$PORT/static"
reference select "reference: one PK SELECT (same sqlx stack)" -s "$DATA/select.lua" "http://127.0.0.1:$PORT"
stop_server

echo "generating $COURSES courses, $LEARNERS learners, $ENROLLMENTS enrollments…" >&2
"$CARGO_TARGET_DIR/release/examples/bench_data" "$COURSES" "$LEARNERS" "$ENROLLMENTS" "$DATA"
# PostgreSQL: settle the bulk load (statistics, dirty pages) before measuring,
# or autovacuum's work after it lands in the tail of the first rows.
[ -z "$DB_NAME" ] || psql -q "$LYCEUM_DATABASE_URL" -c "VACUUM ANALYZE" -c "CHECKPOINT"
"$BIN" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"

# A signed-in learner: session cookie (pages) and API token (writes).
login() { # email → "session csrf token"
  local jar="$DATA/jar.$1"
  curl -fs -c "$jar" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"bench password 1\"}" "$BASE/api/v1/auth/login" >"$jar.json"
  local csrf; csrf=$(sed -E 's/.*"csrf_token":"([^"]+)".*/\1/' "$jar.json")
  local token; token=$(curl -fs -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"bench"}' "$BASE/api/v1/tokens" | sed -E 's/.*"token":"([^"]+)".*/\1/')
  echo "$(awk '$6 == "lyceum_session" {print $7}' "$jar") $csrf $token"
}
read -r SESSION _ TOKEN <<<"$(login learner0@bench.example)"
# Writers: learners 0..63 (one per connection), each with a token, all enrolled
# in the first course by the generator.
: >"$DATA/writers.txt"
for n in $(seq 0 63); do login "learner$n@bench.example" | awk '{print $3}' >>"$DATA/writers.txt"; done
awk '$3 == 0 {print $1}' "$DATA/courses.txt" >"$DATA/free.txt"
awk '{print $2}' "$DATA/courses.txt" >"$DATA/slugs.txt"
FIRST_SLUG=$(head -1 "$DATA/slugs.txt")
# Search terms: subjects of the generated courses, one and two words.
printf '%s\n' rust python sql statistics typography marketing spanish calculus finance \
  accessibility machine+learning javascript go+practice linear+algebra >"$DATA/subjects.txt"

# wrk scripts: requests drawn from the dataset's files.
cat >"$DATA/pages.lua" <<LUA
local paths = {}
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = args[2] .. line .. (args[3] or "") end
end
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[(i * 7919) % #paths + 1])
end
LUA
cat >"$DATA/enroll.lua" <<LUA
local tokens, courses = {}, {}
local counter = 0
function setup(thread) counter = counter + 1; thread:set("offset", counter * 7001) end
function init(args)
  for t in io.lines("$DATA/writers.txt") do tokens[#tokens + 1] = t end
  for c in io.lines("$DATA/free.txt") do courses[#courses + 1] = c end
end
local i = 0
function request()
  i = i + 1
  local n = i + offset
  local body = '{"course_id":"' .. courses[n % #courses + 1] .. '"}'
  local headers = { ["Authorization"] = "Bearer " .. tokens[math.floor(n / #courses) % #tokens + 1],
                    ["Content-Type"] = "application/json" }
  return wrk.format("POST", "/api/v1/enrollments", headers, body)
end
LUA
cat >"$DATA/complete.lua" <<LUA
local tokens, lessons = {}, {}
local counter = 0
function setup(thread) counter = counter + 1; thread:set("offset", counter * 31) end
function init(args)
  for t in io.lines("$DATA/writers.txt") do tokens[#tokens + 1] = t end
  for l in io.lines("$DATA/lessons.txt") do lessons[#lessons + 1] = l end
end
local i = 0
-- Each learner in turn marks the next lesson complete (then, on later rounds,
-- toggles it), so writes spread over learners as real traffic does.
function request()
  i = i + 1
  local n = i + offset
  local token = tokens[n % #tokens + 1]
  local lesson = lessons[math.floor(n / #tokens) % #lessons + 1]
  local body = (math.floor(n / (#tokens * #lessons)) % 2 == 0) and '{"completed":true}' or '{"completed":false}'
  return wrk.format("PUT", "/api/v1/progress/lessons/" .. lesson,
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
LUA

VS=static run "GET /courses (anonymous catalog)" "$BASE/courses"
VS=static run "GET /courses?q=… (catalog search page)" -s "$DATA/pages.lua" "$BASE" -- "$DATA/subjects.txt" "/courses?q="
VS=static run "GET /api/v1/catalog/courses?q=… (search API)" -s "$DATA/pages.lua" "$BASE" -- "$DATA/subjects.txt" "/api/v1/catalog/courses?q="
VS=static run "GET /courses?category=…&sort=enrolled" "$BASE/courses?category=programming&sort=enrolled"
VS=static run "GET /courses/{slug} (course page, 1,000 courses)" -s "$DATA/pages.lua" "$BASE" -- "$DATA/slugs.txt" "/courses/"
# As a browser asks for it: compressed (the page cache keeps each coding).
VS=static run "GET /courses/{slug} (course page, br)" -H "Accept-Encoding: gzip, deflate, br, zstd" \
  -s "$DATA/pages.lua" "$BASE" -- "$DATA/slugs.txt" "/courses/"
VS=select run "GET /learn/{slug}/lessons/{id} (signed in)" -H "Cookie: lyceum_session=$SESSION" \
  -s "$DATA/pages.lua" "$BASE" -- "$DATA/lessons.txt" "/learn/$FIRST_SLUG/lessons/"
WARMUP=0 VS=select run "POST /api/v1/enrollments (new enrollments)" -s "$DATA/enroll.lua" "$BASE"
WARMUP=0 VS=select run "PUT /api/v1/progress/lessons/{id} (complete)" -s "$DATA/complete.lua" "$BASE"
