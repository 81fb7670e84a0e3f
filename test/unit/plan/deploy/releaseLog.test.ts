import { describe, expect, it } from "vitest";
import {
  badReleases,
  formatLogEntry,
  latestStatuses,
  parseReleaseLog,
  type ReleaseLogEntry,
} from "../../../../ci/src/plan/deploy/releaseLog";

const a: ReleaseLogEntry = { id: "20261126T231501Z-3520442", commit: "3520442", time: "t", status: "deployed" };
const b: ReleaseLogEntry = { id: "20261126T231601Z-abcdef0", commit: "abcdef0", time: "t", status: "bad" };

describe("parseReleaseLog", () => {
  it("reads JSON lines and skips a torn last line and odd ids", () => {
    const text = formatLogEntry(a) + formatLogEntry(b) + formatLogEntry({ ...a, id: "../x" }) + '{"id":"2026';
    expect(parseReleaseLog(text)).toEqual([a, b]);
  });
});

describe("latestStatuses and badReleases", () => {
  it("keeps the last status of each release and remembers BAD", () => {
    const log = [a, b, { ...b, status: "deployed" as const }, { ...a, status: "rollback" as const }];
    expect(latestStatuses(log).get(a.id)).toBe("deployed");
    expect(latestStatuses(log).get(b.id)).toBe("deployed");
    expect(badReleases(log)).toEqual(new Set([b.id]));
  });
});
