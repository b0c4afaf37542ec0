#!/usr/bin/env bash
# The README's demo: installs orch, starts a single-node swarm and runs a web service of three replicas
# on port 8080. With a Docker engine (Debian's docker.io, installed and started when missing), the tasks
# are containers of a 1 MB test image. Where no engine can be had (not Debian, not root, or
# ORCH_DEMO_RUNTIME=process), the same service runs as processes of the node (the process runtime).
set -euo pipefail
cd "$(dirname "$0")/.."

runtime="${ORCH_DEMO_RUNTIME:-docker}"
if [ "$runtime" = docker ] && ! bash scripts/ensure-docker.sh; then
  echo "demo: no Docker engine could be started here; running the service as processes instead" >&2
  runtime=process
fi

npm ci --no-audit --no-fund
if [ "$runtime" = docker ]; then
  bash scripts/build-test-image.sh
  npx orch swarm init
  npx orch service create --name web --replicas 3 --publish 8080:80 \
    orch-test/busybox sh -c 'mkdir -p /www && hostname > /www/index.html && httpd -f -p 80 -h /www'
else
  npx orch swarm init --runtime process
  npx orch service create --name web --replicas 3 --publish 8080:80 --health-http 80/ "$(command -v node)" -e \
    "require('http').createServer((q, s) => { s.setHeader('Connection', 'close'); s.end('task ' + process.env.ORCH_TASK_SLOT + ' of web\n'); }).listen(+process.env.PORT); process.on('SIGTERM', () => process.exit(0))"
fi
