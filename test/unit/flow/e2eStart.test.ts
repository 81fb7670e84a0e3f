import { describe, expect, it } from "vitest";
import { e2eStartFlow, type E2eRequest, type E2eStartPorts } from "../../../ci/src/flow/e2eStart";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import { NotReadyError, type ProbeResult } from "../../../ci/src/plan/e2e/readiness";
import { E2eInputError } from "../../../ci/src/plan/e2e/stage";

const c = parseConfig(undefined);
const DEPLOYED = { suite: "smoke", shards: 2, baseUrl: "http://web", apiUrl: "http://api", readyAttempts: 3 };

/** Ports that record every call in order; the probe replays the given answers per URL, the last one repeating. */
function fakePorts(answers: Record<string, ProbeResult[]> = {}, serve = false) {
  const calls: string[] = [];
  const ports: E2eStartPorts = {
    readSource: async () => (
      calls.push("readSource"),
      { files: ["a.spec.ts", "b.spec.ts"], timings: new Map(), playwrightVersion: "1.65.1" }
    ),
    preflight: async (plan) => void calls.push(`preflight ${plan.shardJobs.length} shards`),
    probe: async (url) => {
      calls.push(`probe ${url}`);
      const a = answers[url] ?? [{ status: 200 }];
      return a.length > 1 ? a.shift()! : a[0];
    },
    sleep: async (ms) => void calls.push(`sleep ${ms}`),
    log: (line) => void calls.push(`log ${line}`),
    ...(serve
      ? { serve: async () => (calls.push("serve"), { baseUrl: "http://local:3000", apiUrl: "http://local:8000" }) }
      : {}),
  };
  return { ports, calls };
}

describe("e2eStartFlow", () => {
  for (const runner of ["dagger", "host"] as const) {
    it(`(${runner}) reads, plans, preflights, then waits for the frontend and the API's health in that order`, async () => {
      const f = fakePorts({ "http://web": [{ error: "ECONNREFUSED" }, { status: 503 }, { status: 200 }] });
      const plan = await e2eStartFlow(c, { runner, ...DEPLOYED, readyInterval: 2 }, f.ports);
      expect(plan.shardJobs).toHaveLength(2);
      expect(f.calls).toEqual([
        "readSource",
        "preflight 2 shards",
        "log waiting for http://web and http://api (3 attempts, 2s apart)",
        "probe http://web",
        "sleep 2000",
        "probe http://web",
        "sleep 2000",
        "probe http://web",
        "probe http://api/api/v1/health",
      ]);
    });
  }

  const REDEPLOY = { dagger: "dagger call deploy-staging", host: "npm run pipeline -- deploy-staging" };
  for (const runner of ["dagger", "host"] as const) {
    it(`(${runner}) fails naming the URL, the attempts, the last answer and the ${runner}'s deploy command`, async () => {
      const f = fakePorts({ "http://api/api/v1/health": [{ status: 503, body: "starting up" }] });
      const p = e2eStartFlow(c, { runner, ...DEPLOYED, readyInterval: 0 }, f.ports);
      await expect(p).rejects.toThrow(NotReadyError);
      await expect(p).rejects.toThrow(
        `http://api/api/v1/health was not ready after 3 attempts; last response: HTTP 503 "starting up". ` +
          `Check the deploy (${REDEPLOY[runner]}), or wait longer with --ready-attempts/--ready-interval.`,
      );
      expect(f.calls.filter((x) => x.startsWith("probe"))).toEqual([
        "probe http://web",
        ...Array(3).fill("probe http://api/api/v1/health"),
      ]);
    });
  }

  it("takes the config's readiness defaults when the request gives none", async () => {
    const f = fakePorts();
    const req: E2eRequest = { runner: "host", suite: "smoke", shards: 2, baseUrl: "http://web", apiUrl: "http://api" };
    await e2eStartFlow(c, req, f.ports);
    expect(f.calls).toContain(
      `log waiting for http://web and http://api (${c.e2e.readyAttempts} attempts, ${c.e2e.readyIntervalSeconds}s apart)`,
    );
  });

  it("refuses bad readiness numbers and a lone URL before reading anything", async () => {
    const f = fakePorts();
    await expect(e2eStartFlow(c, { runner: "dagger", ...DEPLOYED, readyAttempts: 0 }, f.ports)).rejects.toThrow(
      /--ready-attempts 0 must /,
    );
    const lone = { runner: "dagger" as const, suite: "smoke", shards: 2, baseUrl: "http://web" };
    await expect(e2eStartFlow(c, lone, f.ports)).rejects.toThrow(E2eInputError);
    await expect(e2eStartFlow(c, lone, f.ports)).rejects.toThrow("pass both --base-url and --api-url (a deployed app)");
    expect(f.calls).toEqual([]);
  });

  it("with no URL, serves the app after the preflight instead of waiting, and plans for where it listens", async () => {
    const f = fakePorts({}, true);
    const plan = await e2eStartFlow(c, { runner: "host", suite: "smoke", shards: 2 }, f.ports);
    expect(f.calls).toEqual(["readSource", "preflight 2 shards", "serve"]);
    expect(JSON.stringify(plan.shardJobs[0])).toContain("http://local:3000");
  });

  it("with no URL and nothing to serve the app, says to pass both URLs", async () => {
    const f = fakePorts();
    const p = e2eStartFlow(c, { runner: "dagger", suite: "smoke", shards: 2 }, f.ports);
    await expect(p).rejects.toThrow(/^input error: pass both --base-url and --api-url \(a deployed app\)$/);
  });
});
