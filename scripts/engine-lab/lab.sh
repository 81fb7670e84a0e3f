#!/usr/bin/env bash
# Engine lab: build (or reuse) a Dagger engine from Go-proxy source, serve stand-in images from a local
# registry, run the engine on the host in its own mount namespace, run the module's classes against it as a
# client (driver.ts under `dagger run`), then stop everything it started. See docs/engine-lab.md.
#   npm run engine-lab            = scripts/engine-lab/lab.sh all   (up + query + driver + down, trap on exit)
#   lab.sh prereqs | up | query | module | driver | down
#   module = the module-mode phase: `dagger functions` / `dagger call` typed from the repository root (module.ts)
# Env: ENGINE_LAB_CACHE (default ~/.cache/engine-lab: sources, binaries, images, engine state; never in the repo),
#      ENGINE_LAB_COLD=0 keeps the engine state (default 1: wipe it, so the first fastTests is a cold run),
#      ENGINE_LAB_ONLY=fast,merge,deploy,e2e picks driver steps, ENGINE_LAB_OUT (default .pipeline/engine-lab).
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$LAB/../.." && pwd)
export ENGINE_LAB_CACHE=${ENGINE_LAB_CACHE:-$HOME/.cache/engine-lab}
export ENGINE_LAB_OUT=${ENGINE_LAB_OUT:-$ROOT/.pipeline/engine-lab}
BIN=$ENGINE_LAB_CACHE/bin; LOGS=$ENGINE_LAB_CACHE/logs; mkdir -p "$LOGS" "$ENGINE_LAB_OUT"
say() { printf 'engine-lab %s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
step() { # name cmd...   (timed; output in $LOGS/name.log)
  local n=$1; shift; local t0=$SECONDS
  say "$n ..."
  if "$@" >"$LOGS/$n.log" 2>&1; then say "$n ok ($((SECONDS - t0))s)"; else
    say "$n FAILED ($((SECONDS - t0))s); last lines of $LOGS/$n.log:"; tail -15 "$LOGS/$n.log"; return 1; fi
}
need() { # command apt-package
  command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ] || { echo "MISSING: $1 (apt-get install -y $2)"; return 1; }
}
prereqs() {
  local miss=0
  [ "$(id -u)" = 0 ] || { echo "MISSING: root (mount namespace, overlays, CNI bridge, iptables)"; miss=1; }
  go version 2>/dev/null | grep -Eq 'go1\.(2[6-9]|[3-9][0-9])' || { echo "MISSING: Go >= 1.26 (dagger v0.21.8 go.mod)"; miss=1; }
  dpkg -s libseccomp-dev >/dev/null 2>&1 || { echo "MISSING: libseccomp-dev (apt-get install -y libseccomp-dev), for runc"; miss=1; }
  for p in dnsmasq:dnsmasq-base xtables-legacy-multi:iptables docker-registry:docker-registry skopeo:skopeo \
    umoci:umoci mmdebstrap:mmdebstrap bc:bc unshare:util-linux pip:python3-pip git:git sshd:openssh-server \
    nginx:nginx; do need "${p%%:*}" "${p#*:}" || miss=1; done
  node -v 2>/dev/null | grep -q '^v20\.' || { echo "MISSING: Node 20 on the host (copied into the node image)"; miss=1; }
  [ -d "$ROOT/node_modules/@dagger.io/dagger" ] || { echo "MISSING: node_modules (run npm ci in $ROOT)"; miss=1; }
  [ -x "${PYTHON312:-$HOME/.pyenv/versions/3.12.1}/bin/python3.12" ] ||
    { echo "MISSING: a CPython 3.12 build (PYTHON312=<prefix>, default ~/.pyenv/versions/3.12.1) for the uv image"; miss=1; }
  [ $miss = 0 ] && say "prerequisites ok"
  return $miss
}
up() {
  prereqs
  # The stand-in images (mmdebstrap, umoci, skopeo: mostly downloads and disk) build beside the Go builds (CPU), so a
  # cold `up` takes the longer of the two chains, not their sum; image-sdk needs both.
  step registry "$LAB/registry.sh" start
  (for i in busybox alpine node uv mongo playwright gitleaks; do step "image-$i" "$LAB/image-$i.sh"; done) & local images=$!
  local rc=0
  { step fetch-src "$LAB/fetch-src.sh" && step build-aux "$LAB/build-aux.sh" && step build-dagger "$LAB/build-dagger.sh" &&
    step build-sdk "$LAB/build-sdk.sh"; } || rc=$?
  if [ $rc != 0 ]; then kill "$images" 2>/dev/null || true; wait "$images" || true; return $rc; fi
  wait "$images" || { say "stand-in images FAILED (logs in $LOGS/image-*.log)"; return 1; }
  step image-sdk "$LAB/image-sdk.sh"
  if "$LAB/engine.sh" status | grep -q '^running'; then say "engine already running: its state is kept (not a cold run)"
  elif [ "${ENGINE_LAB_COLD:-1}" = 1 ]; then say "wiping engine state (cold cache; ENGINE_LAB_COLD=0 keeps it)"; rm -rf "$ENGINE_LAB_CACHE/state"; fi
  step engine "$LAB/engine.sh" start
  cat "$LOGS/engine.log"
}
client_env() { export _EXPERIMENTAL_DAGGER_RUNNER_HOST=unix:///run/dagger/engine.sock DAGGER_NO_NAG=1; }
query() { # milestone 1: one exec through the CLI (-M: do not load the module in the cwd)
  client_env
  local q='{ container { from(address:"busybox:1.37.0") { withExec(args:["true"]) { exitCode } } } }'
  step query bash -c "\"$BIN/dagger\" query -M --progress=plain <<< '$q' 2>\"$LOGS/query.progress\" | tr -d ' \n' | grep -q '\"exitCode\":0'"
}
HOST_DONE=0
host_fast_tests() { # once a run: both phases divide by the same host figures
  [ $HOST_DONE = 1 ] && return 0
  say "host fast-tests (cold + warm) for the ratio ..."
  (cd "$ROOT" && npx tsx scripts/engine-lab/hostFastTests.ts) || say "host fast-tests FAILED (ratio left out)"
  HOST_DONE=1
}
driver() { # the module's classes as a client; writes $ENGINE_LAB_OUT/results.{json,md}
  client_env
  host_fast_tests
  say "driver under dagger run (progress in $LOGS/driver.progress) ..."
  local rc=0
  (cd "$ROOT" && "$BIN/dagger" run --progress=plain npx tsx scripts/engine-lab/driver.ts 2>"$LOGS/driver.progress") || rc=$?
  say "results: $ENGINE_LAB_OUT/results.md"
  return $rc
}
module() { # module mode: the README's commands as typed; writes $ENGINE_LAB_OUT/module.json and results.md
  client_env
  host_fast_tests
  say "module mode (outputs in $ENGINE_LAB_OUT/module/) ..."
  (cd "$ROOT" && npx tsx scripts/engine-lab/module.ts)
}
stop_staging() { # the driver stops its staging server itself; this catches an interrupted driver
  [ -f "$ENGINE_LAB_OUT/staging/state.json" ] || return 0
  (cd "$ROOT" && npx tsx --eval "import { stopStagingServer } from './scripts/host/staging/server.ts';
    stopStagingServer('$ENGINE_LAB_OUT/staging').then(() => console.log('lab staging server stopped'))") || true
}
down() { stop_staging; "$LAB/engine.sh" stop || true; "$LAB/registry.sh" stop || true; }
case "${1:-all}" in
  prereqs) prereqs ;; up) up ;; query) query ;; module) module ;; driver) driver ;; down) down ;;
  # module before driver: its first `dagger functions` and fast-tests are the cold ones; a failed row still lets the
  # driver run, and the run fails at the end
  all) trap down EXIT; up; query; rc=0; module || rc=$?; driver || rc=$?; exit $rc ;;
  *) echo "usage: $0 [all|prereqs|up|query|module|driver|down]"; exit 2 ;;
esac
