#!/usr/bin/env bash
# Runs the machine's PostgreSQL (Debian's postgresql package) for the AppHost's local mode.
# Usage: run-postgres.sh DATA_DIR PORT
# Initialises DATA_DIR on first run (trust auth on loopback only), runs as the postgres user when started by root,
# and turns the orchestrator's SIGTERM into a fast shutdown (SIGTERM alone would wait for every client to leave).
# pg_stat_statements is loaded when installed (not created) so scripts/bench-ratios.sh can say where the database's time goes.
set -euo pipefail
data_dir=$1
port=$2

bin_dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin_dir" ]; then
  echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2
  exit 1
fi

run_as=()
if [ "$(id -u)" = 0 ]; then
  run_as=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi

mkdir -p "$data_dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$data_dir" && chmod 700 "$data_dir"
if [ ! -s "$data_dir/PG_VERSION" ]; then
  echo "initdb into $data_dir"
  "${run_as[@]}" "$bin_dir/initdb" -D "$data_dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

preload=()
[ -f "$bin_dir/../lib/pg_stat_statements.so" ] && preload=(-c shared_preload_libraries=pg_stat_statements)

"${run_as[@]}" "$bin_dir/postgres" -D "$data_dir" -p "$port" \
  -c listen_addresses=127.0.0.1 \
  -c unix_socket_directories="$data_dir" \
  -c max_connections=100 \
  -c shared_buffers=256MB \
  -c wal_buffers=16MB \
  -c max_wal_size=2GB \
  -c checkpoint_timeout=15min \
  -c log_min_messages=warning \
  "${preload[@]}" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null' TERM INT
wait "$pid" || true
wait "$pid" 2>/dev/null || true
