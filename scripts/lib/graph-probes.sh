# Sourced by the benchmark scripts: the running graph's processes, their CPU from /proc, its PostgreSQL, its token and
# its processing status. Expects $url (the API) to be set.

# utime + stime, and the same of children reaped: a PostgreSQL backend that exits during a run (a pool pruning its
# idle connections) leaves its CPU in the postmaster's cutime + cstime, not nowhere.
ticks_of() { local sum=0; for pid in "$@"; do sum=$((sum + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat" 2>/dev/null || echo 0))); done; echo "$sum"; }
groups=(api processor postgres broker redis dcp)
pids_of() {
  case $1 in
    api) pgrep -f 'EventSourcing.Api( |$)' || true ;;
    processor) pgrep -f 'EventSourcing.Processor( |$)' || true ;;
    postgres) pgrep -u postgres postgres || true ;;
    broker) pgrep -f 'EventSourcing.KafkaDevBroker( |$)' || true ;;
    redis) pgrep -x redis-server || true ;;
    dcp) pgrep -f '/dcp ' || true ;;
  esac
}
# The CPU of PostgreSQL processes that exited (autovacuum workers above all; pooled backends rarely exit): the
# postmaster's cutime + cstime, part of the postgres group's figure.
postmaster_pid() { pgrep -u postgres -o postgres || true; }
reaped_ticks() { awk '{print $16 + $17}' "/proc/$(postmaster_pid)/stat" 2>/dev/null || echo 0; }
# ticks_all <array name>: CPU ticks of every group now (and of exited PostgreSQL processes), into the array named.
ticks_all() { local -n into=$1; local g; for g in "${groups[@]}"; do into[$g]=$(ticks_of $(pids_of "$g")); done; into[reaped]=$(reaped_ticks); }
# us_per_event <before array> <events> <group>: microseconds of CPU the group used since <before>, per event.
us_per_event() {
  local -n from=$1
  local now; if [ "$3" = reaped ]; then now=$(reaped_ticks); else now=$(ticks_of $(pids_of "$3")); fi
  echo $(( ( now - from[$3] ) * 1000000 / $(getconf CLK_TCK) / ($2 > 0 ? $2 : 1) ))
}

token=$(dotnet run -c Release --no-build --project EventSourcing.Benchmarks -- --print-token)

# The graph's PostgreSQL for pg_stat_statements: the event store the API was given (local mode: the machine's server).
api_pid=$(pids_of api | head -n 1)
graph_pg_port=$(tr '\0' '\n' < "/proc/$api_pid/environ" 2>/dev/null | grep '^ConnectionStrings__eventstore=' | grep -o 'Port=[0-9]*' | cut -d= -f2 || true)
graph_sql() { [ -n "$graph_pg_port" ] && command psql -h 127.0.0.1 -p "$graph_pg_port" -U postgres -d eventstore -qAt "$@"; }
statements=$(graph_sql -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT 1 FROM pg_stat_statements LIMIT 1" 2>/dev/null && echo yes || true)
reset_statements() { [ -z "$statements" ] || graph_sql -c "SELECT pg_stat_statements_reset()" >/dev/null; }
# The top 8 statements by time since the last reset, as table rows without the outer pipes.
statement_times() {
  [ -z "$statements" ] || graph_sql -F ' | ' -c "
    SELECT round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric, 1) || '%', calls,
           round((total_exec_time * 1000 / greatest(calls, 1))::numeric, 1) || ' µs',
           left(regexp_replace(query, '\\s+', ' ', 'g'), 110)
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'eventstore')
    ORDER BY total_exec_time DESC LIMIT 8" || true
}
print_statements() {
  echo "| share | calls | per call | statement |"
  echo "| --- | --- | --- | --- |"
  sed 's/^/| /; s/$/ |/' <<<"$1"
}
pending_events() { curl -sf -H "Authorization: Bearer $token" "$url/api/v1/events/processing/status" | grep -o '"pending":[0-9]*' | cut -d: -f2; }
wait_processed() {
  for _ in $(seq 1 240); do
    [ "$(pending_events)" = 0 ] && return 0
    sleep 0.5
  done
  echo "warning: events still pending 2 minutes after the run" >&2
}

# The appends go to AGGREGATES players (default 20,000, as issue 16 measures; 0: a new one per event), new ones each run.
export AGGREGATES=${AGGREGATES:-20000} RUN=$(date +%s)
# warm_up <seconds per path>: not measured. Until the append paths are compiled at their final tier, the API spends more
# on the JIT than on the requests (perf: libclrjit 22% of its samples in the first seconds under load; BENCHMARKS.md).
# Then waits for an idle pipeline.
warm_up() {
  local per_request
  for per_request in 1 100; do
    TOKEN=$token EVENTS=$per_request wrk -t2 -c16 -d "${1}s" -s scripts/wrk/appends.lua "$url" >/dev/null
  done
  wait_processed
}
