#!/usr/bin/env bash
# Floods and slow clients (issue 11; not a test). Needs `wrk` and python3.
# Starts the release server on an empty SQLite database with the demo catalog,
# then:
#   1. 2,000 connections on the anonymous catalog and on /livez at once
#      (CONNECTIONS=2000): throughput, p99, non-2xx (503s are shed requests)
#      and wrk's socket errors (timeouts); then the same flood on the catalog
#      and on a signed-in page (the demo learner's courses, read from the
#      database on every request) through `bench_flood`
#      (crates/server/examples), which tells admitted and shed answers apart,
#      each with its own p50 / p99; and once more as an open loop — people
#      arriving at TIMES (default 2) times the page's capacity, whatever the
#      answers' pace (RATE in `bench_flood`);
#   2. SLOW=500 slowloris connections, each sending one header byte a second:
#      how many are still open after HOLD seconds (header_read_timeout_secs
#      closes them), and whether /livez answers meanwhile.
#
#   bash bench/flood.sh
#   SKIP_BUILD=1 BIN=path bash bench/flood.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lyceum-target}"
PORT=${PORT:-18183} CONNECTIONS=${CONNECTIONS:-2000} DURATION=${DURATION:-10} SLOW=${SLOW:-500} HOLD=${HOLD:-20}
[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p lyceum --bin lyceum --example bench_flood
BIN="${BIN:-$CARGO_TARGET_DIR/release/lyceum}"
DATA=$(mktemp -d)
export LYCEUM_DATA_DIR="$DATA" LYCEUM_BIND="127.0.0.1:$PORT" LYCEUM_LOG_LEVEL=warn
ulimit -n 20000
"$BIN" serve --demo >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 300); do curl -fs "http://127.0.0.1:$PORT/livez" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"

flood() { # LABEL URL
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency "$2")
  printf '| %-28s | %9s | %8s | %8s | %6s | %s |\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")" "$(awk '/Non-2xx/ {print $NF}' <<<"$out")" \
    "$(grep -o 'Socket errors.*' <<<"$out" || echo 'no socket errors')"
}
echo "| path at $CONNECTIONS connections | req/s | p50 | p99 | non-2xx | socket errors |"
echo "|---|---|---|---|---|---|"
flood "GET /courses" "$BASE/courses"
flood "GET /courses/{slug}" "$BASE/courses/$(curl -fs "$BASE/api/v1/catalog/courses?limit=1" | sed -E 's/.*"slug":"([^"]+)".*/\1/')"
flood "GET /livez" "$BASE/livez"
echo
FLOOD="$CARGO_TARGET_DIR/release/examples/bench_flood"
"$FLOOD" "$BASE/courses" "$CONNECTIONS" "$DURATION"
echo
curl -fs -c "$DATA/jar" -H 'content-type: application/json' \
  -d '{"email":"ada@demo.lyceum.localhost","password":"demo-learner"}' "$BASE/api/v1/auth/login" >/dev/null
COOKIE="lyceum_session=$(awk '$6 == "lyceum_session" {print $7}' "$DATA/jar")"
"$FLOOD" "$BASE/my/courses" "$CONNECTIONS" "$DURATION" "$COOKIE"
echo

# The same page as people arriving at a set pace (an open loop) at TIMES
# times its capacity, the capacity being what 64 connections get from it.
CAPACITY=$(wrk -t2 -c64 -d5s -H "Cookie: $COOKIE" "$BASE/my/courses" | awk '/Requests\/sec/ {printf "%d", $2}')
echo "GET /my/courses capacity at 64 connections: $CAPACITY req/s"
for times in ${TIMES:-2}; do
  echo
  RATE=$((CAPACITY * times)) "$FLOOD" "$BASE/my/courses" "$CONNECTIONS" "$DURATION" "$COOKIE"
done
echo

echo
echo "slowloris: $SLOW connections sending one header byte a second for ${HOLD}s"
python3 - "$PORT" "$SLOW" "$HOLD" <<'PY'
import socket, sys, time, urllib.request
port, n, hold = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
socks = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port)); s.setblocking(False); socks.append(s)
header = b"GET /courses HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000
start = time.time(); i = 0; live_ok = 0; live_tries = 0
while time.time() - start < hold:
    for s in list(socks):
        try:
            s.send(header[i:i + 1])
        except OSError:
            socks.remove(s)
    i += 1
    live_tries += 1
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=2).read(); live_ok += 1
    except Exception:
        pass
    time.sleep(1)
print(f"still open after {hold}s: {len(socks)} of {n}; /livez answered {live_ok} of {live_tries} probes")
PY
echo "server RSS after: $(awk '/VmRSS/ {print $2, $3}' /proc/$SERVER/status)"
