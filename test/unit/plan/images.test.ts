import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../../ci/src/plan/config/defaults";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import { planE2e, playwrightVersion } from "../../../ci/src/plan/e2e/stage";
import { SSH_IMAGE } from "../../../ci/src/plan/e2e/record";
import { planFastTests } from "../../../ci/src/plan/fastTests/stage";
import { IMAGES, imageEntry, uvImage } from "../../../ci/src/plan/images";
import { GIT_IMAGE } from "../../../ci/src/dagger/git";
import { CURL_IMAGE } from "../../../ci/src/dagger/webhook";

const FRONTEND = resolve(import.meta.dirname, "../../../examples/app/frontend");

/** Every image a default run pulls: fast tests, E2E, the deploy container, and the Dagger runner's own constants. */
function imagesInUse(): Record<string, string> {
  const c = defaultConfig();
  const fast = planFastTests(c);
  const e2e = planE2e(c, {
    suite: "full",
    shards: 2,
    files: ["a.spec.ts", "b.spec.ts"],
    timings: new Map(),
    baseUrl: "https://staging.example.com",
    apiUrl: "https://api.staging.example.com",
    playwrightVersion: playwrightVersion(readFileSync(`${FRONTEND}/package.json`, "utf8"), {
      manager: "npm",
      text: readFileSync(`${FRONTEND}/package-lock.json`, "utf8"),
    }),
  });
  const jobs = [...fast.jobs, ...e2e.shardJobs, e2e.mergeJob, e2e.backendJob];
  return {
    ...Object.fromEntries(jobs.map((j) => [`job ${j.name}`, j.image])),
    ...Object.fromEntries(jobs.flatMap((j) => j.services.map((s) => [`service ${s.alias} of ${j.name}`, s.image]))),
    "deploy container (frontend.image)": c.frontend.image,
    "dagger/git.ts GIT_IMAGE": GIT_IMAGE,
    "dagger/e2e/run.ts CURL_IMAGE": CURL_IMAGE,
    "plan/e2e/record.ts SSH_IMAGE": SSH_IMAGE,
  };
}

describe("IMAGES", () => {
  it("holds every image the default plans and the Dagger runner pull", () => {
    const used = imagesInUse();
    expect(Object.keys(used).length).toBeGreaterThanOrEqual(9);
    const missing = Object.entries(used).filter(([, ref]) => !imageEntry(ref));
    expect(missing.map(([where, ref]) => `${where}: ${ref}`)).toEqual([]);
  });

  it("says where upstream publishes each image, and its own default reference is one it publishes", () => {
    for (const [name, e] of Object.entries(IMAGES)) {
      expect(e.published, name).toMatch(/^https:\/\/(hub\.docker\.com|docs\.astral\.sh|mcr\.microsoft\.com)\//);
      expect(imageEntry(e.ref), name).toBe(e);
    }
  });

  it("rejects a uv bookworm tag, which uv stopped publishing at 0.10.0", () => {
    expect(imageEntry("ghcr.io/astral-sh/uv:0.13.9-python3.12-bookworm-slim")).toBeUndefined();
    expect(imageEntry(uvImage("3.12"))).toBe(IMAGES.uv);
  });

  it("gives a pipeline.yaml that only sets pythonVersion a published uv image", () => {
    const c = parseConfig("backend:\n  pythonVersion: '3.13'\n");
    expect(c.backend.image).toMatch(/-python3\.13-trixie-slim$/);
    expect(imageEntry(c.backend.image)).toBe(IMAGES.uv);
  });
});
