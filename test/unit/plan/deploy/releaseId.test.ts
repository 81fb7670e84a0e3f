import { describe, expect, it } from "vitest";
import { InvalidReleaseIdError, makeReleaseId, validateReleaseId } from "../../../../ci/src/plan/deploy/releaseId";

describe("makeReleaseId", () => {
  it("is a sortable UTC timestamp plus the short commit", () => {
    const a = makeReleaseId(new Date("2026-11-26T23:15:01Z"), "3520442e4dc3");
    const b = makeReleaseId(new Date("2026-11-27T00:00:00Z"), "0000000aaaa");
    expect(a).toBe("20261126T231501Z-3520442");
    expect([b, a].sort()).toEqual([a, b]);
  });
});

describe("validateReleaseId", () => {
  it.each(["../x", "20261126T231501Z-3520442/../../etc", "a b", "", "20261126T231501Z-35204;rm"])(
    "rejects %j",
    (id) => {
      expect(() => validateReleaseId(id)).toThrow(InvalidReleaseIdError);
    },
  );
  it("accepts a real id", () => {
    expect(validateReleaseId("20261126T231501Z-3520442")).toBe("20261126T231501Z-3520442");
  });
});
