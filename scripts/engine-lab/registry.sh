#!/usr/bin/env bash
# start|stop the local image registry (Debian docker-registry) on 127.0.0.1:5000
set -euo pipefail
CACHE=${ENGINE_LAB_CACHE:-$HOME/.cache/engine-lab}
PIDF=$CACHE/registry.pid; mkdir -p "$CACHE/registry"
case "${1:-start}" in
start)
  if [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; then echo "registry already running (pid $(cat "$PIDF"))"; exit 0; fi
  command -v docker-registry >/dev/null || { echo "MISSING: apt-get install -y docker-registry"; exit 1; }
  printf 'version: 0.1\nlog: {level: warn}\nstorage: {filesystem: {rootdirectory: %s}, delete: {enabled: true}}\nhttp: {addr: %s}\n' \
    "$CACHE/registry" "${ENGINE_LAB_REGISTRY:-127.0.0.1:5000}" >"$CACHE/registry.yml"
  nohup docker-registry serve "$CACHE/registry.yml" > "$CACHE/registry.log" 2>&1 &
  echo $! > "$PIDF"
  for i in $(seq 50); do curl -sf http://127.0.0.1:5000/v2/ >/dev/null && { echo "registry up (pid $(cat "$PIDF"))"; exit 0; }; sleep 0.2; done
  echo "registry failed to start; see $CACHE/registry.log"; exit 1;;
stop)
  [ -f "$PIDF" ] && kill "$(cat "$PIDF")" 2>/dev/null || true; rm -f "$PIDF"; echo "registry stopped";;
esac
