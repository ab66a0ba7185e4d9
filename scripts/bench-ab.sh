#!/usr/bin/env bash
# A/B in one sitting: alternates the graph of an older revision and of this working tree, each on a fresh local-mode
# store of its own, and runs scripts/bench-ratios.sh against each (raw ceilings re-measured every time).
# Usage: scripts/bench-ab.sh OLD_REVISION [rounds, default 2] [seconds per run, default 20]
# (BENCH=scripts/bench-split.sh runs that script on each side instead of bench-ratios.sh; give it 4 seconds.)
# (--no-dashboard goes last: the command-line configuration would take the next argument as its value.)
# Both trees must be built in Release (this one: dotnet build -c Release; the old one is built here in a worktree).
set -euo pipefail
cd "$(dirname "$0")/.."
old_rev=$1
rounds=${2:-2}
seconds=${3:-20}
here=$(pwd)
old_tree=/tmp/bench-ab-$(git rev-parse --short "$old_rev")
if [ ! -d "$old_tree" ]; then
  git worktree add -f --detach "$old_tree" "$old_rev" >/dev/null
  # The same infrastructure for both sides: only the application code differs.
  cp EventSourcing.AppHost/Infrastructure/run-postgres.sh "$old_tree/EventSourcing.AppHost/Infrastructure/"
  dotnet build "$old_tree/EventSourcing.Aspire.sln" -c Release -nologo -v quiet >/dev/null
fi

stop_graph() { pkill -TERM -f "EventSourcing.AppHost" 2>/dev/null || true; for _ in $(seq 1 60); do pgrep -f "EventSourcing.AppHost" >/dev/null || break; sleep 1; done; }
run_side() {
  local name=$1 tree=$2 data=/var/tmp/bench-ab-$1
  rm -rf "$data"
  stop_graph
  (cd "$tree" && setsid dotnet run -c Release --no-build --project EventSourcing.AppHost -- \
    --Infrastructure:DataDirectory="$data" --no-dashboard > "/tmp/bench-ab-$name.log" 2>&1 &)
  for _ in $(seq 1 180); do curl -sf http://localhost:8082/health >/dev/null && curl -sf http://localhost:8083/health >/dev/null && break; sleep 1; done
  sleep 5
  echo "=== $name ($( [ "$tree" = "$here" ] && echo "working tree" || echo "$old_rev"), round $3) ==="
  "${BENCH:-scripts/bench-ratios.sh}" "$seconds"
  stop_graph
}
trap stop_graph EXIT
for round in $(seq 1 "$rounds"); do
  run_side old "$old_tree" "$round"
  run_side new "$here" "$round"
done
