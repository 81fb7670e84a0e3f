#!/usr/bin/env bash
# Build runc (cgo, seccomp) and CNI plugins from their Go modules into $BIN.
set -euo pipefail
CACHE=${ENGINE_LAB_CACHE:-$HOME/.cache/engine-lab}
BIN=$CACHE/bin; SRC=$CACHE/src; mkdir -p "$BIN" "$SRC"
RUNC_VERSION=${RUNC_VERSION:-v1.4.2}      # toolchains/engine-dev/consts/consts.go RuncVersion
CNI_VERSION=${CNI_VERSION:-v1.10.0}       # upstream consts say v1.9.0; v1.10.0 is what the brief names
export GOFLAGS="-p=2 -buildvcs=false" GOTOOLCHAIN=local
ts() { date -u +%H:%M:%S; }

if [ ! -x "$BIN/runc" ]; then
  dpkg -s libseccomp-dev >/dev/null 2>&1 || { echo "MISSING: apt-get install -y libseccomp-dev"; exit 1; }
  dir=$(go mod download -json github.com/opencontainers/runc@$RUNC_VERSION | python3 -c 'import json,sys;print(json.load(sys.stdin)["Dir"])')
  rm -rf "$SRC/runc"; cp -r "$dir" "$SRC/runc"; chmod -R u+w "$SRC/runc"
  echo "$(ts) building runc $RUNC_VERSION"
  # upstream (builder.go runcBin): -buildmode=pie -tags "seccomp netgo osusergo" -ldflags "-X main.version=... -linkmode external -extldflags -static-pie"
  # here: dynamic link against the host's libseccomp (no libseccomp static pie needed on the host)
  (cd "$SRC/runc" && CGO_ENABLED=1 go build -trimpath -tags "seccomp netgo osusergo" \
     -ldflags "-X main.version=${RUNC_VERSION#v} -s -w" -o "$BIN/runc" .)
  echo "$(ts) runc done"
fi

for p in main/bridge main/loopback meta/firewall ipam/host-local; do
  n=$(basename $p)
  [ -x "$BIN/cni/$n" ] && continue
  if [ ! -d "$SRC/cni-plugins" ]; then
    dir=$(go mod download -json github.com/containernetworking/plugins@$CNI_VERSION | python3 -c 'import json,sys;print(json.load(sys.stdin)["Dir"])')
    cp -r "$dir" "$SRC/cni-plugins"; chmod -R u+w "$SRC/cni-plugins"
  fi
  mkdir -p "$BIN/cni"
  echo "$(ts) building CNI $n"
  (cd "$SRC/cni-plugins" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$BIN/cni/$n" ./plugins/$p)
done
echo "$(ts) aux done"
