#!/usr/bin/env bash
# Build the engine's builtin SDK content (Go SDK image, TypeScript SDK rootfs) from the v0.21.8 source, as upstream's
# toolchains/engine-dev/build/sdk.go (goSDKContent, typescriptSDKContent) does inside Dagger, here with host tools:
# -> $CACHE/sdk/content/blobs (engine-ns.sh copies it into the engine's content store) and $CACHE/sdk/digests.env.
# Sources: sdk/typescript from the dagger/dagger git repository at the tag (a mirror, $DAGGER_GIT_MIRROR, made by the
# search tool's fetch); everything else from the Go module proxy (fetch-src.sh) and the npm registry (bun, tsx).
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd)
CACHE=${ENGINE_LAB_CACHE:-$HOME/.cache/engine-lab}
BIN=$CACHE/bin; SRC=$CACHE/src/dagger; TS=$CACHE/src/sdk-typescript; OUT=$CACHE/sdk
TAG=${DAGGER_VERSION:-v0.21.8}; MIRROR=${DAGGER_GIT_MIRROR:-/work/.mirror/dagger+dagger/repo}
BUN_VERSION=1.3.0 TSX_VERSION=4.15.6   # tsdistconsts DefaultBunVersion; sdk.go TypescriptSDKTSXVersion
REV=2                                   # bump when this script or a patch it applies changes the content
export GOTOOLCHAIN=local GOFLAGS="-p=${ENGINE_LAB_JOBS:-2} -buildvcs=false" NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
ts() { date -u +%H:%M:%S; }
[ "$(cat "$OUT/rev" 2>/dev/null)" = "$REV" ] && [ -s "$OUT/digests.env" ] && { echo "SDK content present"; exit 0; }
mkdir -p "$OUT" "$BIN"

# 1. sdk/typescript at the tag: not in the Go module zip (runtime/ is its own module the proxy refuses)
if [ ! -f "$TS/runtime/tsutils/module/index.ts" ]; then
  git -C "$MIRROR" rev-parse -q --verify "$TAG^{commit}" >/dev/null ||
    { echo "MISSING: a dagger/dagger git mirror with tag $TAG at $MIRROR (DAGGER_GIT_MIRROR=...)"; exit 1; }
  rm -rf "$TS.tmp"; mkdir -p "$TS.tmp"
  git -C "$MIRROR" archive "$TAG" sdk/typescript | tar -x -C "$TS.tmp" --strip-components=2
  mv "$TS.tmp" "$TS"
fi

# 2. codegen, from the same engine source
[ -x "$BIN/codegen" ] || { echo "$(ts) building codegen"; (cd "$SRC" && CGO_ENABLED=0 go build -trimpath \
  -ldflags "-s -w" -o "$BIN/codegen" ./cmd/codegen); }

# 3. bun (npm's per-platform package) and tsx
T=$OUT/tools; BUN=$T/node_modules/@oven/bun-linux-x64/bin/bun
[ -x "$BUN" ] || npm install --no-save --prefix "$T" "@oven/bun-linux-x64@$BUN_VERSION"
[ -d "$OUT/tsx/lib/node_modules/tsx" ] || npm install -g --prefix "$OUT/tsx" "tsx@$TSX_VERSION"

# 4. the introspector and the bundled library, upstream's bun steps with the SDK at /src: `bun build --compile`
#    bakes typescript/lib's absolute path in, and the runtime mounts typescript-library at /src/node_modules/typescript
if [ ! -x "$OUT/tsbuild/bin/ts-introspector" ]; then
  echo "$(ts) building the TypeScript introspector and core.js"
  "$LAB/build-sdk-ts.sh" "$TS" "$OUT/tsbuild" "$BUN"
fi

# 5. Go module cache for the Go SDK image: the TS runtime module's deps and dagger.io/dagger at the tag
if [ ! -f "$OUT/gmc/.done" ]; then
  echo "$(ts) pre-seeding the Go module cache"
  rm -rf "$OUT/gmc"
  (cd "$TS/runtime" && GOMODCACHE=$OUT/gmc GOFLAGS=-mod=mod go mod download all)
  (cd "$SRC/sdk/go" && GOMODCACHE=$OUT/gmc go mod download all)
  GOMODCACHE=$OUT/gmc go mod download "dagger.io/dagger@$TAG"
  chmod -R u+w "$OUT/gmc"; touch "$OUT/gmc/.done"
fi

# 6. the two OCI images, as umoci layouts; the engine reads blobs/ only
"$LAB/build-sdk-images.sh"
echo "$REV" >"$OUT/rev"
echo "$(ts) SDK content ready: $(du -sh "$OUT/content" | cut -f1)"; cat "$OUT/digests.env"
