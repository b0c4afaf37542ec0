#!/usr/bin/env bash
# Installs what orch needs on a Debian machine with Node 20: the Docker engine (Debian's docker.io,
# started if none runs), orch's packages and build, and the local test image.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-docker.sh
npm ci --no-audit --no-fund
bash scripts/build-test-image.sh
