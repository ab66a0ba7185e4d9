#!/usr/bin/env bash
# Builds with warnings as errors and runs every test (unit and whole-graph integration) in local mode.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh

dotnet build EventSourcing.Aspire.sln -c Release -warnaserror -nologo -v quiet
dotnet format EventSourcing.Aspire.sln --verify-no-changes --no-restore

log=$(mktemp)
set +e
dotnet test EventSourcing.Aspire.sln -c Release --no-build --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line, whatever the runner printed.
summary=$(grep -E "(Passed|Failed)!? +- +Failed: +[0-9]+, Passed: +[0-9]+" "$log" | tail -n 1 || true)
failed=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
passed=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
skipped=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
rm -f "$log"
if [ -z "$summary" ]; then
  echo "no test summary found" >&2
  exit 1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
