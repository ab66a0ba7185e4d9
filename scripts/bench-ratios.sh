#!/usr/bin/env bash
# The ratios of issue 16 in one sitting: the raw PostgreSQL ceilings (pgbench on a throw-away server with the seed's
# events table), the HTTP floor (GET /health), single and batch appends through the running graph (wrk), the ratios,
# and CPU per event per process (from /proc). Start the graph first, in Release and without the dashboard:
#   dotnet run -c Release --project EventSourcing.AppHost -- --no-dashboard
# Usage: scripts/bench-ratios.sh [seconds per run, default 20] [api url, default http://localhost:8082]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
url=${2:-http://localhost:8082}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
command -v wrk >/dev/null && command -v pgbench >/dev/null || { echo "needs wrk and pgbench: apt-get install -y wrk postgresql-contrib" >&2; exit 1; }
curl -sf "$url/health" >/dev/null || { echo "no API answers at $url/health: start the graph first (see the top of this script)" >&2; exit 1; }

# --- raw ceilings: a throw-away PostgreSQL with the seed's events table and indexes, default settings ---
scratch=$(mktemp -d)
chown postgres "$scratch"
port=55432
cleanup() { runuser -u postgres -- "$pg_bin/pg_ctl" -D "$scratch/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$scratch"; }
trap cleanup EXIT
runuser -u postgres -- "$pg_bin/initdb" -D "$scratch/data" -A trust >/dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$scratch/data" -o "-p $port -k $scratch -c listen_addresses=''" -l "$scratch/log" -w start >/dev/null
psql() { command psql -h "$scratch" -p "$port" -U postgres -d postgres -q "$@"; }
psql <<'SQL'
CREATE SCHEMA event_store;
CREATE TABLE event_store.events (
    event_id UUID PRIMARY KEY DEFAULT gen_random_uuid(), aggregate_id UUID NOT NULL, aggregate_type VARCHAR(100) NOT NULL,
    aggregate_version BIGINT NOT NULL, event_type VARCHAR(200) NOT NULL, event_version INTEGER NOT NULL DEFAULT 1,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP, payload JSONB NOT NULL, metadata JSONB DEFAULT '{}',
    causation_id UUID, correlation_id UUID, processed_at TIMESTAMP WITH TIME ZONE, processing_status VARCHAR(20) DEFAULT 'pending',
    processing_error TEXT, created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE INDEX idx_events_aggregate ON event_store.events(aggregate_id, aggregate_version);
CREATE INDEX idx_events_type_time ON event_store.events(event_type, occurred_at DESC);
CREATE INDEX idx_events_processing ON event_store.events(processing_status, occurred_at);
CREATE INDEX idx_events_payload_gin ON event_store.events USING GIN (payload);
CREATE INDEX idx_events_metadata_gin ON event_store.events USING GIN (metadata);
CREATE TABLE event_store.read_models (
    id VARCHAR(255) NOT NULL, model_name VARCHAR(100) NOT NULL, data JSONB NOT NULL, version BIGINT NOT NULL DEFAULT 0,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (model_name, id));
CREATE INDEX idx_read_models_name ON event_store.read_models(model_name, updated_at DESC);
CREATE INDEX idx_read_models_data_gin ON event_store.read_models USING GIN (data);
-- 20,000 players' player_summary documents, as the processor writes them (~220 bytes).
INSERT INTO event_store.read_models (id, model_name, data, version)
SELECT 'p' || g, 'player_summary', jsonb_build_object('name', null, 'rank', 'Diamond', 'level', 25, 'kdRatio', 0,
    'lastSeen', now(), 'playerId', null, 'experience', 1500, 'totalKills', 0, 'totalDeaths', 0, 'killsByWeapon', '{}'::jsonb,
    'favoriteWeapon', null), 1
FROM generate_series(0, 19999) AS g;
VACUUM ANALYZE event_store.read_models;
SQL
columns="aggregate_id, aggregate_type, aggregate_version, event_type, payload, metadata"
# The wrk script's event: a 300-byte payload (two fresh UUIDs in it), the same metadata.
payload="'{\"newLevel\":25,\"experienceGained\":1500,\"reason\":\"quest_completed\",\"questId\":\"' || gen_random_uuid() || '\",\"matchId\":\"' || gen_random_uuid() || '\",\"zone\":\"northern-wastes\",\"bonus\":{\"multiplier\":1.5,\"source\":\"weekend-event\"},\"client\":{\"build\":\"1.42.7\",\"platform\":\"pc\",\"region\":\"eu-west\"}}'"
values="gen_random_uuid(), 'player', 1, 'PlayerLevelUp', ($payload)::jsonb, '{\"source\":\"benchmark\",\"gameMode\":\"ranked\"}'"
echo "INSERT INTO event_store.events ($columns) VALUES ($values);" > "$scratch/single.sql"
echo "INSERT INTO event_store.events ($columns) SELECT $values FROM generate_series(1, 100);" > "$scratch/batch.sql"
# The database's part of the pipeline, without the pipeline: the 100 events, and each one's read-model document
# updated (what the processor does per event), in one transaction. Each client updates players of its own (no lock waits).
cat > "$scratch/pipeline.sql" <<SQL
BEGIN;
INSERT INTO event_store.events ($columns) SELECT $values FROM generate_series(1, 100);
UPDATE event_store.read_models SET data = data || jsonb_build_object('experience', (data->>'experience')::bigint + 1500, 'lastSeen', now()),
    version = version + 1, updated_at = now()
WHERE model_name = 'player_summary' AND id IN (SELECT 'p' || (:client_id * 5000 + (random() * 4999)::int) FROM generate_series(1, 100));
COMMIT;
SQL
tps() { pgbench -h "$scratch" -p "$port" -U postgres -n -j 2 -T "$seconds" "$@" postgres 2>/dev/null | awk -F'[ =]+' '/^tps/ {printf "%.0f", $2; exit}'; }
raw_single=$(tps -c 16 -f "$scratch/single.sql")
raw_batch=$(( $(tps -c 4 -f "$scratch/batch.sql") * 100 ))
raw_pipeline=$(( $(tps -c 4 -f "$scratch/pipeline.sql") * 100 ))
cleanup
trap - EXIT

# --- through the graph: CPU ticks of each process group around each wrk run ---
source scripts/lib/graph-probes.sh
declare -A cpu_us top_statements
# run <name> <events per request> <wrk arguments...>: sets rps, p99, completed, failed and cpu_us[<name>,<group>] per event.
run() {
  local name=$1 per_request=$2; shift 2
  declare -A before
  ticks_all before
  reset_statements
  local out; out=$(TOKEN=$token EVENTS=$per_request wrk -t2 --latency -d "${seconds}s" "$@")
  # The pipeline's CPU for these events includes the processor catching up after the load stops.
  [ "$per_request" = 0 ] || wait_processed
  top_statements[$name]=$(statement_times)
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  completed=$(awk '/requests in/ {print $1}' <<<"$out")
  failed=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); failed=${failed:-0}
  local events=$(( completed * (per_request > 0 ? per_request : 1) ))
  for g in "${groups[@]}"; do cpu_us[$name,$g]=$(us_per_event before "$events" "$g"); done
}

warm_up "$(( seconds < 10 ? seconds : 10 ))"

run floor 0 -c64 "$url/health"; floor_rps=$rps; floor_p99=$p99
run single 1 -c64 -s scripts/wrk/appends.lua "$url"; single_rps=$rps; single_p99=$p99; single_failed=$failed
run batch 100 -c16 -s scripts/wrk/appends.lua "$url"; batch_eps=$((rps * 100)); batch_p99=$p99; batch_failed=$failed

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "| what | figure |"
echo "| --- | --- |"
echo "| raw: one INSERT per commit, 16 clients (pgbench) | ${raw_single}/s |"
echo "| raw: 100-row INSERT per commit, 4 clients (pgbench) | ${raw_batch} rows/s |"
echo "| raw: 100-row INSERT + the 100 events' read-model UPDATEs per commit, 4 clients (pgbench) | ${raw_pipeline} events/s ($(ratio "$raw_pipeline" "$raw_batch")× the INSERT alone) |"
echo "| HTTP floor: GET /health, 64 connections (wrk) | ${floor_rps}/s, p99 ${floor_p99} |"
echo "| single appends, 64 connections (wrk) | ${single_rps}/s, p99 ${single_p99}, ${single_failed} non-2xx — **$(ratio "$single_rps" "$floor_rps")× the HTTP floor** |"
echo "| batch appends, 100 events/request, 16 connections (wrk) | ${batch_eps} events/s, p99 ${batch_p99}, ${batch_failed} non-2xx — **$(ratio "$batch_eps" "$raw_batch")× raw**, $(ratio "$batch_eps" "$raw_pipeline")× raw with read models |"
echo
echo "CPU per event (µs, from /proc, the run and the processor's catch-up after it; postgres = every process of the graph's server):"
printf "| run |"; for g in "${groups[@]}"; do printf " %s |" "$g"; done; echo " total |"
printf "| --- |"; for g in "${groups[@]}"; do printf " --- |"; done; echo " --- |"
for name in single batch; do
  total=0; printf "| %s |" "$name"
  for g in "${groups[@]}"; do printf " %s |" "${cpu_us[$name,$g]}"; total=$((total + cpu_us[$name,$g])); done
  echo " $total |"
done

if [ -n "$statements" ]; then
  for name in single batch; do
    echo
    echo "Where PostgreSQL's statement time went during the $name run (pg_stat_statements, top 8):"
    print_statements "${top_statements[$name]}"
  done
fi
