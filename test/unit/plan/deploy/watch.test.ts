import { describe, expect, it } from "vitest";
import {
  defaultWatchPolicy,
  formatVerdict,
  judgeWatch,
  parseAccessLog,
  percentile,
  watchFigures,
  watchRecord,
  type AccessLine,
} from "../../../../ci/src/plan/deploy/watch";

const NOW = 1_800_000_000;
/** n requests of `release` in the last minute: `errors` of them 5xx, `slow` of them taking `slowSeconds`. */
function traffic(n: number, o: { errors?: number; slow?: number; slowSeconds?: number; release?: string } = {}) {
  return Array.from({ length: n }, (_, i): AccessLine => ({
    time: NOW - 50 + (i * 50) / n,
    status: i < (o.errors ?? 0) ? 502 : 200,
    seconds: i >= n - (o.slow ?? 0) ? (o.slowSeconds ?? 6) : 0.01,
    release: o.release ?? "r2",
  }));
}

describe("parseAccessLog", () => {
  it("reads $msec $status $request_time $deploy_release and skips torn or foreign lines", () => {
    const text =
      "1800000000.123 200 0.004 r2\n1800000000.200 502 1.250 r1\ngarbage\n127.0.0.1 - - [x] GET /\n1800000001.0 20";
    expect(parseAccessLog(text)).toEqual([
      { time: 1800000000.123, status: 200, seconds: 0.004, release: "r2" },
      { time: 1800000000.2, status: 502, seconds: 1.25, release: "r1" },
    ]);
  });
});

describe("percentile", () => {
  it("takes the nearest rank: p95 of 1..100 is 95, of 1..20 is 19, of nothing is 0", () => {
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(19);
    expect(percentile([], 95)).toBe(0);
  });
});

describe("watchFigures", () => {
  it("counts only the release's requests in the trailing minute", () => {
    const lines = [...traffic(40, { errors: 4 }), ...traffic(10, { errors: 10, release: "r1" })];
    lines.push({ time: NOW - 61, status: 500, seconds: 9, release: "r2" });
    expect(watchFigures(lines, "r2", NOW)).toEqual({ requests: 40, errors: 4, errorRatePercent: 10, p95Seconds: 0.01 });
  });
});

describe("judgeWatch with the R-watch defaults", () => {
  const p = defaultWatchPolicy();
  const judge = (lines: AccessLine[]) => judgeWatch(watchFigures(lines, "r2", NOW), p);

  it("rolls back at 10 % errors, stays at exactly 5 %", () => {
    expect(judge(traffic(100, { errors: 10 })).outcome).toBe("rollback");
    expect(judge(traffic(100, { errors: 5 })).outcome).toBe("healthy");
  });

  it("rolls back when p95 exceeds 5 s, alerts when it exceeds 2 s, stays below", () => {
    const slow = judge(traffic(100, { slow: 10, slowSeconds: 6 }));
    expect(slow.outcome).toBe("rollback");
    expect(slow.reasons).toEqual(["p95 6.000 s > 5 s"]);
    expect(judge(traffic(100, { slow: 10, slowSeconds: 3 })).outcome).toBe("alert");
    expect(judge(traffic(100, { slow: 4, slowSeconds: 9 })).outcome).toBe("healthy");
  });

  it("judges nothing below the minimum request count, and says so", () => {
    const v = judge(traffic(19, { errors: 19 }));
    expect(v.outcome).toBe("healthy");
    expect(v.reasons).toEqual(["19 requests, fewer than 20 to judge"]);
  });

  it("formats the verdict with its figures for the deploy log and the release log", () => {
    const v = judge(traffic(100, { errors: 10 }));
    expect(formatVerdict(v, 60)).toBe(
      "watch 60 s: ROLLBACK: 100 requests, 10 5xx (10.0 %), p95 0.010 s; error rate 10.0 % > 5 %",
    );
    expect(watchRecord(v, 60)).toEqual({
      outcome: "rollback",
      windowSeconds: 60,
      requests: 100,
      errors: 10,
      errorRatePercent: 10,
      p95Seconds: 0.01,
      reasons: ["error rate 10.0 % > 5 %"],
    });
  });
});
