#!/usr/bin/env bash
# build-sdk-ts.sh <sdk/typescript dir> <out dir> <bun binary>: upstream's bunBuilderCtr steps (toolchains/engine-dev/
# build/sdk.go) on the host, with a copy of the SDK bind-mounted at /src in a private mount namespace: `bun build
# --compile` bakes the absolute path of typescript/lib into the introspector, and in the runtime's container the
# library sits at /src/node_modules/typescript. Out: bin/ts-introspector, out-node/core.{js,d.ts}, typescript-library.
set -euo pipefail
TS=$1 OUT=$2 BUN=$3
if [ "${4:-}" != --inside ]; then
  W=$OUT.work; rm -rf "$W" "$OUT"; mkdir -p "$W/src" "$OUT"
  # upstream's rootfs Include/Exclude: sources without tests, the manifests, the runtime
  (cd "$TS" && tar -cf - --exclude='src/**/test' --exclude='*.spec.ts' src LICENSE README.md runtime package.json \
    tsconfig.json rollup.dts.config.mjs) | tar -xf - -C "$W/src"
  mkdir -p /src   # empty mount point on the host; the bind mount is visible in the namespace only
  unshare -m --propagation private -- "$0" "$TS" "$OUT" "$BUN" --inside "$W"
  rm -rf "$W"; exit 0
fi
W=$5
mount --bind "$W/src" /src
cd /src
export PATH=$(dirname "$BUN"):$PATH
bun install
# --compile writes a file of zeros when --outfile lies outside the bind mount (bun 1.3.0): write inside, then copy
bun build src/module/entrypoint/introspection_entrypoint.ts --compile --outfile /src/.out/ts-introspector
install -D -m755 /src/.out/ts-introspector "$OUT/bin/ts-introspector"
[ "$(head -c4 "$OUT/bin/ts-introspector" | od -An -c | tr -d ' ')" = 177ELF ] || { echo "the introspector is no ELF"; exit 1; }
bun build ./src/index.ts --external=typescript --target=node --outfile "$OUT/out-node/core.js"
node_modules/.bin/tsc --emitDeclarationOnly
bun x rollup -c rollup.dts.config.mjs -o "$OUT/out-node/core.d.ts"
cp -a node_modules/typescript "$OUT/typescript-library"
