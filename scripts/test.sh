#!/usr/bin/env bash
# Builds with warnings as errors and runs every test (unit and whole-graph integration) in local mode.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh --tests

dotnet build EventSourcing.Aspire.sln -c Release -warnaserror -nologo -v quiet
dotnet format EventSourcing.Aspire.sln --verify-no-changes --no-restore
# The client package game services install (with the contract package it depends on).
for package in EventSourcing.Contracts EventSourcing.Client; do
  dotnet pack "$package" -c Release --no-build -nologo -v quiet -o artifacts/packages
done

log=$(mktemp)
set +e
dotnet test EventSourcing.Aspire.sln -c Release --no-build --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line over every test project, whatever the runner printed ("Total tests: N" then "Passed: N", ...).
# awk alone: a label the runner left out (no "Failed:" line when nothing failed) counts 0 instead of failing the pipe.
count() { awk -v label="$1" '$0 ~ "^[[:space:]]*" label ": +[0-9]+[[:space:]]*$" { sum += $NF } END { print sum + 0 }' "$log"; }
total=$(count "Total tests")
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
rm -f "$log"
if [ "$total" = 0 ]; then
  echo "no tests ran" >&2
  exit 1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
