import { describe, expect, it } from "vitest";
import { parsePytestJunit } from "../../../../ci/src/plan/e2e/pytestJunit";

const xml = (cases: string, counts: string) =>
  `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" ${counts} time="1.2">${cases}</testsuite></testsuites>`;

describe("parsePytestJunit", () => {
  it("counts a green run", () => {
    const r = parsePytestJunit(
      xml(
        '<testcase classname="tests.e2e.test_api_e2e" name="test_health_is_ok" time="0.1" />',
        'errors="0" failures="0" skipped="1" tests="3"',
      ),
      0,
    );
    expect(r).toEqual({ passed: 2, failed: 0, skipped: 1, failedTests: [], exitCode: 0 });
  });

  it("names failing and erroring tests", () => {
    const cases =
      '<testcase classname="tests.e2e.test_api_e2e" name="test_health_is_ok" time="0.1"><failure message="assert 503 == 200">x</failure></testcase>' +
      '<testcase classname="tests.e2e.test_api_e2e" name="test_round_trip" time="0.1"><error message="boom">y</error></testcase>' +
      '<testcase classname="tests.e2e.test_api_e2e" name="test_list" time="0.1" />';
    const r = parsePytestJunit(xml(cases, 'errors="1" failures="1" skipped="0" tests="3"'), 1);
    expect(r.failed).toBe(2);
    expect(r.passed).toBe(1);
    expect(r.failedTests).toEqual([
      "tests.e2e.test_api_e2e::test_health_is_ok",
      "tests.e2e.test_api_e2e::test_round_trip",
    ]);
  });

  it("without a report, fails on a non-zero exit and says why", () => {
    expect(parsePytestJunit(undefined, 2)).toMatchObject({ failed: 1, problem: "no JUnit report (pytest exit 2)" });
    expect(parsePytestJunit("", 0)).toMatchObject({ failed: 0 });
  });
});
