import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../../../ci/src/plan/config/defaults";
import { planE2e, type E2eInput } from "../../../../ci/src/plan/e2e/stage";
import { blobIndex, blobShardRuns, selectShard, ShardIndexError } from "../../../../ci/src/plan/e2e/split";
import { fileTimings, parseReport } from "../../../../ci/src/plan/e2e/playwrightReport";
import { pass, reportOf } from "../../../support/pwReport";

const c = defaultConfig();
const base: Omit<E2eInput, "files" | "timings" | "shards"> = {
  suite: "full",
  baseUrl: "http://web:3000",
  apiUrl: "http://api:8000",
  playwrightVersion: "1.65.1",
};

/** The timings file every machine is given: a previous merged results.json, as text. */
const timingsFile = JSON.stringify(
  reportOf({
    "p.spec.ts": [pass("p", 100)],
    "q.spec.ts": [pass("q", 200)],
    "r.spec.ts": [pass("r", 300)],
  }),
);
// z has no timing: it weighs the mean, 0.2 s, which ties q exactly only if the float sum ignores listing order.
const sorted = ["p.spec.ts", "q.spec.ts", "r.spec.ts", "z.spec.ts"];

describe("selectShard", () => {
  it.each([2, 3])(
    "gives shard I of N the same job alone (own parse of the timings file, own file listing) as inside e2e (N=%i)",
    (n) => {
      const inside = planE2e(c, { ...base, shards: n, files: sorted, timings: fileTimings(parseReport(timingsFile)) });
      expect(inside.assignment.mode).toBe("balanced");
      for (let i = 1; i <= n; i++) {
        const listing = [...sorted].reverse(); // another machine's readdir order
        const alone = planE2e(c, {
          ...base,
          shards: n,
          files: listing,
          timings: fileTimings(parseReport(timingsFile)),
        });
        expect(selectShard(alone, i, n), `shard ${i}/${n}`).toEqual(inside.shardJobs[i - 1]);
        expect(alone.assignment.shards[i - 1].files).toEqual(inside.assignment.shards[i - 1].files);
      }
    },
  );

  it("gives every spec file to exactly one shard across the N separate plans", () => {
    const timings = fileTimings(parseReport(timingsFile));
    const files = [1, 2, 3].flatMap(
      (i) =>
        planE2e(c, { ...base, shards: 3, files: i === 2 ? [...sorted].reverse() : sorted, timings }).assignment.shards[
          i - 1
        ].files,
    );
    expect(files.sort()).toEqual(sorted);
  });

  it.each([0, 5, 1.5, Number.NaN])("refuses --index %s of --total 4, naming the range and the command", (i) => {
    const plan = planE2e(c, { ...base, shards: 4, files: sorted, timings: new Map() });
    expect(() => selectShard(plan, i, 4)).toThrow(ShardIndexError);
    expect(() => selectShard(plan, i, 4)).toThrow(
      /pass a whole number from 1 to 4, e\.g\. `dagger call end-to-end-shard --index 1 --total 4`/,
    );
  });

  it("has nothing to run for a shard beyond a count clamped to the spec files", () => {
    const plan = planE2e(c, { ...base, shards: 4, files: ["a.spec.ts", "b.spec.ts"], timings: new Map() });
    expect(selectShard(plan, 2, 4)?.name).toBe("e2e-shard-2");
    expect(selectShard(plan, 3, 4)).toBeUndefined();
  });
});

describe("blobShardRuns", () => {
  const plan = planE2e(c, { ...base, shards: 3, files: sorted, timings: new Map() });

  it("reads the shard index from a blob's file name", () => {
    expect(blobIndex("report-3.zip")).toBe(3);
    expect(blobIndex("blobs/report-12.zip")).toBe(12);
    expect(blobIndex("report.zip")).toBeUndefined();
  });

  it("takes a received blob as a shard that ran elsewhere (untimed here)", () => {
    const r = blobShardRuns(plan, ["report-1.zip", "report-2.zip", "report-3.zip"], 3);
    expect(r.problems).toEqual([]);
    expect(r.runs.map((x) => [x.index, x.exitCode, x.seconds])).toEqual([
      [1, 0, null],
      [2, 0, null],
      [3, 0, null],
    ]);
  });

  it("names a missing blob and the e2e-shard call that would make it", () => {
    const r = blobShardRuns(plan, ["report-1.zip", "report-3.zip", "notes.txt"], 3);
    expect(r.runs[1].exitCode).toBe(1);
    expect(r.problems).toEqual([
      expect.stringMatching(
        /^shard 2 of 3 sent no blob report \(report-2\.zip\): re-run its job, or `dagger call end-to-end-shard --index 2 --total 3/,
      ),
    ]);
  });

  it("says what to pass when no blob arrived at all", () => {
    expect(blobShardRuns(plan, [], 3).problems.at(-1)).toMatch(/no blob report at all: pass --blobs/);
  });
});
