#!/usr/bin/env bash
# Load test of `awesome-kg serve` with wrk on loopback: a simple SELECT at 1, 8 and 64
# connections, DURATION seconds each (default 10). Prints requests/s and latency percentiles,
# and fails if any request errs (socket error or non-2xx answer).
#
#   bash bench/load.sh [DURATION]          (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
command -v wrk > /dev/null || { echo "load.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cargo build --release --quiet
log="$(mktemp)"
target/release/awesome-kg serve --bind 127.0.0.1:0 2> "$log" &
server=$!
trap 'kill $server 2> /dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 100); do grep -q "serving" "$log" && break; sleep 0.1; done
base="$(grep -o 'http://[0-9.:]*' "$log" | head -1)"
query='SELECT ?title WHERE { ?e a schema:CreativeWork ; schema:name ?title } ORDER BY ?title LIMIT 5'
url="$base/query?query=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")"
curl -sf -H 'Accept: application/sparql-results+json' "$url" > /dev/null

echo "awesome-kg serve, bundled list, $(nproc) cores, ${duration}s per run: $query"
printf '%-11s %10s %9s %9s %9s %9s %8s\n' connections requests/s p50 p90 p99 max errors
failed=0
for c in 1 8 64; do
  threads=$(( c < 2 ? c : 2 ))
  out="$(wrk -t "$threads" -c "$c" -d "${duration}s" --latency -H 'Accept: application/sparql-results+json' "$url")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<< "$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<< "$out")"
  p90="$(awk '$1 == "90%" {print $2}' <<< "$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<< "$out")"
  max="$(awk '$1 == "Latency" {print $4}' <<< "$out")"
  socket="$(awk -F'[ ,]+' '/Socket errors/ {print $4 + $6 + $8 + $10}' <<< "$out")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' <<< "$out")"
  errors=$(( ${socket:-0} + ${non2xx:-0} ))
  printf '%-11s %10s %9s %9s %9s %9s %8s\n' "$c" "$rps" "$p50" "$p90" "$p99" "$max" "$errors"
  [ "$errors" -eq 0 ] || failed=1
done
exit $failed
