# Shared by the load benchmarks (sourced, not run): `run LABEL WRK-ARGS…`
# drives one path with wrk for DURATION seconds at CONNECTIONS connections and
# prints a table row with req/s, p50, p99, the server's CPU time per request
# (from /proc/$SERVER/stat, so SERVER must hold the server's pid) and the
# count of non-2xx answers.
#
# References: `reference KEY LABEL WRK-ARGS…` runs like `run` and remembers
# the figures under KEY; a later `VS=KEY run …` adds the row's throughput as a
# percentage of that reference's and its CPU per request as a multiple of it.
# References run in the same invocation, so ratios hold however busy the
# machine is (absolutes drift; ratios do not). `ONLY=REGEX` runs only the
# rows whose label matches, e.g. `ONLY='POST|PUT'` for the writes.
# `PROFILE=DIR` also samples the server with `perf record` (cpu-clock; Debian's
# linux-perf) during each row and writes the hottest functions to
# DIR/<row>.txt: for finding where the time goes, not for the figures (the
# sampling costs a few per cent).
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
declare -A REF_RPS REF_CPU

# measure WRK-ARGS… → sets RPS P50 P99 CPU_MS NON2XX for the last run.
# WARMUP seconds (default 2; 0 for none) of the same load first, not
# measured: a row that cycles through many URLs (the 1,000 course pages)
# would otherwise count its first visit of each — one render per page, once
# per cache lifetime — against the steady state the row is about.
measure() {
  if [ "${WARMUP:-2}" != 0 ]; then wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-2}s" "$@" >/dev/null; fi
  local cpu0; cpu0=$(awk '{print $14+$15}' "/proc/$SERVER/stat")
  local perf=""
  if [ -n "${PROFILE:-}" ] && [ -n "${PROFILE_LABEL:-}" ]; then
    mkdir -p "$PROFILE"
    perf record -q -e cpu-clock -F 1999 -p "$SERVER" -o "$PROFILE/perf.data" -- sleep "$DURATION" 2>/dev/null &
    perf=$!
  fi
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@")
  if [ -n "$perf" ]; then
    wait "$perf" || true
    perf report -q -i "$PROFILE/perf.data" --stdio --no-children --sort symbol 2>/dev/null |
      grep -v '^$' | head -60 >"$PROFILE/${PROFILE_LABEL//[^A-Za-z0-9]/_}.txt" || true
  fi
  local cpu1; cpu1=$(awk '{print $14+$15}' "/proc/$SERVER/stat")
  local reqs; reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  local ticks; ticks=$(getconf CLK_TCK)
  RPS=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  P50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  P99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  NON2XX=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  CPU_MS=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$reqs" -v t="$ticks" 'BEGIN {printf "%.3f", (b-a)/t*1000/n}')
}

row() { # LABEL RATIO
  printf '| %-46s | %9s | %8s | %8s | %7s | %7s | %s |\n' "$1" "$RPS" "$P50" "$P99" "$CPU_MS" "${NON2XX:-0}" "$2"
}

run() {
  local label=$1; shift
  # ONLY=REGEX runs just the rows whose label matches (references always run).
  if [ -n "${ONLY:-}" ] && ! [[ $label =~ $ONLY ]]; then return 0; fi
  PROFILE_LABEL=$label measure "$@"
  local ratio="" key=${VS:-}
  if [ -n "$key" ] && [ -n "${REF_RPS[$key]:-}" ]; then
    ratio=$(awk -v r="$RPS" -v rr="${REF_RPS[$key]}" -v c="$CPU_MS" -v rc="${REF_CPU[$key]}" -v k="$key" \
      'BEGIN {printf "%.1f %% of %s req/s, CPU ×%.1f", 100*r/rr, k, (rc > 0 ? c/rc : 0)}')
  fi
  row "$label" "$ratio"
}

reference() {
  local key=$1 label=$2; shift 2
  measure "$@"
  REF_RPS[$key]=$RPS
  REF_CPU[$key]=$CPU_MS
  row "$label" "reference \`$key\`"
}

table_head() {
  echo "| path | req/s | p50 | p99 | server CPU ms/req | non-2xx | vs reference |"
  echo "|---|---|---|---|---|---|---|"
}
