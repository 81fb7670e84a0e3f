#!/usr/bin/env bash
# docker.io/library/mongo:7 stand-in: the host runner's MongoDB stand-in (mongo-java-server behind CompatBackend,
# scripts/stand-ins/mongo, built by scripts/setup.sh into .tools/mongo-stand-in.jar) on the node image's bookworm
# rootfs (libstdc++6: libjvm needs it) with the host's Java 17 runtime copied to /opt/java.
# Why not FerretDB v1 (this image's first revision): examples/library's tests run a $group with $push, which FerretDB
# v1 answers "not implemented yet"; the Java stand-in is the most compatible one here (test/compat/mongo).
# ENTRYPOINT docker-entrypoint.sh, CMD mongod, listens on 0.0.0.0:27017 like mongo:7; in memory (no /data/db).
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd); . "$LAB/images-lib.sh"
ROOT=$(cd "$LAB/../.." && pwd)
ref=library/mongo:7
REV=2
JAR=${MONGO_STAND_IN_JAR:-$ROOT/.tools/mongo-stand-in.jar}
have_image "$ref" && is_current mongo $REV && { echo "mongo image present"; exit 0; }
[ -f "$JAR" ] || { echo "MISSING: $JAR (run scripts/setup.sh: it builds the MongoDB stand-in)"; exit 1; }
java=$(readlink -f "$(command -v java)"); jhome=${java%/bin/java}
"$java" -version 2>&1 | grep -q 'version "17' || { echo "MISSING: Java 17 on the host (apt-get install -y openjdk-17-jre-headless)"; exit 1; }
"$LAB/rootfs.sh" bookworm libstdc++6,ca-certificates node
w=$CACHE/work/mongo; rm -rf "$w"; mkdir -p "$w/r/opt/java"; r=$w/r
tar -C "$r" -xf "$CACHE/rootfs/bookworm-node.tar"
# -h: Debian's JDK links conf/ and cacerts into /etc; the image gets the files. No desktop (AWT) or docs needed.
tar -C "$jhome" -chf - --exclude=./lib/src.zip --exclude=./man --exclude=./legal --exclude=./docs . |
  tar -C "$r/opt/java" -xf -
mkdir -p "$r/usr/local/bin" "$r/data/db"
cp "$JAR" "$r/opt/mongo-stand-in.jar"
cat > "$r/usr/local/bin/mongod" <<'SH'
#!/bin/sh
# engine-lab stand-in for mongod: mongo-java-server (in memory, CompatBackend) on 0.0.0.0:27017
exec /opt/java/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Dcompat=true -Dttl.seconds=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar /opt/mongo-stand-in.jar memory 0.0.0.0 27017
SH
cat > "$r/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
# engine-lab: ignore mongod flags the way mongo:7's entrypoint would accept them
if [ "$1" = mongod ]; then shift; exec /usr/local/bin/mongod; fi
exec "$@"
SH
chmod 0755 "$r/usr/local/bin/mongod" "$r/usr/local/bin/docker-entrypoint.sh"
# LD_LIBRARY_PATH for the check only: java finds libjli by $ORIGIN, which glibc reads from /proc (absent in a chroot)
chroot "$r" env LD_LIBRARY_PATH=/opt/java/lib /opt/java/bin/java -version
push_rootfs "$r" "$ref" --config.entrypoint /usr/local/bin/docker-entrypoint.sh --config.cmd mongod \
  --config.exposedports 27017/tcp --config.volume /data/db
mark_current mongo $REV
rm -rf "$w"
