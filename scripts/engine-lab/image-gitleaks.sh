#!/usr/bin/env bash
# docker.io/zricethezav/gitleaks:v8.30.1 stand-in (quality.secrets in fast-tests): the alpine stand-in's bookworm
# minbase (bash, git, openssh-client, ca-certificates) + the gitleaks v8.30.1 the host runner uses, built from the Go
# module proxy into .tools/bin by scripts/setup.sh, at upstream's path /usr/bin/gitleaks, upstream's
# `git config --global --add safe.directory '*'` and ENTRYPOINT ["gitleaks"]. The module runs `gitleaks dir|git ...`
# by argv (PATH, not the entrypoint) in /src, and `gitleaks git` needs git (ci/src/plan/quality/secrets.ts).
# Upstream (gitleaks' Dockerfile): Alpine (musl), a static CGO_ENABLED=0 build; here glibc and the host's cgo build.
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd); . "$LAB/images-lib.sh"
ROOT=$(cd "$LAB/../.." && pwd)
VERSION=v8.30.1
ref=zricethezav/gitleaks:$VERSION
REV=1
have_image "$ref" && is_current gitleaks $REV && { echo "gitleaks image present"; exit 0; }
bin=$ROOT/.tools/bin/gitleaks
[ "$("$bin" version 2>/dev/null)" = "$VERSION" ] || { echo "MISSING: gitleaks $VERSION in $bin (run scripts/setup.sh)"; exit 1; }
"$LAB/rootfs.sh" bookworm git,openssh-client,ca-certificates alpine
w=$CACHE/work/gitleaks; rm -rf "$w"; mkdir -p "$w/r"; r=$w/r
tar -C "$r" -xf "$CACHE/rootfs/bookworm-alpine.tar"
install -m 0755 "$bin" "$r/usr/bin/gitleaks"
chroot "$r" git config --global --add safe.directory '*'
chroot "$r" gitleaks version; chroot "$r" git --version
push_rootfs "$r" "$ref" --config.entrypoint gitleaks --config.workingdir /
mark_current gitleaks $REV
rm -rf "$w"
