#!/usr/bin/env bash
# Builds the small image the Docker tests run: FROM scratch plus a static busybox (a shell, httpd, nc,
# sleep, wget and friends), declaring port 80 (its web server's). Does nothing when the image exists
# at this version.
set -euo pipefail

IMAGE="${1:-orch-test/busybox}"
VERSION=2

current() { docker image inspect --format '{{index .Config.Labels "orch.test-image.version"}}' "$IMAGE" 2>/dev/null || true; }

[ "$(current)" = "$VERSION" ] && exit 0

bash "$(dirname "$0")/ensure-docker.sh"
[ "$(current)" = "$VERSION" ] && exit 0

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cp /bin/busybox "$dir/busybox"
cat >"$dir/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
EXPOSE 80
CMD ["/bin/sh"]
DOCKERFILE
docker build -q --label "orch.test-image.version=$VERSION" -t "$IMAGE" "$dir" >/dev/null
echo "build-test-image: built $IMAGE" >&2
