import { describe, expect, it } from "vitest";
import { computeMetrics, deployStats, formatMetricsTable, rowStatus } from "../../../../ci/src/plan/deploy/metrics";
import { dailySeries, durations, metricsPage } from "../../../../ci/src/plan/deploy/metricsPage";
import { e2eRuns, EXPECTED, PERIOD, productionLog, stagingLog } from "../../../support/metricsHistory";

const rows = () =>
  computeMetrics({ logs: [stagingLog(), productionLog()], e2e: e2eRuns(), ...PERIOD, ratePerMinute: 0.008 });
const value = (name: string) => rows().find((r) => r.name === name)!;

describe("deployStats", () => {
  it("counts attempts, deployed, live releases, change failures and repairs of one target in the period", () => {
    expect(deployStats(productionLog(), PERIOD.from, PERIOD.to)).toEqual({
      attempts: 3,
      succeeded: 3,
      live: 3,
      changeFailures: 1,
      rollbacks: 1,
      repairs: [20],
      billedMinutes: 6,
    });
  });
});

describe("computeMetrics on a generated history", () => {
  it("gives the known answers", () => {
    expect(value("deployment success rate").value).toBeCloseTo(EXPECTED.deploySuccessPercent, 6);
    expect(value("change failure rate").value).toBeCloseTo(EXPECTED.changeFailurePercent, 6);
    expect(value("MTTR").value).toBe(EXPECTED.mttrMinutes);
    expect(value("rollback count").value).toBe(EXPECTED.rollbacks);
    expect(value("E2E pass rate").value).toBe(EXPECTED.e2ePassPercent);
    expect(value("E2E flaky rate").value).toBe(EXPECTED.flakyPercent);
    expect(value("GitHub minutes per deployment").value).toBeCloseTo(EXPECTED.minutesPerDeploy, 6);
    expect(value("cost per deployment").value).toBeCloseTo(EXPECTED.minutesPerDeploy * 0.008, 6);
  });

  it("rates each row against its target", () => {
    expect(rows().map((r) => [r.name, rowStatus(r)])).toEqual([
      ["deployment success rate", "missed"],
      ["change failure rate", "missed"],
      ["MTTR", "ok"],
      ["rollback count", "ok"],
      ["E2E pass rate", "missed"],
      ["E2E flaky rate", "ok"],
      ["GitHub minutes per deployment", "ok"],
      ["cost per deployment", "ok"],
    ]);
  });

  it("says no data for a period with nothing in it", () => {
    const empty = computeMetrics({
      logs: [stagingLog()],
      e2e: [],
      from: new Date("2025-01-01"),
      to: new Date("2025-02-01"),
      ratePerMinute: 0.008,
    });
    expect(empty.filter((r) => r.name !== "rollback count").map(rowStatus)).toEqual(Array(7).fill("no data"));
  });

  it("prints the table: value, target, status", () => {
    const t = formatMetricsTable(rows(), PERIOD.from, PERIOD.to);
    expect(t).toContain("success metrics, 2026-11-01 .. 2026-11-10");
    expect(t).toMatch(/deployment success rate +84\.6 % +≥ 95\.0 % +missed/);
    expect(t).toMatch(/MTTR +12\.5 min +≤ 15\.0 min +ok/);
    expect(t).toMatch(/cost per deployment +\$0\.089 +≤ \$0\.200 +ok/);
  });
});

describe("metricsPage", () => {
  const logs = [stagingLog(), productionLog()];
  it("buckets deploys, failures, BAD marks and rollbacks per UTC day", () => {
    const days = dailySeries(logs, PERIOD.from, PERIOD.to);
    expect(days).toHaveLength(10);
    expect(days[3]).toEqual({ day: "2026-11-04", deployed: 2, failed: 0, bad: 1, rollbacks: 1 });
    expect(days[8]).toEqual({ day: "2026-11-09", deployed: 0, failed: 1, bad: 0, rollbacks: 0 });
  });

  it("is one self-contained HTML file: the table and three inline SVG charts, no external asset or script", () => {
    const html = metricsPage({
      rows: rows(),
      days: dailySeries(logs, PERIOD.from, PERIOD.to),
      durations: durations(logs, PERIOD.from, PERIOD.to),
      threshold: { target: 2, alert: 4 },
      period: "2026-11-01 .. 2026-11-11",
    });
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain("<td>MTTR</td><td>12.5 min</td>");
    expect(html).toContain("target 2 min");
    expect(html).not.toMatch(/<script|<link|src=|href=|url\(/);
    expect(durations(logs, PERIOD.from, PERIOD.to)).toHaveLength(11);
  });
});
