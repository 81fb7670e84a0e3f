#!/usr/bin/env bash
# Build engine, CLI, init, dnsname, dial-stdio from the patched source into $BIN.
set -euo pipefail
CACHE=${ENGINE_LAB_CACHE:-$HOME/.cache/engine-lab}
SRC=$CACHE/src/dagger; BIN=$CACHE/bin; mkdir -p "$BIN"
VERSION=${ENGINE_LAB_VERSION:-v0.21.9}   # engine/version.go: var Version (filled at link time)
export GOTOOLCHAIN=local GOFLAGS="-p=${ENGINE_LAB_JOBS:-2} -buildvcs=false" CGO_ENABLED=0
TAGS=dfexcludepatterns,dfparents        # toolchains/engine-dev/build/builder.go goWithSource Tags
ts() { date -u +%H:%M:%S; }
cd "$SRC"
build() { # name pkg version?
  local name=$1 pkg=$2 ld="-s -w"
  [ -x "$BIN/$name" ] && { echo "$(ts) reuse $BIN/$name"; return; }
  [ "${3:-}" = version ] && ld="$ld -X github.com/dagger/dagger/engine.Version=$VERSION -X github.com/dagger/dagger/engine.Tag=$VERSION"
  echo "$(ts) building $name ($pkg)"
  local t0=$SECONDS
  go build -trimpath -tags "$TAGS" -ldflags "$ld" -o "$BIN/$name.tmp" "$pkg"
  mv "$BIN/$name.tmp" "$BIN/$name"
  echo "$(ts) built $name in $((SECONDS-t0))s"
}
build dagger-init ./cmd/init
build dnsname ./cmd/dnsname
build dial-stdio ./cmd/dialstdio
build dagger-engine ./cmd/engine version
build dagger ./cmd/dagger version
echo "$(ts) all built"
