# Shared by the load benchmarks (sourced, not run): `run LABEL WRK-ARGS…`
# drives one path with wrk for DURATION seconds at CONNECTIONS connections and
# prints a table row with req/s, p50, p99, the server's CPU time per request
# (from /proc/$SERVER/stat, so SERVER must hold the server's pid) and the
# count of non-2xx answers.
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }

run() {
  local label=$1; shift
  local cpu0; cpu0=$(awk '{print $14+$15}' "/proc/$SERVER/stat")
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@")
  local cpu1; cpu1=$(awk '{print $14+$15}' "/proc/$SERVER/stat")
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  local reqs; reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  local p50; p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  local p99; p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  local non2xx; non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$out")
  local ticks; ticks=$(getconf CLK_TCK)
  local cpu_ms; cpu_ms=$(awk -v a="$cpu0" -v b="$cpu1" -v n="$reqs" -v t="$ticks" 'BEGIN {printf "%.3f", (b-a)/t*1000/n}')
  printf '| %-46s | %9s | %8s | %8s | %7s | %s |\n' "$label" "$rps" "$p50" "$p99" "$cpu_ms" "${non2xx:-0}"
}

table_head() {
  echo "| path | req/s | p50 | p99 | server CPU ms/req | non-2xx |"
  echo "|---|---|---|---|---|---|"
}
