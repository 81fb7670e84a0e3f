/** What the backend's E2E pytest run gave, read from its JUnit XML. Pure. */
export interface BackendE2eResult {
  passed: number;
  failed: number;
  skipped: number;
  /** `module::test` of each failing or erroring test. */
  failedTests: string[];
  exitCode: number;
  /** Why there are no counts (no report written, e.g. uv or pytest could not start). */
  problem?: string;
}

/** Count pytest's JUnit XML; without a report, the exit code alone decides. */
export function parsePytestJunit(xml: string | undefined, exitCode: number): BackendE2eResult {
  const suites = [...(xml ?? "").matchAll(/<testsuite\b([^>]*)>/g)];
  if (suites.length === 0) {
    return {
      passed: 0,
      failed: exitCode === 0 ? 0 : 1,
      skipped: 0,
      failedTests: [],
      exitCode,
      problem: `no JUnit report (pytest exit ${exitCode})`,
    };
  }
  const sum = (attr: string) =>
    suites.reduce((s, m) => s + Number(new RegExp(`\\b${attr}="(\\d+)"`).exec(m[1])?.[1] ?? 0), 0);
  const failedTests: string[] = [];
  for (const m of (xml ?? "").matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    if (!/<(failure|error)\b/.test(m[3] ?? "")) continue;
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(m[1])?.[1] ?? "";
    failedTests.push(`${attr("classname")}::${attr("name")}`);
  }
  const failed = sum("failures") + sum("errors");
  const skipped = sum("skipped");
  return { passed: sum("tests") - failed - skipped, failed, skipped, failedTests, exitCode };
}
