#!/usr/bin/env bash
# Runs the whole graph (PostgreSQL, Redis, Kafka, migrations, API, processor, event explorer) with the Aspire dashboard.
# Containers when Docker/Podman answers, else the machine's own servers and the dev Kafka broker.
#   --with-simulator   also runs the game simulator (about 20 events/s through EventSourcing.Client), for live
#                      traces, metrics and read models on the dashboard; any other argument goes to the AppHost.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! docker info >/dev/null 2>&1 && ! podman info >/dev/null 2>&1; then
  scripts/prerequisites.sh
fi
args=()
for arg in "$@"; do
  case "$arg" in
    --with-simulator) args+=("--Simulator:Enabled=true") ;;
    *) args+=("$arg") ;;
  esac
done
exec dotnet run --project EventSourcing.AppHost -- "${args[@]}"
