#!/usr/bin/env bash
# docker.io/library/alpine:3.21 stand-in (the tag the module uses): bookworm minbase + git + openssh-client +
# ca-certificates, and an `apk` script that accepts `apk add [--no-cache] git openssh-client` (preinstalled) and
# refuses anything else. The module's alpine containers only ever `apk add` those two (ci/src/dagger/git.ts,
# ci/src/dagger/e2e/staging.ts). Upstream: Alpine 3.21 (musl, BusyBox, real apk, ~8 MB).
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd); . "$LAB/images-lib.sh"
ref=library/alpine:3.21
REV=1
have_image "$ref" && is_current alpine $REV && { echo "alpine image present"; exit 0; }
"$LAB/rootfs.sh" bookworm git,openssh-client,ca-certificates alpine
w=$CACHE/work/alpine; rm -rf "$w"; mkdir -p "$w/r"; r=$w/r
tar -C "$r" -xf "$CACHE/rootfs/bookworm-alpine.tar"
cat >"$r/sbin/apk" <<'SH'
#!/bin/sh
# engine-lab stand-in for apk: git and openssh-client are preinstalled; anything else is refused
[ "$1" = add ] || { echo "apk (engine-lab stand-in): only 'apk add' is supported" >&2; exit 1; }
shift
for p in "$@"; do
  case $p in --*|git|openssh-client) ;; *) echo "apk (engine-lab stand-in): $p is not preinstalled" >&2; exit 1 ;; esac
done
SH
chmod 0755 "$r/sbin/apk"
chroot "$r" git --version; chroot "$r" ssh -V
push_rootfs "$r" "$ref" --config.cmd /bin/sh
mark_current alpine $REV
rm -rf "$w"
