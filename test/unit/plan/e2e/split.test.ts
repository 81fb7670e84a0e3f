import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../../../ci/src/plan/config/defaults";
import { planE2e, type E2eInput } from "../../../../ci/src/plan/e2e/stage";
import {
  blobIndex,
  blobShardRuns,
  selectShard,
  shardProblems,
  shardRerunCommand,
  ShardIndexError,
} from "../../../../ci/src/plan/e2e/split";
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
  const rerun = {
    runner: "dagger" as const,
    suite: "full",
    baseUrl: base.baseUrl,
    apiUrl: base.apiUrl,
    timings: false,
  };

  it("reads the shard index from a blob's file name", () => {
    expect(blobIndex("report-3.zip")).toBe(3);
    expect(blobIndex("blobs/report-12.zip")).toBe(12);
    expect(blobIndex("report.zip")).toBeUndefined();
  });

  it("takes a received blob as a shard that ran elsewhere (untimed here)", () => {
    const r = blobShardRuns(plan, ["report-1.zip", "report-2.zip", "report-3.zip"], 3, rerun);
    expect(r.problems).toEqual([]);
    expect(r.runs.map((x) => [x.index, x.exitCode, x.seconds])).toEqual([
      [1, 0, null],
      [2, 0, null],
      [3, 0, null],
    ]);
  });

  it("names a missing blob and the e2e-shard call that would make it", () => {
    const r = blobShardRuns(plan, ["report-1.zip", "report-3.zip", "notes.txt"], 3, rerun);
    expect(r.runs[1].exitCode).toBe(1);
    expect(r.problems).toEqual([
      expect.stringMatching(
        /^shard 2 of 3 sent no blob report \(report-2\.zip\): re-run its job, or `dagger call end-to-end-shard --index 2 --total 3/,
      ),
    ]);
  });

  it("says what to pass when no blob arrived at all", () => {
    expect(blobShardRuns(plan, [], 3, rerun).problems.at(-1)).toMatch(/no blob report at all: pass --blobs/);
  });
});

describe("shardRerunCommand", () => {
  it("gives the exact end-to-end-shard call, with --timings when the run was balanced by one", () => {
    const r = {
      runner: "dagger" as const,
      suite: "smoke",
      baseUrl: "https://s.example.com",
      apiUrl: "https://api.s.example.com",
      timings: false,
    };
    expect(shardRerunCommand(2, 4, r)).toBe(
      "dagger call end-to-end-shard --index 2 --total 4 --suite smoke --base-url https://s.example.com --api-url https://api.s.example.com export --path blob-2",
    );
    expect(shardRerunCommand(2, 4, { ...r, timings: true })).toContain(" --timings results.json export --path blob-2");
  });

  it("gives the host CLI's own command, with the same arguments, for a host run", () => {
    const r = { runner: "host" as const, suite: "full", baseUrl: "http://a", apiUrl: "http://b", timings: true };
    expect(shardRerunCommand(3, 4, r)).toBe(
      "npm run pipeline -- end-to-end-shard --index 3 --total 4 --suite full --base-url http://a --api-url http://b --timings results.json --out blob-3",
    );
  });

  it("is the command blobShardRuns names when it knows the run", () => {
    const plan = planE2e(c, { ...base, shards: 3, files: sorted, timings: new Map() });
    const r = { runner: "dagger" as const, suite: "full", baseUrl: base.baseUrl, apiUrl: base.apiUrl, timings: false };
    expect(blobShardRuns(plan, ["report-1.zip"], 3, r).problems[0]).toContain(shardRerunCommand(2, 3, r));
  });
});

describe("shardProblems", () => {
  const r = {
    runner: "dagger" as const,
    suite: "full",
    baseUrl: "http://web:3000",
    apiUrl: "http://api:8000",
    timings: false,
  };
  const ok = (index: number) => ({ index, exitCode: 0, killed: false, wroteBlob: true });

  it("has nothing to say when every shard wrote its blob, whatever its exit code", () => {
    expect(shardProblems([ok(1), { ...ok(2), exitCode: 1 }], 2, r)).toEqual([]);
  });

  it("names a shard killed outside the exit codes an exec may return, and its re-run command", () => {
    expect(shardProblems([ok(1), { index: 2, exitCode: 137, killed: true, wroteBlob: false }], 2, r)).toEqual([
      `shard 2 of 2 was killed (exit 137, out of memory?) before its report was complete: re-run it with \`${shardRerunCommand(2, 2, r)}\``,
    ]);
  });

  it("names a shard that wrote no blob, and says when none did", () => {
    const p = shardProblems(
      [1, 2].map((i) => ({ index: i, exitCode: 1, killed: false, wroteBlob: false })),
      2,
      r,
    );
    expect(p[0]).toMatch(
      /^shard 1 of 2 exited 1 and wrote no blob report \(report-1\.zip\): re-run it with `dagger call/,
    );
    expect(p.at(-1)).toMatch(/^no blob report at all/);
  });
});
