#!/usr/bin/env bash
# The builtin SDK content as two OCI images in one umoci layout ($CACHE/sdk/layout), whose blobs/ the engine reads
# from its content store by manifest digest (core/sdk/loader.go; digests in $CACHE/sdk/digests.env).
#   go: upstream's goSDKContent: golang alpine + git/openssh + codegen + a pre-seeded /go/pkg/mod. Here the lab's
#       bookworm stand-in (git, openssh-client, ca-certificates) with the host's Go at /usr/local/go.
#   ts: upstream's typescriptSDKContent rootfs: the SDK sources and runtime/ (patched: patches/ts_runtime_image_refs.sed),
#       /codegen, /typescript-library, /bin/ts-introspector, /tsx_module, /bundled_lib/core.{js,d.ts}.
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd)
CACHE=${ENGINE_LAB_CACHE:-$HOME/.cache/engine-lab}
BIN=$CACHE/bin; TS=$CACHE/src/sdk-typescript; OUT=$CACHE/sdk; L=$OUT/layout; W=$OUT/work
GOPROXY_UP=${GOPROXY_UPSTREAM:-https://proxy.golang.org}
rm -rf "$L" "$W" "$OUT/content"; mkdir -p "$W/go" "$W/ts"
umoci init --layout "$L"
layer() { # <name> <rootfs dir> [umoci config args...]
  local name=$1 root=$2; shift 2
  tar --numeric-owner -C "$root" -cf "$W/$name.tar" .
  umoci new --image "$L:$name"
  umoci raw add-layer --image "$L:$name" "$W/$name.tar"
  umoci config --image "$L:$name" --os linux --architecture amd64 "$@"
  rm -f "$W/$name.tar"
}

"$LAB/rootfs.sh" bookworm git,openssh-client,ca-certificates alpine >/dev/null
g=$W/go; tar -C "$g" -xf "$CACHE/rootfs/bookworm-alpine.tar"
cp -a "$(go env GOROOT)" "$g/usr/local/go"
install -m755 "$BIN/codegen" "$g/usr/local/bin/codegen"
mkdir -p "$g/go/bin" "$g/root/.cache/go-build" "$g/go/pkg"
cp -a "$OUT/gmc" "$g/go/pkg/mod"
layer go "$g" --config.workingdir /go --config.env GOPATH=/go --config.env GOTOOLCHAIN=auto \
  --config.env PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

t=$W/ts
(cd "$TS" && tar -cf - --exclude='src/*/test' --exclude='*.spec.ts' src LICENSE README.md runtime package.json \
  tsconfig.json rollup.dts.config.mjs) | tar -xf - -C "$t"
sed -i -f "$LAB/patches/ts_runtime_image_refs.sed" "$t/runtime/tsdistconsts/consts.go"
[ "$(grep -c '@" + \(node\|bun\)ImageDigest' "$t/runtime/tsdistconsts/consts.go")" = 0 ] ||
  { echo "ts_runtime_image_refs.sed did not apply"; exit 1; }
install -m755 "$BIN/codegen" "$t/codegen"
cp -a "$OUT/tsbuild/typescript-library" "$t/typescript-library"
install -D -m755 "$OUT/tsbuild/bin/ts-introspector" "$t/bin/ts-introspector"
cp -a "$OUT/tsx/lib/node_modules/tsx" "$t/tsx_module"
mkdir -p "$t/bundled_lib"; cp "$OUT/tsbuild/out-node/core.js" "$OUT/tsbuild/out-node/core.d.ts" "$t/bundled_lib/"
layer ts "$t"

mkdir -p "$OUT/content"; cp -r "$L/blobs" "$OUT/content/"
python3 - "$L/index.json" "$OUT/digests.env" "$GOPROXY_UP" <<'PY'
import json, sys
idx = json.load(open(sys.argv[1]))
d = {m["annotations"]["org.opencontainers.image.ref.name"]: m["digest"] for m in idx["manifests"]}
open(sys.argv[2], "w").write(
    f"DAGGER_GO_SDK_MANIFEST_DIGEST={d['go']}\nDAGGER_TYPESCRIPT_SDK_MANIFEST_DIGEST={d['ts']}\n"
    # only _DAGGER_ENGINE_SYSTEMENV_* reaches execs (engine/engineutil/executor_spec.go): codegen's
    # `go get github.com/dagger/querybuilder` needs a version list the proxy refuses; the image's cache has one
    f"_DAGGER_ENGINE_SYSTEMENV_GOPROXY=file:///go/pkg/mod/cache/download,{sys.argv[3]},direct\n")
PY
rm -rf "$W"
