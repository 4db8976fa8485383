#!/bin/sh
# A local Debian bookworm base image (aw-base:bookworm) built from Debian's packages with
# debootstrap, for machines that cannot pull images from a registry. Holds python3 + venv for the
# app image, and redis-server + postgresql for the local-images compose override.
set -eu
IMAGE=${1:-aw-base:bookworm}
MIRROR=${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "$IMAGE exists"; exit 0
fi
ROOT=$(mktemp -d /var/tmp/aw-rootfs.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
debootstrap --variant=minbase \
  --include=python3,python3-venv,ca-certificates,libgomp1,redis-server,postgresql,procps \
  bookworm "$ROOT" "$MIRROR"
rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/*
tar -C "$ROOT" -c . | docker import -c 'ENV LANG=C.UTF-8' - "$IMAGE"
echo "built $IMAGE"
