#!/usr/bin/env bash
# rootfs.sh <suite> [extra packages comma-separated] -> $CACHE/rootfs/<suite>[-<tag>].tar (slim-like Debian)
set -euo pipefail
CACHE=${ENGINE_LAB_CACHE:-$HOME/.cache/engine-lab}
suite=$1; inc=${2:-}; tag=${3:-base}
out=$CACHE/rootfs/$suite-$tag.tar; mkdir -p "$CACHE/rootfs"
# build-sdk.sh and the image chain run side by side (lab.sh up) and both want bookworm-alpine: one builds, the other waits
exec 9>"$out.lock"; flock 9
[ -s "$out" ] && { echo "reuse $out"; exit 0; }
command -v mmdebstrap >/dev/null || { echo "MISSING: apt-get install -y mmdebstrap"; exit 1; }
mmdebstrap --variant=minbase --mode=root --format=tar ${inc:+--include="$inc"} \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
  "$suite" "$out.tmp" http://deb.debian.org/debian
mv "$out.tmp" "$out"; echo "built $out ($(du -h "$out" | cut -f1))"
