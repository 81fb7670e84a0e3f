#!/usr/bin/env bash
# start|stop|status the lab's Dagger engine on the host (own mount namespace).
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd)
CACHE=${ENGINE_LAB_CACHE:-$HOME/.cache/engine-lab}; export ENGINE_LAB_CACHE=$CACHE
BIN=$CACHE/bin; PIDF=$CACHE/engine.pid; LOG=$CACHE/engine.log
SOCK=/run/dagger/engine.sock
REG=${ENGINE_LAB_REGISTRY:-127.0.0.1:5000}
running() { [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; }
case "${1:-start}" in
start)
  running && { echo "engine already running (pid $(cat "$PIDF"))"; exit 0; }
  miss=0
  for b in dagger-engine dagger-init dnsname dial-stdio runc cni/bridge cni/loopback cni/firewall cni/host-local; do
    [ -x "$BIN/$b" ] || { echo "MISSING: $BIN/$b (run build-aux.sh / build-dagger.sh)"; miss=1; }; done
  command -v dnsmasq >/dev/null || { echo "MISSING: dnsmasq (apt-get install -y dnsmasq-base)"; miss=1; }
  [ -x /usr/sbin/xtables-legacy-multi ] || [ -x /usr/bin/xtables-legacy-multi ] || { echo "MISSING: iptables (apt-get install -y iptables)"; miss=1; }
  command -v unshare >/dev/null || { echo "MISSING: unshare (util-linux)"; miss=1; }
  command -v git >/dev/null || echo "WARN: git missing (Directory/git ops need it)"
  command -v rg >/dev/null || echo "WARN: ripgrep missing (Directory.search needs it)"
  [ $miss = 0 ] || exit 1
  [ "$(id -u)" = 0 ] || { echo "must run as root"; exit 1; }
  mkdir -p "$CACHE/etc-dagger" "$CACHE/cni-bin" "$CACHE/state"
  cp "$BIN"/cni/* "$BIN/dnsname" "$CACHE/cni-bin/"
  # empty mount points on the host (the namespace bind-mounts over them)
  mkdir -p /etc/dagger /opt/cni/bin /var/lib/dagger /run/dagger
  cat > "$CACHE/etc-dagger/engine.toml" <<TOML
# buildkit-level config (internal/buildkit/cmd/buildkitd/config/config.go)
debug = true
root = "/var/lib/dagger"
[grpc]
  address = ["unix://$SOCK"]
[worker.oci]
  cniPoolSize = ${ENGINE_LAB_CNI_POOL:-4}
  max-parallelism = ${ENGINE_LAB_PARALLELISM:-4}
TOML
  # engine-level config (engine/config/config.go, path engine/config/path.go)
  cat > "$CACHE/etc-dagger/engine.json" <<JSON
{
  "logLevel": "${ENGINE_LAB_LOG:-debug}",
  "registries": {
    "docker.io": {"mirrors": ["$REG"]},
    "ghcr.io": {"mirrors": ["$REG/ghcr.io"]},
    "mcr.microsoft.com": {"mirrors": ["$REG/mcr.microsoft.com"]},
    "$REG": {"http": true, "insecure": true}
  }
}
JSON
  rm -f "$SOCK"
  t0=$(date +%s.%N)
  nohup unshare -m --propagation private -- "$LAB/engine-ns.sh" > "$LOG" 2>&1 &
  echo $! > "$PIDF"
  for i in $(seq 600); do
    if [ -S "$SOCK" ]; then
      echo "engine up (pid $(cat "$PIDF")) socket $SOCK after $(echo "$(date +%s.%N) - $t0" | bc) s; log $LOG"; exit 0; fi
    running || { echo "engine exited; last log lines:"; tail -20 "$LOG"; exit 1; }
    sleep 0.1
  done
  echo "engine socket did not appear in 60s; see $LOG"; exit 1;;
stop)
  if running; then
    pid=$(cat "$PIDF"); kill "$pid"
    for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$PIDF"
  # the bridge and its iptables rules live in the host network namespace
  ip link show dagger0 >/dev/null 2>&1 && ip link del dagger0 || true
  # the CNI firewall plugin leaves its base chains (FORWARD -> CNI-FORWARD -> CNI-ADMIN)
  for ipt in iptables-legacy iptables-nft; do
    command -v $ipt >/dev/null || continue
    if $ipt -S FORWARD 2>/dev/null | grep -q 'CNI firewall plugin rules'; then
      $ipt -D FORWARD -m comment --comment "CNI firewall plugin rules" -j CNI-FORWARD 2>/dev/null || true
      $ipt -F CNI-FORWARD 2>/dev/null; $ipt -F CNI-ADMIN 2>/dev/null
      $ipt -X CNI-FORWARD 2>/dev/null; $ipt -X CNI-ADMIN 2>/dev/null || true
    fi
  done
  echo "engine stopped";;
status)
  running && echo "running pid $(cat "$PIDF")" || echo "not running";;
esac
