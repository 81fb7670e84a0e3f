import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../ci/src/plan/errors";
import {
  DEPLOYED,
  e2eArgs,
  execsOf,
  ranContainers,
  recordCall,
  sshdOn,
  stagingArgs,
  stagingBase,
  startStaging,
  writtenFiles,
} from "../../support/e2eRecording";

const OTHER = "fedcba9876543210fedcba9876543210fedcba98";

type Dag = typeof import("@dagger.io/dagger").dag;

/**
 * E2E Staging runs in a workflow_run chain where github.sha is the default branch's HEAD, not what was deployed: the
 * function reads staging's current release over the pinned ssh and records that commit.
 */
describe("the E2E commit is the one staging runs (recorded GraphQL requests)", () => {
  let staging: { url: string; close(): void };
  let base: string;
  const e2e = (commit?: string) =>
    recordCall(
      "endToEnd",
      (dag: Dag) => e2eArgs(dag, staging.url, { shards: 2, commit, ...stagingArgs(dag, base) }),
      sshdOn(),
      { E2E_KEY: "key", E2E_KNOWN: "known" },
    );
  beforeAll(async () => {
    staging = await startStaging();
    base = stagingBase();
  });
  afterAll(() => staging?.close());

  it("records staging's current revision when no commit is given", async () => {
    const r = await e2e();
    expect(r.error).toBeUndefined();
    const files = writtenFiles(r.rec);
    expect(JSON.parse(files.get(`promotion/${DEPLOYED}.json`) ?? "{}").commit).toBe(DEPLOYED);
    const write = ranContainers(r.rec).find((c) => execsOf(c).at(-1)?.join(" ").includes(".dep/e2e/"));
    expect(execsOf(write!).at(-1)?.join(" ")).toContain(`${base}/.dep/e2e/${DEPLOYED}.json`);
    expect(JSON.parse(files.get("/tmp/promotion-record.json") ?? "{}").commit).toBe(DEPLOYED);
  }, 60_000);

  it("accepts a given commit that staging runs", async () => {
    const r = await e2e(DEPLOYED);
    expect(r.error).toBeUndefined();
    expect(writtenFiles(r.rec).has(`promotion/${DEPLOYED}.json`)).toBe(true);
  }, 60_000);

  it("refuses a given commit that staging does not run, saying what staging runs", async () => {
    const r = await e2e(OTHER);
    await expect(r.outcome).rejects.toThrow(InputError);
    await expect(r.outcome).rejects.toThrow(`staging runs ${DEPLOYED}`);
    expect(ranContainers(r.rec).some((c) => execsOf(c).some((a) => a.includes("playwright")))).toBe(false);
  }, 60_000);
});
