#!/usr/bin/env bash
# docker.io/library/node:20-bookworm-slim stand-in: mmdebstrap bookworm minbase
# (+libstdc++6, ca-certificates) + the host's Node 20 (Debian package `nodejs`
# from nodesource) copied to /usr/local like the upstream image, user node (1000).
# Config env NODE_EXTRA_CA_CERTS: Node ignores the system store, and the engine injects this sandbox's egress CA
# into /etc/ssl/certs only (a stand-in difference; upstream's image needs none where egress is not intercepted).
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd); . "$LAB/images-lib.sh"
ref=library/node:20-bookworm-slim
REV=2
have_image "$ref" && is_current node $REV && { echo "node image present"; exit 0; }
command -v node >/dev/null && node -v | grep -q '^v20\.' || { echo "MISSING: Node 20 on the host (its binary tree is copied into the image)"; exit 1; }
"$LAB/rootfs.sh" bookworm libstdc++6,ca-certificates node
w=$CACHE/work/node; rm -rf "$w"; mkdir -p "$w/r"; r=$w/r
tar -C "$r" -xf "$CACHE/rootfs/bookworm-node.tar"
mkdir -p "$r/usr/local/bin" "$r/usr/local/lib"
cp "$(readlink -f "$(command -v node)")" "$r/usr/local/bin/node"
nm=$(dirname "$(readlink -f "$(command -v npm)")"); nm=${nm%/npm/bin}   # /usr/lib/node_modules
cp -a "$nm" "$r/usr/local/lib/node_modules"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$r/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$r/usr/local/bin/npx"
[ -d "$r/usr/local/lib/node_modules/corepack" ] && ln -s ../lib/node_modules/corepack/dist/corepack.js "$r/usr/local/bin/corepack"
chroot "$r" groupadd --gid 1000 node
chroot "$r" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
chroot "$r" /usr/local/bin/node -v
push_rootfs "$r" "$ref" --config.env NODE_VERSION="$(node -v | tr -d v)" \
  --config.env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt --config.cmd node
mark_current node $REV
rm -rf "$w"
