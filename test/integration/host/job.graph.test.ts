/**
 * The host runner runs a job's steps by their graph: on a tiny real repository whose steps each sleep and write
 * when they started and ended, independent steps overlap, and a step with `after:` starts after what it waits for.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import { formatStepLines } from "../../../ci/src/plan/fastTests/criticalPath";
import { planFrontendJob } from "../../../ci/src/plan/fastTests/frontend";
import { processExecutor } from "../../../scripts/host/exec";
import { runJob } from "../../../scripts/host/job";

const dir = mkdtempSync(join(tmpdir(), "graph-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Each step: write its start, sleep 3 s, write its end (milliseconds on this machine's clock).
writeFileSync(
  join(dir, "stamp.js"),
  `const fs = require("node:fs"); const n = process.argv[2];
   fs.appendFileSync("stamps", n + " start " + Date.now() + "\\n");
   setTimeout(() => fs.appendFileSync("stamps", n + " end " + Date.now() + "\\n"), 3000);`,
);

function stamps(): Record<string, { start: number; end: number }> {
  const out: Record<string, { start: number; end: number }> = {};
  for (const line of readFileSync(join(dir, "stamps"), "utf8").trim().split("\n")) {
    const [name, what, ms] = line.split(" ");
    out[name] = { ...out[name], [what]: Number(ms) };
  }
  return out;
}

async function runWith(yaml: string) {
  rmSync(join(dir, "stamps"), { force: true });
  const job = planFrontendJob(parseConfig(`frontend:\n  path: .\n  install: [node, -e, "0"]\n${yaml}`));
  const out = new PassThrough();
  let text = "";
  out.on("data", (d: Buffer) => (text += d.toString()));
  const env = { PATH: process.env.PATH ?? "" };
  const exec = processExecutor;
  const r = await runJob(job, { sourceDir: dir, env, exec, index: 0, startServices: false, out, cores: 2 });
  return { r, text, at: stamps() };
}

describe("runJob on the host, by the step graph", () => {
  it("runs lint and unit at the same time after install, each prefixed with its step", async () => {
    const { r, text, at } = await runWith("  steps:\n    lint: node stamp.js lint\n    unit: node stamp.js unit\n");
    expect(r.status).toBe("passed");
    expect(at.unit.start).toBeLessThan(at.lint.end);
    expect(at.lint.start).toBeLessThan(at.unit.end);
    expect(text).toMatch(/^\[frontend:lint\] \$ node stamp\.js lint$/m);
    expect(text).toMatch(/^\[frontend:unit\] ✓ unit/m);
    expect(r.steps?.map((s) => s.name).sort()).toEqual(["install", "lint", "unit"]);
    // The stage summary's lines from these measured times: what overlapped, and the chain that set the length.
    const lines = formatStepLines([r]);
    expect(lines[0]).toMatch(/^frontend: in parallel: (lint, unit|unit, lint)$/);
    expect(lines[1]).toMatch(/^frontend: critical path: install \d+\.\ds → (lint|unit) [3-9]\.\ds = \d+\.\ds$/);
  }, 60_000);

  it("starts a step declared after lint only once lint has ended", async () => {
    const steps = "  steps:\n    lint: node stamp.js lint\n    build: node stamp.js build\n";
    const { r, at } = await runWith(`${steps}  after: { build: [lint] }\n`);
    expect(r.status).toBe("passed");
    expect(at.build.start).toBeGreaterThanOrEqual(at.lint.end);
  }, 60_000);
});
