# TypeScript SDK patch (sdk/typescript/runtime/tsdistconsts/consts.go in the builtin SDK content), applied by
# build-sdk.sh. Why: the runtime pulls node and bun by tag@digest; the lab registry serves stand-ins built here
# (image-sdk.sh: node:24.13.1-alpine from the node stand-in, oven/bun:1.3.0-alpine from the alpine stand-in), whose
# digests cannot equal upstream's. Dropping the digest makes the engine resolve the tag through the lab's mirror.
s|^\(\tDefaultNodeImageRef = "node:" + DefaultNodeVersion + "-alpine\)@" + nodeImageDigest$|\1"|
s|^\(\tDefaultBunImageRef  *= "oven/bun:" + DefaultBunVersion + "-alpine\)@" + bunImageDigest$|\1"|
