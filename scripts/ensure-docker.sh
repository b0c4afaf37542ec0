#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine and that a static busybox and iproute2 (the
# partition tests put managers in network namespaces) are installed.
#
# Idempotent: installs Debian's docker.io, busybox-static and iproute2 only when they are missing, and starts
# dockerd (in its own session, so it outlives this shell) only when no engine answers. It never stops
# an engine it did not start.
set -euo pipefail

WAIT_SECONDS=60

engine_answers() { docker info >/dev/null 2>&1; }

# A dynamically linked busybox cannot run in a FROM-scratch image; `ldd` fails on a static one.
static_busybox_present() { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; }

missing=()
if ! engine_answers && ! command -v dockerd >/dev/null 2>&1; then missing+=(docker.io); fi
if ! static_busybox_present; then missing+=(busybox-static); fi
if ! command -v ip >/dev/null 2>&1; then missing+=(iproute2); fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "ensure-docker: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

engine_answers && exit 0

# Another caller may have started the engine a moment ago: wait for it rather than start a second one.
if ! pidof dockerd >/dev/null 2>&1; then
  echo "ensure-docker: starting dockerd (log: /var/log/dockerd.log)" >&2
  setsid dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
fi

for _ in $(seq $((WAIT_SECONDS * 5))); do
  engine_answers && exit 0
  sleep 0.2
done
echo "ensure-docker: the Docker engine did not answer within ${WAIT_SECONDS}s; see /var/log/dockerd.log" >&2
exit 1
