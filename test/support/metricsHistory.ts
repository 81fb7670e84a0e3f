/**
 * A generated deploy history with known success-metric answers (worked out in the comments), for the
 * metrics unit test and the `metrics` command test.
 */
import type { E2eRun } from "../../ci/src/plan/deploy/metrics";
import type { ReleaseLogEntry, ReleaseStatus } from "../../ci/src/plan/deploy/releaseLog";

const e = (day: number, hm: string, n: number, status: ReleaseStatus, extra: Partial<ReleaseLogEntry> = {}) => {
  const d = String(day).padStart(2, "0");
  return {
    id: `202611${d}T${hm.replace(":", "")}00Z-${String(n).padStart(7, "0")}`,
    commit: String(n).padStart(7, "0"),
    time: `2026-11-${d}T${hm}:00.000Z`,
    status,
    ...extra,
  } as ReleaseLogEntry;
};
const at = (x: ReleaseLogEntry, hm: string, status: ReleaseStatus, extra: Partial<ReleaseLogEntry> = {}) => ({
  ...x,
  time: `${x.time.slice(0, 11)}${hm}:00.000Z`,
  status,
  ...extra,
});

/** Staging: days 1-8 deployed in 120 s; day 9 failed before the switch; day 10 rolled back by the watch after 5 min. */
export function stagingLog(): ReleaseLogEntry[] {
  const out: ReleaseLogEntry[] = [];
  for (let d = 1; d <= 8; d++) {
    const s = e(d, "10:00", d, "started");
    out.push(s, at(s, "10:02", "deployed", { seconds: 120 }));
  }
  const f = e(9, "10:00", 9, "started");
  out.push(f, at(f, "10:01", "failed", { reason: "upload" }));
  const b = e(10, "10:00", 10, "started");
  const prev = out[14].id;
  out.push(b, at(b, "10:05", "bad", { reason: "watch" }), { ...at(b, "10:05", "rollback"), id: prev, from: b.id });
  return out;
}

/** Production: p1 (180 s), p2 (60 s, abandoned by a rollback 20 min after going live), p3 (90 s); one older. */
export function productionLog(): ReleaseLogEntry[] {
  const old = e(20, "09:00", 100, "started");
  const oldDone = { ...at(old, "09:01", "deployed", { seconds: 60 }), time: "2026-10-20T09:01:00.000Z" };
  const p1 = e(2, "12:00", 101, "started");
  const p2 = e(4, "12:00", 102, "started");
  const p3 = e(6, "12:00", 103, "started");
  return [
    { ...old, time: "2026-10-20T09:00:00.000Z" },
    oldDone,
    p1,
    at(p1, "12:03", "deployed", { seconds: 180 }),
    p2,
    at(p2, "12:01", "deployed", { seconds: 60 }),
    at(p2, "12:21", "bad", { reason: "abandoned by rollback" }),
    { ...at(p2, "12:21", "rollback"), id: p1.id, from: p2.id },
    p3,
    at(p3, "12:02", "deployed", { seconds: 90 }),
  ];
}

/** Ten E2E runs in the period (9 passed, 1 failed; 20 tests each, 3 flaky in all; 600 s each) and one before it. */
export function e2eRuns(): E2eRun[] {
  const runs = Array.from({ length: 10 }, (_, i): E2eRun => ({
    commit: String(i).repeat(40).slice(0, 40),
    status: i === 9 ? "failed" : "passed",
    suite: "full",
    passed: i === 9 ? 18 : i < 3 ? 19 : 20,
    failed: i === 9 ? 2 : 0,
    flaky: i < 3 ? 1 : 0,
    finishedAt: `2026-11-${String(i + 1).padStart(2, "0")}T11:00:00.000Z`,
    report: "r",
    seconds: 600,
  }));
  return [...runs, { ...runs[0], commit: "f".repeat(40), status: "failed", finishedAt: "2026-10-01T00:00:00.000Z" }];
}

/** The answers: attempts 13 (10 + 3), deployed 11 (8 + 3), live 12, 2 change failures, MTTR (5+20)/2, 2 rollbacks. */
export const EXPECTED = {
  deploySuccessPercent: (100 * 11) / 13,
  changeFailurePercent: (100 * 2) / 12,
  mttrMinutes: 12.5,
  rollbacks: 2,
  e2ePassPercent: 90,
  flakyPercent: 1.5,
  // Deploy minutes billed per job: staging 8 × 2, production 3 + 1 + 2; E2E 10 × 10; over 11 deployed.
  minutesPerDeploy: (16 + 6 + 100) / 11,
};

export const PERIOD = { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-11-11T00:00:00Z") };
