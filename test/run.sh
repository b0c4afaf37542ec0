#!/usr/bin/env bash
# The test suite: unit tests, then integration tests against a real Docker engine and real daemons.
# Installs and starts what it needs (Docker engine, the test image) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-docker.sh
bash scripts/build-test-image.sh
npx tsc -p tsconfig.json

results=$(mktemp --suffix=.json)
status=0
# Integration tests share one engine and bind host ports: run every test file in band.
npx jest --runInBand --json --outputFile="$results" "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results"
rm -f "$results"
exit $status
