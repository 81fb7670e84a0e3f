#!/usr/bin/env bash
# docker.io/library/mongo:7 stand-in: FerretDB v1.24.2 (MongoDB wire protocol,
# SQLite backend) built static from the Go module proxy, on the busybox base.
# ENTRYPOINT docker-entrypoint.sh, CMD mongod, listens on 0.0.0.0:27017 like mongo:7.
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd); . "$LAB/images-lib.sh"
FERRETDB_VERSION=${FERRETDB_VERSION:-v1.24.2}
ref=library/mongo:7
have_image "$ref" && { echo "mongo image present"; exit 0; }
BIN=$CACHE/bin
if [ ! -x "$BIN/ferretdb" ]; then
  src=$(GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | python3 -c 'import json,sys;print(json.load(sys.stdin)["Dir"])')
  w=$CACHE/src/ferretdb; rm -rf "$w"; cp -r "$src" "$w"; chmod -R u+w "$w"
  echo "$FERRETDB_VERSION" > "$w/build/version/version.txt"   # as scripts/setup.sh: empty version.txt panics at start
  (cd "$w" && CGO_ENABLED=0 GOFLAGS="-p=2 -buildvcs=false" go build -trimpath -ldflags "-s -w" -o "$BIN/ferretdb" ./cmd/ferretdb)
fi
w=$CACHE/work/mongo; rm -rf "$w"; mkdir -p "$w"
# start from the busybox rootfs of image-busybox.sh
"$LAB/image-busybox.sh" >/dev/null
skopeo copy --quiet --src-tls-verify=false "docker://$REG/library/busybox:1.37.0" "oci:$w/bb:latest"
umoci unpack --image "$w/bb:latest" "$w/b" >/dev/null
r=$w/b/rootfs
mkdir -p "$r/usr/local/bin" "$r/data/db"
cp "$BIN/ferretdb" "$r/usr/local/bin/ferretdb"
cat > "$r/usr/local/bin/mongod" <<'SH'
#!/bin/sh
# engine-lab stand-in for mongod: FerretDB with the SQLite backend on :27017
exec /usr/local/bin/ferretdb --listen-addr=0.0.0.0:27017 --handler=sqlite \
  --sqlite-url=file:/data/db/ --telemetry=disable --log-level=warn "$@"
SH
cat > "$r/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
# engine-lab: ignore mongod flags the way mongo:7's entrypoint would accept them
if [ "$1" = mongod ]; then shift; exec /usr/local/bin/mongod; fi
exec "$@"
SH
chmod 0755 "$r/usr/local/bin/mongod" "$r/usr/local/bin/docker-entrypoint.sh"
push_rootfs "$r" "$ref" --config.entrypoint /usr/local/bin/docker-entrypoint.sh --config.cmd mongod \
  --config.exposedports 27017/tcp --config.volume /data/db
rm -rf "$w"
