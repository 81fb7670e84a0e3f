#!/usr/bin/env bash
# The two images the TypeScript runtime pulls (runtime/tsdistconsts, digests dropped by
# patches/ts_runtime_image_refs.sed), as stand-ins in the lab registry:
#   node:24.13.1-alpine: the node stand-in (Node 20, Debian) plus an `apk` that accepts `apk add ca-certificates`,
#     which runtime_node.go runs; the npm it ships is what `npm install --omit=dev` uses.
#   oven/bun:1.3.0-alpine: runs /codegen (static Go) and /bin/ts-introspector (bun --compile, glibc): the alpine
#     stand-in (Debian, glibc) serves.
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd); . "$LAB/images-lib.sh"
REV=1
if have_image library/node:24.13.1-alpine && have_image oven/bun:1.3.0-alpine && is_current sdk $REV; then
  echo "SDK runtime images present"; exit 0; fi
w=$CACHE/work/sdk; rm -rf "$w"; mkdir -p "$w/l/usr/sbin"
cat >"$w/l/usr/sbin/apk" <<'SH'
#!/bin/sh
# engine-lab stand-in for apk: ca-certificates, git and openssh-client are preinstalled; anything else is refused
[ "$1" = add ] || { echo "apk (engine-lab stand-in): only 'apk add' is supported" >&2; exit 1; }
shift
for p in "$@"; do
  case $p in --*|ca-certificates|git|openssh-client) ;; *) echo "apk (engine-lab stand-in): $p is not preinstalled" >&2; exit 1 ;; esac
done
SH
chmod 755 "$w/l/usr/sbin/apk"
tar --numeric-owner -C "$w/l" -cf "$w/apk.tar" usr
skopeo copy --quiet --src-tls-verify=false "docker://$REG/library/node:20-bookworm-slim" "oci:$w/oci:node"
umoci raw add-layer --image "$w/oci:node" "$w/apk.tar"
skopeo copy --quiet --dest-tls-verify=false "oci:$w/oci:node" "docker://$REG/library/node:24.13.1-alpine"
skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false \
  "docker://$REG/library/alpine:3.21" "docker://$REG/oven/bun:1.3.0-alpine"
mark_current sdk $REV
rm -rf "$w"; echo "pushed node:24.13.1-alpine and oven/bun:1.3.0-alpine"
