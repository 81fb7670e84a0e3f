#!/usr/bin/env bash
# Install everything the pipeline and its tests need on a fresh Debian machine. Safe to re-run.
#   system: openssh-server, rsync, chromium, curl, nginx, bubblewrap (apt; nginx fronts the deployed app, bubblewrap
#   confines repository commands on the host runner)    python: uv (PyPI)
#   MongoDB wire protocol: the Java stand-in (scripts/stand-ins/mongo, Java 17 + Maven from apt) and FerretDB v1
#   (Go module proxy), into .tools; gitleaks (Go module proxy) for secret scanning
#   node: the root devDependencies and both example frontends' (npm ci)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
UV_VERSION=0.13.9
FERRETDB_VERSION=v1.24.2
GITLEAKS_VERSION=v8.30.1   # the same as ci/src/plan/images.ts GITLEAKS_VERSION (a unit test checks)
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

need_apt=()
for pkg in openssh-server:sshd rsync:rsync chromium:chromium curl:curl nginx:nginx bubblewrap:bwrap; do
  command -v "${pkg#*:}" >/dev/null 2>&1 || [[ -x /usr/sbin/${pkg#*:} ]] || need_apt+=("${pkg%%:*}")
done
if ((${#need_apt[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing ${need_apt[*]}: run 'sudo apt-get install -y ${need_apt[*]}' and re-run scripts/setup.sh" >&2
    exit 1
  fi
  say "apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [[ "$(uv --version 2>/dev/null)" != "uv $UV_VERSION"* ]]; then
  say "pip install uv==$UV_VERSION"
  python3 -m pip install -q "uv==$UV_VERSION"
  hash -r
fi
# uv's own binary, first on the host runner's PATH: a pyenv shim for uv fails in any directory whose
# .python-version selects another Python ("pyenv: uv: command not found").
mkdir -p .tools/bin
ln -sf "$(python3 -c 'import uv; print(uv.find_uv_bin())')" .tools/bin/uv

if [[ ! -x .tools/bin/ferretdb && -z "$(command -v mongod || true)" ]]; then
  command -v go >/dev/null || { echo "setup: Go is needed to build FerretDB: install golang (https://go.dev/doc/install) and re-run" >&2; exit 1; }
  say "building FerretDB $FERRETDB_VERSION (SQLite backend) into .tools/bin"
  src=$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  work=$(mktemp -d)
  cp -r "$src/." "$work/" && chmod -R u+w "$work"
  # `go install` leaves build/version/version.txt empty and the binary panics at start; fill it in.
  echo "$FERRETDB_VERSION" > "$work/build/version/version.txt"
  mkdir -p .tools/bin
  (cd "$work" && go build -o "$ROOT/.tools/bin/ferretdb" ./cmd/ferretdb)
  rm -rf "$work"
fi

# Secret scanning (quality.secrets): gitleaks from the Go module proxy, like act and FerretDB.
if [[ "$(.tools/bin/gitleaks version 2>/dev/null)" != "$GITLEAKS_VERSION" ]]; then
  command -v go >/dev/null || { echo "setup: Go is needed to build gitleaks: install golang (https://go.dev/doc/install) and re-run" >&2; exit 1; }
  say "building gitleaks $GITLEAKS_VERSION into .tools/bin"
  GOBIN="$ROOT/.tools/bin" go install -ldflags "-X github.com/zricethezav/gitleaks/v8/version.Version=$GITLEAKS_VERSION" \
    "github.com/zricethezav/gitleaks/v8@$GITLEAKS_VERSION"
fi

# The MongoDB stand-in the host runner prefers: mongo-java-server behind our CompatBackend (scripts/stand-ins/mongo),
# chosen by the compatibility suite test/compat/mongo (docs/mongo.md). Java 17 and Maven; jars from Maven Central.
if [[ -z "$(command -v mongod || true)" ]]; then
  if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
    [[ $(id -u) -eq 0 ]] || { echo "setup: Java 17 and Maven are needed: sudo apt-get install -y openjdk-17-jdk-headless maven" >&2; exit 1; }
    say "apt-get install openjdk-17-jdk-headless maven"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless maven >/dev/null
  fi
  msi=scripts/stand-ins/mongo
  # Rebuilt when its sources' content differs from what the jar was built from (mtimes mislead: .tools may be
  # shared by several checkouts). Installed by rename, so a stand-in already running keeps its own files.
  src_sum=$(find $msi/pom.xml $msi/src -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  if [[ ! -f .tools/mongo-stand-in.jar || "$(cat .tools/mongo-stand-in.sum 2>/dev/null)" != "$src_sum" ]]; then
    say "building the MongoDB stand-in (mongo-java-server) into .tools"
    mvn -q -B -f $msi/pom.xml package
    mkdir -p .tools/bin
    cp $msi/target/mongo-java-server-runner.jar .tools/mongo-stand-in.jar.new
    rm -f .tools/mongo-stand-in.jsa
    mv -f .tools/mongo-stand-in.jar.new .tools/mongo-stand-in.jar
    echo "$src_sum" > .tools/mongo-stand-in.sum
  fi
  if [[ ! -f .tools/mongo-stand-in.jsa ]]; then
    # A class-data-sharing archive: the JVM answers in ~0.7 s instead of ~2 s. Optional.
    java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:ArchiveClassesAtExit=.tools/mongo-stand-in.jsa.new \
      -Dcompat=true -Dexit.after.bind=true -jar .tools/mongo-stand-in.jar memory 127.0.0.1 0 >/dev/null 2>&1 \
      && mv -f .tools/mongo-stand-in.jsa.new .tools/mongo-stand-in.jsa || rm -f .tools/mongo-stand-in.jsa.new
  fi
  install -m 755 $msi/mongo-stand-in .tools/bin/mongo-stand-in
fi

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The deploy and E2E tests hard-link the example frontend's node_modules into their temp copies
# (one install instead of one per test file, and no parallel installs racing each other).
fe=examples/app/frontend
if [[ ! -d $fe/node_modules || $fe/package-lock.json -nt $fe/node_modules/.package-lock.json ]]; then
  say "npm ci in $fe"
  (cd "$fe" && npm ci --no-audit --no-fund --loglevel=error)
fi
# The second fixture (jest, not vitest): installed once here for the tests that run the pipeline on it.
fe=examples/library/frontend
if [[ ! -d $fe/node_modules || $fe/package-lock.json -nt $fe/node_modules/.package-lock.json ]]; then
  say "npm ci in $fe"
  (cd "$fe" && npm ci --no-audit --no-fund --loglevel=error)
fi
say "ready"
