# Engine patch (core/sdk/go_sdk.go), applied by fetch-src.sh.
# Why: goSDKLibVersion pins the dagger.io/dagger library that codegen `go get`s into a Go module's go.mod (here the
# TypeScript runtime, itself a Go module) to a commit of dagger/dagger-go-sdk; the Go module proxy refuses that
# pseudo-version (403), so every Go module load fails. The tag v0.21.8 is the same library and the proxy serves it.
# Upstream line: goSDKLibVersion = "56bb30426a8462af6f95cfdae6461d0cc796ff50" // v0.21.8
s|^\(\tgoSDKLibVersion *= *\)"[0-9a-f]\{40\}"\( // v0\.21\.8\)$|\1"v0.21.8"\2 (engine-lab: tag, not commit)|
