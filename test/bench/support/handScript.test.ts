import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HostServiceCommand, Job, ServiceNeed, StagePlan } from "../../../ci/src/plan/job";
import { freePort } from "../../../scripts/host/services";
import { handScript } from "../../../bench/support/handScript";

const node = (code: string) => [process.execPath, "-e", code];
/** Write the current time (ms) to the file named by argv[1]. */
const stamp = (file: string) => node(`require("fs").writeFileSync(${JSON.stringify(file)}, String(Date.now()))`);

function job(name: string, steps: string[][], services: ServiceNeed[] = []): Job {
  return {
    name,
    stage: "fast-tests",
    image: "none",
    workdir: name,
    manifests: [],
    install: [],
    steps: steps.map((argv, i) => ({ name: `s${i}`, argv })),
    caches: [],
    env: { JOB_NAME: name },
    services,
    tools: [],
    artifacts: [],
    threshold: { targetSeconds: 60, alertSeconds: 120 },
  };
}

/** A TCP server that starts listening 800 ms after it starts, and records when it did. */
function slowServer(dir: string): ServiceNeed {
  const code = `setTimeout(() => require("net").createServer().listen({port}, "127.0.0.1", () => require("fs").writeFileSync("${dir}/listening", String(Date.now()))), 800)`;
  return {
    alias: "mongo",
    image: "mongo:7",
    port: 27017,
    env: { DATABASE_URI: "mongodb://{host}:{port}/t" },
    host: { candidates: [{ bin: process.execPath, args: ["-e", code] }], installHint: "" },
  };
}

function stage(...jobs: Job[]): StagePlan {
  return { name: "fast-tests", jobs, threshold: jobs[0].threshold, metrics: { coverageMin: 0, ratePerMinute: 0 } };
}

describe("handScript", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hand-"));
    for (const d of ["frontend", "backend", "logs"]) spawnSync("mkdir", ["-p", join(dir, d)]);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(stage: StagePlan): Promise<{ status: number | null; port: string }> {
    const svc = stage.jobs.flatMap((j) => j.services)[0];
    const script = join(dir, "hand.sh");
    const serviceCommands: Record<string, HostServiceCommand> = svc ? { mongo: svc.host.candidates[0] } : {};
    writeFileSync(
      script,
      handScript(stage, { sourceDir: dir, toolsBin: "/nonexistent", logDir: join(dir, "logs"), serviceCommands }),
    );
    const port = String(await freePort());
    const r = spawnSync("bash", [script], { env: { ...process.env, BENCH_PORT_MONGO: port }, timeout: 20_000 });
    return { status: r.status, port };
  }

  it("starts the other jobs before a job's service listens, as the runner does (the service start overlaps them)", async () => {
    const fe = job("frontend", [stamp(join(dir, "fe-started"))]);
    const be = job(
      "backend",
      [node(`require("fs").writeFileSync("${dir}/uri", process.env.DATABASE_URI)`)],
      [slowServer(dir)],
    );
    const { status, port } = await run(stage(fe, be));
    expect(status).toBe(0);
    expect(Number(readFileSync(join(dir, "fe-started"), "utf8"))).toBeLessThan(
      Number(readFileSync(join(dir, "listening"), "utf8")),
    );
    expect(readFileSync(join(dir, "uri"), "utf8")).toBe(`mongodb://127.0.0.1:${port}/t`);
  });

  it("gives each step its job's env and stops the service when the job ends", async () => {
    const be = job(
      "backend",
      [node(`require("fs").writeFileSync("${dir}/job", process.env.JOB_NAME)`)],
      [slowServer(dir)],
    );
    const { status, port } = await run(stage(be));
    expect(status).toBe(0);
    expect(readFileSync(join(dir, "job"), "utf8")).toBe("backend");
    const probe = spawnSync("bash", ["-c", `exec 3<>/dev/tcp/127.0.0.1/${port}`]);
    expect(probe.status).not.toBe(0);
  });

  it("exits 1 when a step fails and runs no later step of that job", async () => {
    const fe = job("frontend", [node("process.exit(3)"), stamp(join(dir, "after"))]);
    const { status } = await run(stage(fe));
    expect(status).toBe(1);
    expect(existsSync(join(dir, "after"))).toBe(false);
    expect(statSync(join(dir, "logs/frontend.log")).isFile()).toBe(true);
  });
});
