import { describe, expect, it } from "vitest";
import {
  fileTimings,
  MalformedReportError,
  parseReport,
  reportedTests,
} from "../../../../ci/src/plan/e2e/playwrightReport";
import { fail, flaky, pass, reportOf } from "../../../support/pwReport";

describe("parseReport", () => {
  it("reads a Playwright JSON report", () => {
    const r = reportOf({ "a.spec.ts": [pass("x")] });
    expect(parseReport(JSON.stringify(r)).stats.expected).toBe(1);
  });

  it.each([
    ["{not json", /invalid JSON/],
    ["[]", /no `suites` list/],
    ['{"suites": []}', /no `stats.duration`/],
  ])("refuses %s, naming the file and what to pass instead", (text, why) => {
    expect(() => parseReport(text, "prev.json")).toThrow(MalformedReportError);
    expect(() => parseReport(text, "prev.json")).toThrow(why);
    expect(() => parseReport(text, "prev.json")).toThrow(/prev\.json is not a Playwright JSON report .*--timings/);
  });
});

describe("reportedTests", () => {
  it("lists every test with its file and describe › title", () => {
    const r = reportOf({ "a.spec.ts": [pass("one"), fail("two")], "b.spec.ts": [flaky("three")] });
    expect(reportedTests(r).map((t) => `${t.file}: ${t.title} (${t.test.status})`)).toEqual([
      "a.spec.ts: a page › one (expected)",
      "a.spec.ts: a page › two (unexpected)",
      "b.spec.ts: b page › three (flaky)",
    ]);
  });
});

describe("fileTimings", () => {
  it("sums every attempt's duration per file, in seconds", () => {
    const r = reportOf({ "a.spec.ts": [pass("one", 1500), pass("two", 500)], "b.spec.ts": [flaky("three")] });
    expect(fileTimings(r)).toEqual(
      new Map([
        ["a.spec.ts", 2],
        ["b.spec.ts", 1],
      ]),
    );
  });
});
