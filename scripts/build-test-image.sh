#!/usr/bin/env bash
# Builds the small image the Docker tests run: FROM scratch plus a static busybox (a shell, httpd, nc,
# sleep, wget and friends). Does nothing when the image already exists.
set -euo pipefail

IMAGE="${1:-orch-test/busybox}"

docker image inspect "$IMAGE" >/dev/null 2>&1 && exit 0

bash "$(dirname "$0")/ensure-docker.sh"
docker image inspect "$IMAGE" >/dev/null 2>&1 && exit 0

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cp /bin/busybox "$dir/busybox"
cat >"$dir/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh"]
DOCKERFILE
docker build -q -t "$IMAGE" "$dir" >/dev/null
echo "build-test-image: built $IMAGE" >&2
