import { describe, expect, it } from "vitest";
import { assignShards, balanceRatio, ShardCountError, validateShardCount } from "../../../../ci/src/plan/e2e/shards";

const loads = (a: ReturnType<typeof assignShards>) => a.shards.map((s) => s.seconds);

describe("validateShardCount", () => {
  it.each([0, -1, 1.5, Number.NaN, "4", 65, 1e9])("refuses %s, naming the value, the bound and the command", (n) => {
    expect(() => validateShardCount(n, 5)).toThrow(ShardCountError);
    expect(() => validateShardCount(n, 5)).toThrow(
      /--shards .* is not a whole number from 1 to 64\. Run e\.g\. `npm run pipeline -- end-to-end --shards 4`/,
    );
  });

  it("keeps a count no larger than the file count", () => {
    expect(validateShardCount(4, 5)).toEqual({ shards: 4 });
    expect(validateShardCount(5, 5)).toEqual({ shards: 5 });
  });

  it("clamps more shards than files to one file each, with a warning", () => {
    const r = validateShardCount(8, 5);
    expect(r.shards).toBe(5);
    expect(r.warning).toMatch(/--shards 8 is more than the 5 spec files; using 5 shards/);
  });
});

describe("assignShards", () => {
  it("falls back to Playwright's --shard when there are no timings, and says why", () => {
    const a = assignShards(["a.spec.ts", "b.spec.ts"], 2, new Map());
    expect(a.mode).toBe("playwright");
    expect(a.shards.map((s) => s.files)).toEqual([[], []]);
    expect(a.reason).toMatch(/no previous report/);
  });

  it("falls back too when the timings name none of the current files", () => {
    const a = assignShards(["a.spec.ts"], 1, new Map([["gone.spec.ts", 3]]));
    expect(a.mode).toBe("playwright");
    expect(a.reason).toMatch(/times none of the current spec files/);
  });

  it("packs the longest file first into the least-loaded shard (LPT)", () => {
    const t = new Map([
      ["a", 50],
      ["b", 10],
      ["c", 10],
      ["d", 10],
      ["e", 10],
      ["f", 10],
    ]);
    const a = assignShards([...t.keys()], 2, t);
    expect(a.mode).toBe("balanced");
    expect(a.shards.map((s) => s.files)).toEqual([["a"], ["b", "c", "d", "e", "f"]]);
    expect(loads(a)).toEqual([50, 50]);
  });

  it("gives files without a timing the mean weight of the timed ones", () => {
    const a = assignShards(
      ["a", "b", "new"],
      2,
      new Map([
        ["a", 30],
        ["b", 10],
      ]),
    );
    // a (30) | new (20) + b (10): only a weight of 20 for "new" gives these loads.
    expect(a.shards.map((s) => s.files)).toEqual([["a"], ["new", "b"]]);
    expect(loads(a)).toEqual([30, 30]);
    expect(a.reason).toMatch(/2\/3 files \(1 at the mean, 20\.0s\)/);
  });

  it("never leaves a shard empty when there are at least N files, even with zero weights", () => {
    const a = assignShards(
      ["a", "b", "c", "d"],
      4,
      new Map([
        ["a", 0],
        ["b", 0],
        ["c", 0],
        ["d", 0],
      ]),
    );
    expect(a.shards.map((s) => s.files.length)).toEqual([1, 1, 1, 1]);
  });

  it("assigns every file exactly once, deterministically", () => {
    const files = Array.from({ length: 23 }, (_, i) => `f${i}.spec.ts`);
    const t = new Map(files.map((f, i) => [f, ((i * 7) % 11) + 1]));
    const a = assignShards(files, 4, t);
    expect(a.shards.flatMap((s) => s.files).sort()).toEqual([...files].sort());
    expect(assignShards(files, 4, t)).toEqual(a);
    expect(balanceRatio(loads(a))).toBeLessThan(1.1);
  });

  it("beats a count split on one file 5x longer than the rest", () => {
    const t = new Map([["slow", 50], ...["a", "b", "c", "d", "e", "f", "g"].map((f) => [f, 10] as [string, number])]);
    const a = assignShards([...t.keys()], 4, t);
    expect(balanceRatio(loads(a))).toBeCloseTo(50 / (120 / 4));
    expect(Math.max(...loads(a))).toBe(50);
  });
});

describe("balanceRatio", () => {
  it("is the longest load over the ideal, 1 for perfect or empty", () => {
    expect(balanceRatio([10, 10])).toBe(1);
    expect(balanceRatio([30, 10])).toBe(1.5);
    expect(balanceRatio([])).toBe(1);
  });
});

describe("assignShards with timings no run could have measured (a hand-edited --timings report)", () => {
  it.each([
    ["NaN (durations of 1e309 and -1e309 summed)", NaN],
    ["Infinity", Infinity],
    ["a negative time", -5],
  ])("gives every shard a file when a weight is %s, so no shard runs the whole suite", (_, bad) => {
    const timings = new Map([
      ["a.spec.ts", bad],
      ["b.spec.ts", bad],
      ["c.spec.ts", 1],
      ["d.spec.ts", 2],
    ]);
    const a = assignShards(["a.spec.ts", "b.spec.ts", "c.spec.ts", "d.spec.ts"], 3, timings);
    expect(a.shards.map((s) => s.files.length).every((n) => n > 0)).toBe(true);
    expect(a.shards.flatMap((s) => s.files).sort()).toEqual(["a.spec.ts", "b.spec.ts", "c.spec.ts", "d.spec.ts"]);
    expect(a.shards.every((s) => Number.isFinite(s.seconds) && s.seconds >= 0)).toBe(true);
  });
});
