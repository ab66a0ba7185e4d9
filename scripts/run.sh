#!/usr/bin/env bash
# Runs the whole graph (PostgreSQL, Redis, Kafka, migrations, API, processor) with the Aspire dashboard.
# Containers when Docker/Podman answers, else the machine's own servers and the dev Kafka broker.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! docker info >/dev/null 2>&1 && ! podman info >/dev/null 2>&1; then
  scripts/prerequisites.sh
fi
exec dotnet run --project EventSourcing.AppHost "$@"
