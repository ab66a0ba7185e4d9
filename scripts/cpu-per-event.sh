#!/usr/bin/env bash
# Where the CPU of one appended event goes, per process, while the graph (local mode) runs and the benchmark tool
# appends at a fixed rate (its "visible" scenario). PostgreSQL backends are charged to the service that holds their
# connection. Usage: scripts/cpu-per-event.sh <api url> [events per second, default 800] [events per request, default 1]
# Prints microseconds of CPU per event and % of one core, from /proc over a 15 s window in the middle of the run.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?usage: scripts/cpu-per-event.sh <api url> [events per second]}
rate=${2:-800}
per_request=${3:-1}
window=15

pg_port=$(pgrep -af run-postgres.sh | head -n 1 | awk '{print $NF}')
[ -n "$pg_port" ] || { echo "no local-mode PostgreSQL found (start the AppHost first)" >&2; exit 1; }

dotnet run -c Release --no-build --project EventSourcing.Benchmarks -- --url "$url" --scenario visible --rate "$rate" --per-request "$per_request" --seconds $((window + 17)) \
  > /tmp/cpu-per-event-bench.txt &
bench=$!
sleep 10

ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo ""; }
declare -A before
for pid in $(pgrep -f 'EventSourcing|redis-server'; pgrep -u postgres postgres); do before[$pid]=$(ticks "$pid"); done
sleep "$window"

# Who holds each backend's connection: its client port, looked up among this machine's sockets.
backends=$(psql -h 127.0.0.1 -p "$pg_port" -U postgres -d eventstore -At -F'|' \
  -c "SELECT pid, backend_type, coalesce(client_port::text, '') FROM pg_stat_activity")
sockets=$(ss -tnp)
declare -A cpu
for pid in "${!before[@]}"; do
  now=$(ticks "$pid")
  [ -n "$now" ] && [ -n "${before[$pid]}" ] || continue
  name=$(basename "$(tr '\0' ' ' < "/proc/$pid/cmdline" | awk '{print $1}')")
  if [[ $name == postgres* ]]; then
    row=$(grep "^$pid|" <<< "$backends" || true)
    port=$(cut -d'|' -f3 <<< "$row")
    if [ -n "$port" ]; then
      owner=$(grep ":$port " <<< "$sockets" | grep -o '"EventSourcing[^"]*"' | head -n 1 | tr -d '"' || true)
      name="postgres for ${owner:-?}"
    else
      name="postgres ($(cut -d'|' -f2 <<< "$row"))"
    fi
  fi
  cpu[$name]=$(( ${cpu[$name]:-0} + now - ${before[$pid]} ))
done
wait "$bench"

ticks_per_second=$(getconf CLK_TCK)
total=0
for name in "${!cpu[@]}"; do total=$((total + cpu[$name])); done
for name in "${!cpu[@]}"; do
  (( cpu[$name] > 0 )) || continue
  printf '%6d us/event  %4d %% of a core  %s\n' \
    $(( cpu[$name] * 1000000 / ticks_per_second / window / rate )) $(( cpu[$name] * 100 / ticks_per_second / window )) "$name"
done | sort -rn
printf '%6d us/event  in all\n' $(( total * 1000000 / ticks_per_second / window / rate ))
grep -E "append" /tmp/cpu-per-event-bench.txt || true
