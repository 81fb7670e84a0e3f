import { describe, expect, it } from "vitest";
import { allowsMajor, maxSatisfying, parseRange, satisfies } from "../../../../ci/src/plan/toolchain/semver";

describe("satisfies", () => {
  it.each([
    ["24.1.0", ">=24", true],
    ["22.23.5", ">=24", false],
    ["20.20.2", ">=20", true],
    ["22.11.0", "^22.11.0", true],
    ["23.0.0", "^22.11.0", false],
    ["22.10.9", "^22.11", false],
    ["22.1.5", "~22.1.0", true],
    ["22.2.0", "~22.1.0", false],
    ["22.9.0", "22.x", true],
    ["22.9.0", "22", true],
    ["24.0.0", "22", false],
    ["v20.20.2", "20 || 22", true],
    ["21.0.0", "20 || 22", false],
    ["22.99.0", "20 - 22", true],
    ["23.0.0", "20 - 22", false],
    ["20.5.0", ">= 20.3 < 21", true],
    ["21.0.0", ">=20.3 <21", false],
    ["23.0.0", ">22", true],
    ["22.5.0", ">22", false],
    ["22.1.1", ">22.1.0", true],
    ["22.9.9", "<=22", true],
    ["1.0.0", "*", true],
    ["24.0.0", "=24.0.0", true],
  ])("%s in %s: %s", (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it("is false for a range it cannot read and for a prerelease", () => {
    expect(parseRange("lts/*")).toBeUndefined();
    expect(satisfies("24.0.0", "lts/*")).toBe(false);
    expect(satisfies("24.0.0-rc.1", ">=20")).toBe(false);
  });
});

describe("maxSatisfying", () => {
  it("picks the newest version in range, numerically", () => {
    expect(maxSatisfying(["22.9.0", "22.23.5", "24.22.3", "22.10.0"], "22")).toBe("22.23.5");
    expect(maxSatisfying(["20.1.0"], ">=22")).toBeUndefined();
  });
});

describe("allowsMajor", () => {
  it("says whether some release of a major is in range", () => {
    expect(allowsMajor(">=22.11", 22)).toBe(true);
    expect(allowsMajor(">=22.11", 20)).toBe(false);
    expect(allowsMajor("^20.9 || >=22", 24)).toBe(true);
    expect(allowsMajor("<22", 22)).toBe(false);
  });
});
