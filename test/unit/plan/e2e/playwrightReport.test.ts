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
  // The merged results.json is written by the repository's own Playwright and config (the merge loads `--config .`):
  // any shape can come back. A shape the summary cannot walk must be refused here, so the run is red with a problem
  // line, never a TypeError that leaves the last run's green status and promotion record standing (h15e2e).
  it.each([
    ['{"suites": [null], "stats": {"duration": 1}}', /suites\[0\] is not an object/],
    ['{"suites": [{"title": "x", "specs": {}}], "stats": {"duration": 1}}', /suites\[0\]\.specs is not a list/],
    [
      '{"suites": [{"title": "x", "specs": [{"title": "t", "file": "a", "tests": null}]}], "stats": {"duration": 1}}',
      /suites\[0\]\.specs\[0\]\.tests is not a list/,
    ],
    [
      '{"suites": [{"title": "x", "specs": [{"title": "t", "file": "a", "tests": [{"status": 5, "results": []}]}]}], "stats": {"duration": 1}}',
      /suites\[0\]\.specs\[0\]\.tests\[0\]\.status is not a string/,
    ],
    [
      '{"suites": [{"title": "x", "specs": [{"title": "t", "file": "a", "tests": [{"status": "expected", "results": 5}]}]}], "stats": {"duration": 1}}',
      /tests\[0\]\.results is not a list/,
    ],
    ['{"suites": [{"title": 7}], "stats": {"duration": 1}}', /suites\[0\]\.title is not a string/],
    ['{"suites": [{"title": "x", "suites": "no"}], "stats": {"duration": 1}}', /suites\[0\]\.suites is not a list/],
    ['{"suites": [], "stats": {"duration": 1}, "errors": [null]}', /errors\[0\] is not an object/],
    ['{"suites": [], "stats": {"duration": 1}, "errors": {}}', /errors is not a list/],
    ['{"suites": [], "stats": {"duration": 1}, "errors": [{"message": 5}]}', /errors\[0\]\.message is not a string/],
  ])("refuses a report the summary could not walk: %s", (text, why) => {
    expect(() => parseReport(text)).toThrow(MalformedReportError);
    expect(() => parseReport(text)).toThrow(why);
  });

  it("refuses suites nested deeper than any describe block goes, without overflowing the stack", () => {
    const depth = 20000;
    const suite = '{"title": "d", "suites": ['.repeat(depth) + '{"title": "leaf"}' + "]}".repeat(depth);
    const text = `{"suites": [${suite}], "stats": {"duration": 1}}`;
    expect(() => parseReport(text)).toThrow(/nested deeper than 100/);
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
