#!/usr/bin/env bash
# mcr.microsoft.com/playwright:v1.65.1-noble stand-in: mmdebstrap bookworm minbase + Debian `chromium` (+ fonts,
# ca-certificates, libstdc++6) + the host's Node 20 in /usr/local (as image-node.sh). Upstream is Ubuntu noble with
# Playwright's own browser builds in /ms-playwright and Node 22; here the example app's playwright.config.ts picks
# /usr/bin/chromium when it exists (its system-Chromium branch), so Playwright's bundled browsers are never used.
# Config env NODE_EXTRA_CA_CERTS as in image-node.sh (npm ci through the sandbox's egress proxy).
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd); . "$LAB/images-lib.sh"
PW_VERSION=${PW_VERSION:-1.65.1}
ref=mcr.microsoft.com/playwright:v$PW_VERSION-noble
REV=1
have_image "$ref" && is_current playwright $REV && { echo "playwright image present"; exit 0; }
command -v node >/dev/null && node -v | grep -q '^v20\.' || { echo "MISSING: Node 20 on the host (copied into the image)"; exit 1; }
"$LAB/rootfs.sh" bookworm libstdc++6,ca-certificates,chromium,fonts-liberation,fonts-noto-color-emoji chromium
w=$CACHE/work/playwright; rm -rf "$w"; mkdir -p "$w/r"; r=$w/r
tar -C "$r" -xf "$CACHE/rootfs/bookworm-chromium.tar"
mkdir -p "$r/usr/local/bin" "$r/usr/local/lib"
cp "$(readlink -f "$(command -v node)")" "$r/usr/local/bin/node"
nm=$(dirname "$(readlink -f "$(command -v npm)")"); nm=${nm%/npm/bin}
cp -a "$nm" "$r/usr/local/lib/node_modules"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$r/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$r/usr/local/bin/npx"
# the /usr/bin/chromium wrapper checks /proc/cpuinfo, absent in a chroot: ask the binary itself
chroot "$r" /usr/lib/chromium/chromium --version
push_rootfs "$r" "$ref" --config.env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt --config.cmd /bin/bash
mark_current playwright $REV
rm -rf "$w"
