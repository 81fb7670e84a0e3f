import { describe, expect, it } from "vitest";
import {
  alternate,
  formatSpread,
  NoSamplesError,
  bracketedRatios,
  pairRatios,
  runsOption,
  RunsOptionError,
  spread,
} from "../../../bench/support/stats";

describe("spread", () => {
  it("gives min, median and max whatever the order", () => {
    expect(spread([3, 1, 2])).toEqual({ n: 3, min: 1, median: 2, max: 3 });
  });

  it("takes the mean of the middle two as the median of an even count", () => {
    expect(spread([4, 1, 3, 2]).median).toBe(2.5);
  });

  it("refuses an empty sample set", () => {
    expect(() => spread([], "P1")).toThrow(NoSamplesError);
  });
});

describe("pairRatios", () => {
  it("divides the samples of the same round", () => {
    expect(pairRatios([2, 9], [1, 3])).toEqual([2, 3]);
  });
});

describe("bracketedRatios", () => {
  it("divides each b but the last by the geometric mean of its neighbouring a's", () => {
    expect(bracketedRatios([1, 4, 9], [4, 12, 99])).toEqual([2, 2]);
  });

  it("cancels a load that rises steadily through the run, where same-round pairs do not", () => {
    // a and b cost the same; each run is 10 % slower than the one before, and a always goes first in its round.
    const a = [1, 1.1 ** 2, 1.1 ** 4];
    const b = [1.1, 1.1 ** 3, 1.1 ** 5];
    expect(spread(pairRatios(b, a)).median).toBeCloseTo(1.1);
    expect(bracketedRatios(a, b).every((r) => Math.abs(r - 1) < 1e-9)).toBe(true);
  });
});

describe("formatSpread", () => {
  it("prints min, median, max, the unit and the count", () => {
    expect(formatSpread("x", spread([1, 2, 3]), "s", 1)).toMatch(/min 1\.0 \/ median 2\.0 \/ max 3\.0 s \(n=3\)$/);
  });
});

describe("alternate", () => {
  it("runs the sides in turn, round after round", async () => {
    const order: string[] = [];
    const side = (k: string) => () => (order.push(k), order.length);
    const m = await alternate(3, { hand: side("hand"), runner: side("runner") });
    expect(order).toEqual(["hand", "runner", "hand", "runner", "hand", "runner"]);
    expect(m).toEqual({ hand: [1, 3, 5], runner: [2, 4, 6] });
  });
});

describe("runsOption", () => {
  it("defaults to the bench's own count and accepts a whole number >= 1", () => {
    expect(runsOption(undefined, 3)).toBe(3);
    expect(runsOption("5", 3)).toBe(5);
  });

  it("refuses 0 and fractions", () => {
    expect(() => runsOption("0", 3)).toThrow(RunsOptionError);
    expect(() => runsOption("1.5", 3)).toThrow(RunsOptionError);
  });
});
