import { describe, expect, it } from "vitest";
import { formatReleaseList } from "../../../../ci/src/plan/deploy/releaseList";
import type { ReleaseLogEntry } from "../../../../ci/src/plan/deploy/releaseLog";

const A = "20261101T100000Z-aaaaaaa";
const B = "20261102T100000Z-bbbbbbb";
const C = "20261103T100000Z-ccccccc";
const entry = (id: string, status: ReleaseLogEntry["status"]): ReleaseLogEntry => ({
  id,
  status,
  commit: id.slice(-7),
  time: "2026-11-03T10:00:00Z",
});

describe("formatReleaseList", () => {
  it("lists newest first, marking current, BAD and where a bare rollback goes", () => {
    const log = [entry(A, "deployed"), entry(B, "deployed"), entry(B, "bad"), entry(C, "deployed")];
    expect(formatReleaseList("staging", { existing: [A, B, C], current: C, log }).split("\n")).toEqual([
      "releases on staging, newest first:",
      `  ${C}  current, deployed`,
      `  ${B}  BAD (never a rollback target)`,
      `  ${A}  deployed, <- rollback goes here`,
      "roll back with: npm run pipeline -- rollback --target staging (or --to <id> for another good one)",
    ]);
  });

  it("lists in deploy order (the log's), so a release named by a runner whose clock was behind is not listed as old", () => {
    const log = [entry(A, "deployed"), entry(C, "deployed"), entry(B, "deployed")];
    expect(
      formatReleaseList("staging", { existing: [A, B, C], current: B, log })
        .split("\n")
        .slice(0, 4),
    ).toEqual([
      "releases on staging, newest first:",
      `  ${B}  current, deployed`,
      `  ${C}  deployed, <- rollback goes here`,
      `  ${A}  deployed`,
    ]);
  });

  it("says when nothing can be rolled back to, and when the server has no release", () => {
    expect(formatReleaseList("production", { existing: [A], current: A, log: [entry(A, "deployed")] })).toMatch(
      /\n {2}20261101T100000Z-aaaaaaa {2}current, deployed\nno release to roll back to: deploy a fixed commit instead: npm run pipeline -- deploy-production$/,
    );
    expect(formatReleaseList("staging", { existing: [], log: [] })).toBe(
      "no releases on staging yet; deploy one with: npm run pipeline -- deploy-staging",
    );
  });
});
