#!/usr/bin/env bash
# Fetch dagger v0.21.8 from the Go module proxy (never from anywhere else) into $CACHE/src/dagger and apply the
# engine-lab patches (patches/, stubs/: our own small files) needed because the proxy refuses some modules.
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd)
CACHE=${ENGINE_LAB_CACHE:-$HOME/.cache/engine-lab}
SRC=$CACHE/src/dagger
DAGGER_VERSION=${DAGGER_VERSION:-v0.21.8}
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
# 6. (also on a cached tree) the Go SDK's library version: a tag the proxy serves (patches/go_sdk_lib_version.sed)
lib_version() {
  sed -i -f "$LAB/patches/go_sdk_lib_version.sed" "$SRC/core/sdk/go_sdk.go"
  grep -q 'goSDKLibVersion *= *"v0.21.8"' "$SRC/core/sdk/go_sdk.go" || { echo "go_sdk_lib_version.sed did not apply"; exit 1; }
}
if [ -f "$SRC/.enginelab-patched" ]; then lib_version; echo "source ready: $SRC"; exit 0; fi
modjson() { go mod download -json "$1" | python3 -c 'import json,sys;d=json.load(sys.stdin);print(d.get("Dir") or sys.exit(d.get("Error")))'; }
d=$(modjson github.com/dagger/dagger@$DAGGER_VERSION)
rm -rf "$SRC"; mkdir -p "$(dirname "$SRC")"; cp -r "$d" "$SRC"; chmod -R u+w "$SRC"
# 1. nested modules are not in the module zip: sdk/go comes from the proxy as dagger.io/dagger
d=$(modjson dagger.io/dagger@$DAGGER_VERSION); cp -r "$d" "$SRC/sdk/go"; chmod -R u+w "$SRC/sdk/go"
# 2. engine/distconsts is refused by the proxy (403 at every version): the lab's own constants file
mkdir -p "$SRC/engine/distconsts"; cp "$LAB/patches/distconsts/"* "$SRC/engine/distconsts/"
cd "$SRC"
# 3. github.com/vito/dang{,/v2} refused (403): compile the Dang SDK out
python3 "$LAB/patches/dang_sdk.py" core/sdk/dang_sdk.go
rm -rf core/sdk/dang/v1 core/sdk/dang/v2 core/sdk/dang/shared
go mod edit -droprequire github.com/vito/dang -droprequire github.com/vito/dang/v2
# 4. github.com/vito/midterm@v0.2.5-0.20260312180916-3c2add750bea refused: use v0.2.4 (no search API)
go mod edit -replace github.com/vito/midterm=github.com/vito/midterm@v0.2.4
go mod download github.com/vito/midterm@v0.2.4
cp "$LAB/patches/zz_enginelab_midterm.go" dagql/idtui/
perl -0pi -e 's/term\.vt\.SearchClear\(\)/mtSearchClear(term.vt)/g; s/term\.vt\.Search\(query\)/mtSearch(term.vt, query)/g; s/term\.vt\.SearchSetCurrent\(/mtSearchSetCurrent(term.vt, /g; s/range term\.vt\.SearchMatches\b/range mtSearchMatches(term.vt)/g' dagql/idtui/vterm.go
perl -0pi -e 's/logs\.Term\(\)\.SearchMatchRows\(\)/mtSearchMatchRows(logs.Term())/g' dagql/idtui/search.go
# 5. github.com/vito/tuist{,/teav1} refused at every version: compile-only stubs written for the lab from the call
#    sites (no pretty TUI), copied into the tree so the cache does not depend on where this repository lives
rm -rf .enginelab-stubs; mkdir .enginelab-stubs; cp -r "$LAB/stubs/tuist" .enginelab-stubs/
go mod edit -replace github.com/vito/tuist=./.enginelab-stubs/tuist -replace github.com/vito/tuist/teav1=./.enginelab-stubs/tuist/teav1
go mod download
lib_version
touch .enginelab-patched
echo "source ready: $SRC"
