#!/usr/bin/env bash
# Runs INSIDE `unshare -m --propagation private`: lays the engine's expected
# filesystem over the host with overlays/bind mounts visible only here, then
# execs the engine. Nothing written here reaches the host's /usr or /etc.
set -euo pipefail
CACHE=${ENGINE_LAB_CACHE:-$HOME/.cache/engine-lab}
BIN=$CACHE/bin; NS=$CACHE/ns
rm -rf "$NS"; mkdir -p "$NS"
ovl() { # overlay a host dir with a throwaway upper dir
  local dir=$1 n=$2; mkdir -p "$NS/$n/u" "$NS/$n/w"
  mount -t overlay "ovl-$n" -o "lowerdir=$dir,upperdir=$NS/$n/u,workdir=$NS/$n/w" "$dir"
}
ovl /usr/bin usrbin          # engine symlinks /usr/bin/iptables* -> /usr/bin/xtables-*-multi (network/netinst/iptables.go)
ovl /usr/local usrlocal      # runc + dagger-init at fixed paths (engine/distconsts), builtin content dir
mkdir -p /usr/local/bin
# The host has custom CAs in /usr/local/share/ca-certificates (incl. the sandbox's egress CA),
# which is also the engine's custom-CA dir (engine/engineutil/cacerts EngineCustomCACertsDir).
# Non-empty => at start the engine runs update-ca-certificates + c_rehash (cmd/engine/main.go),
# which rewrites /etc/ssl/certs: overlay /etc/ssl so that stays in the namespace; and every exec
# gets the CAs installed (engine/engineutil/executor_spec.go), which containers need for HTTPS
# through the egress proxy. ENGINE_LAB_CUSTOM_CA=0 hides them (faster execs, no HTTPS egress).
ovl /etc/ssl etcssl
if [ "${ENGINE_LAB_CUSTOM_CA:-1}" = 0 ] && [ -d /usr/local/share/ca-certificates ]; then
  find /usr/local/share/ca-certificates -mindepth 1 -delete
fi
cp "$BIN/runc" /usr/local/bin/runc
cp "$BIN/dagger-init" /usr/local/bin/dagger-init
cp "$BIN/dagger-engine" /usr/local/bin/dagger-engine
cp "$BIN/dial-stdio" /usr/bin/dial-stdio; ln -sf /usr/bin/dial-stdio /usr/bin/buildctl
# Debian keeps xtables-*-multi in /usr/sbin; the engine looks in /usr/bin
for x in xtables-legacy-multi xtables-nft-multi; do [ -e /usr/sbin/$x ] && cp /usr/sbin/$x /usr/bin/$x; done
# builtin SDK content (build-sdk.sh): module mode's Go and TypeScript SDKs, found by manifest digest in the content
# store (core/sdk/loader.go); the digests and the Go proxy setting come in as env
if [ -s "$CACHE/sdk/digests.env" ]; then
  mkdir -p /usr/local/share/dagger/content; mount --bind "$CACHE/sdk/content" /usr/local/share/dagger/content
  set -a; . "$CACHE/sdk/digests.env"; set +a
  echo "engine-ns: builtin SDK content $(du -sh /usr/local/share/dagger/content | cut -f1)"
fi
mount --bind "$CACHE/etc-dagger" /etc/dagger
mount --bind "$CACHE/cni-bin" /opt/cni/bin
mount --bind "$CACHE/state" /var/lib/dagger
mkdir -p /run/dagger
# upstream image: iptables only in /usr/bin (the engine's symlinks). On Debian /usr/sbin/iptables
# (alternatives -> nft) comes first in PATH, so CNI's go-iptables would use nft while the engine
# chose legacy: put /usr/bin first so both use the engine's choice.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/bin:/sbin
echo "engine-ns: mounts ready, exec engine"
exec /usr/local/bin/dagger-engine --config /etc/dagger/engine.toml "$@"
