#!/usr/bin/env bash
# Installs what the graph needs on a Debian/Ubuntu machine without a container runtime: PostgreSQL and Redis from
# the distribution's packages (the AppHost runs them itself, as local executables), and the tests' checkers.
# Skips what is present.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# With --tests: the tests' own checkers (promtool, from the prometheus package, lints /metrics) and the browser the
# explorer's tests drive (Debian's chromium, through Playwright: Playwright's own browser download needs the internet).
if [ "${1:-}" = "--tests" ]; then
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required: https://dotnet.microsoft.com/download" >&2
  exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing ${missing[*]} ..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# With --tests: the OpenAPI checkers, in the repository (NSwag as a local dotnet tool, redocly from npm under .tools/).
if [ "${1:-}" = "--tests" ]; then
  dotnet tool restore >/dev/null
  if [ ! -x .tools/redocly/node_modules/.bin/redocly ]; then
    command -v npm >/dev/null 2>&1 || { echo "npm is required for the tests (redocly): apt-get install -y nodejs npm" >&2; exit 1; }
    npm install --silent --no-audit --no-fund --prefix .tools/redocly @redocly/cli@2.77.0 >/dev/null
  fi
fi
