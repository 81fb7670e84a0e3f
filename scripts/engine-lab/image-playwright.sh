#!/usr/bin/env bash
# mcr.microsoft.com/playwright:v1.65.1-noble stand-in: mmdebstrap bookworm minbase + Debian `chromium` (+ fonts,
# ca-certificates, libstdc++6) + the host's Node 20 in /usr/local (as image-node.sh). Upstream is Ubuntu noble with
# Playwright's own browser builds in /ms-playwright (PLAYWRIGHT_BROWSERS_PATH) and Node 22, and no /usr/bin/chromium.
# The module relies on that layout (REV 2): the E2E quality job asks `chromium.executablePath()` for Lighthouse's
# CHROME_PATH, and the quality config names the baselines `playwright-chromium` when /usr/bin/chromium is absent
# (ci/src/io/qualityFiles.ts). So Debian's Chromium binary is linked where Playwright 1.65.1 looks for its chromium and
# chromium-headless-shell builds (revisions from its browsers.json), and Debian's /usr/bin/chromium wrapper is removed;
# the example app's playwright.config.ts then launches "Playwright's bundled browser", which is Debian's here.
# Config env NODE_EXTRA_CA_CERTS as in image-node.sh (npm ci through the sandbox's egress proxy).
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd); . "$LAB/images-lib.sh"
PW_VERSION=${PW_VERSION:-1.65.1}
ref=mcr.microsoft.com/playwright:v$PW_VERSION-noble
REV=2
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
# Playwright's browser layout: <name>-<revision>/<dir>/<exe> under PLAYWRIGHT_BROWSERS_PATH, as upstream's image has it
pw=$LAB/../../examples/app/frontend/node_modules/playwright-core
grep -q "\"version\": \"$PW_VERSION\"" "$pw/package.json" ||
  { echo "MISSING: playwright-core $PW_VERSION in $pw (npm ci in examples/app/frontend)"; exit 1; }
rev() { node -e "const b=require('$pw/browsers.json').browsers.find((x)=>x.name==='$1'); process.stdout.write(b.revision)"; }
for b in "chromium-$(rev chromium)/chrome-linux64/chrome" \
  "chromium_headless_shell-$(rev chromium-headless-shell)/chrome-headless-shell-linux64/chrome-headless-shell"; do
  mkdir -p "$r/ms-playwright/$(dirname "$b")"; ln -s /usr/lib/chromium/chromium "$r/ms-playwright/$b"; echo "/ms-playwright/$b"
done
rm "$r/usr/bin/chromium"
push_rootfs "$r" "$ref" --config.env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
  --config.env PLAYWRIGHT_BROWSERS_PATH=/ms-playwright --config.cmd /bin/bash
mark_current playwright $REV
rm -rf "$w"
