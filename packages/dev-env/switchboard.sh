#!/bin/sh
# The README's commands. Each brings what it needs on a fresh machine: Node >= 22, the npm
# dependencies, a build; the test command also brings throwaway Postgres and NATS when none run.
#   start  control plane + one gateway on embedded Postgres and an in-process bus
#   test   build, lint, typecheck, then the whole vitest suite (unit, integration, end to end)
#   bench  the gateway benchmark (packages/bench)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
. "$ROOT/packages/dev-env/ensure-node.sh"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` from the lock file: `npm ci` refuses lock files written without registry URLs
  # (omit-lockfile-registry-resolved) because they lack other platforms' optional packages.
  echo "switchboard: installing dependencies" >&2
  npm install --no-audit --no-fund --loglevel=error >&2
fi

build() {
  npx turbo run build --output-logs=errors-only --log-prefix=none >&2
}

command=${1:-}
case "$command" in
  start)
    build
    exec node apps/all-in-one/dist/main.js
    ;;
  test)
    build
    echo "switchboard: lint and format (biome)" >&2
    npx biome check . >&2
    echo "switchboard: typecheck" >&2
    npx turbo run typecheck --output-logs=errors-only --log-prefix=none >&2
    exec node packages/dev-env/dist/run-tests.js
    ;;
  bench)
    build
    exec node packages/bench/dist/main.js
    ;;
  *)
    echo "usage: switchboard.sh start|test|bench" >&2
    exit 2
    ;;
esac
