#!/usr/bin/env bash
# Where an event's cost goes, in two halves on the running graph: appends alone (the processor SIGSTOPped: the API
# with its outbox relay, PostgreSQL, the broker), then processing alone (SIGCONT: the processor catching up with that
# backlog, its PostgreSQL work and Redis). CPU per event per process from /proc and PostgreSQL's statements for each
# half. Start the graph first, in Release and without the dashboard (see scripts/bench-ratios.sh).
# The append half is short on purpose: the dev broker (local mode) keeps about 5 MiB per partition, so a longer backlog
# loses its oldest messages while the processor is stopped, and the processor reads those events from the store instead
# (correct, but a different path; BENCHMARKS.md, session 10); and a stop past the processor's 6 s session timeout makes
# the catch-up include rejoining the consumer group.
# Usage: scripts/bench-split.sh [seconds of appends, default 4] [events per request, default 100] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-4}
per_request=${2:-100}
connections=${3:-16}
url=${URL:-http://localhost:8082}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 1; }
curl -sf "$url/health" >/dev/null || { echo "no API answers at $url/health: start the graph first" >&2; exit 1; }
source scripts/lib/graph-probes.sh
[ "$seconds" -le 5 ] || echo "warning: ${seconds}s of appends outlast the dev broker's retention and the group's session timeout (see above)" >&2
processors=$(pids_of processor)
[ -n "$processors" ] || { echo "no processor is running" >&2; exit 1; }
resume() { kill -CONT $processors 2>/dev/null || true; }
trap resume EXIT

warm_up 10

declare -A before
kill -STOP $processors
ticks_all before
reset_statements
out=$(TOKEN=$token EVENTS=$per_request wrk -t2 --latency -c "$connections" -d "${seconds}s" -s scripts/wrk/appends.lua "$url")
# The relay publishes what the run appended (it keeps up within a second); then only the processor has work left.
sleep 1
appended=$(( $(awk '/requests in/ {print $1}' <<<"$out") * per_request ))
declare -A appends
for g in "${groups[@]}" reaped; do appends[$g]=$(us_per_event before "$appended" "$g"); done
append_statements=$(statement_times)

ticks_all before
reset_statements
started=$(date +%s.%N)
kill -CONT $processors
wait_processed
caught_up=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
declare -A processing
for g in "${groups[@]}" reaped; do processing[$g]=$(us_per_event before "$appended" "$g"); done
processing_statements=$(statement_times)

echo "appends: $(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out") requests/s x $per_request = $appended events in ${seconds}s," \
  "p99 $(awk '$1 == "99%" {print $2}' <<<"$out"), $(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0) non-2xx;" \
  "processing caught up in ${caught_up}s ($(awk -v n="$appended" -v t="$caught_up" 'BEGIN { printf "%.0f", n / t }') events/s)"
echo
echo "CPU per event (µs, from /proc; postgres includes the exited processes of the next column, autovacuum above all):"
printf "| half |"; for g in "${groups[@]}"; do printf " %s |" "$g"; [ "$g" != postgres ] || printf " of it exited |"; done; echo " total |"
printf "| --- |"; for g in "${groups[@]}"; do printf " --- |"; [ "$g" != postgres ] || printf " --- |"; done; echo " --- |"
for half in appends processing; do
  declare -n cpu=$half
  total=0; printf "| %s |" "$half"
  for g in "${groups[@]}"; do printf " %s |" "${cpu[$g]}"; [ "$g" != postgres ] || printf " %s |" "${cpu[reaped]}"; total=$((total + cpu[$g])); done
  echo " $total |"
done
if [ -n "$statements" ]; then
  echo; echo "PostgreSQL's statement time, appends alone (pg_stat_statements, top 8):"; print_statements "$append_statements"
  echo; echo "PostgreSQL's statement time, processing alone:"; print_statements "$processing_statements"
fi
