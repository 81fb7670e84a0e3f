import type { PwReport, PwSuite } from "../../ci/src/plan/e2e/playwrightReport";

/** A test as a Playwright JSON report holds it: the attempts' statuses and durations (ms). */
export interface FakeTest {
  title: string;
  attempts: { status: string; duration: number }[];
  /** expected | unexpected | flaky | skipped */
  status: string;
}

/** Build a report shaped like Playwright's JSON reporter output (file suite › describe › spec › test). */
export function reportOf(files: Record<string, FakeTest[]>, durationMs = 1000): PwReport {
  const suites: PwSuite[] = Object.entries(files).map(([file, tests]) => ({
    title: file,
    file,
    specs: [],
    suites: [
      {
        title: `${file.replace(/\..*$/, "")} page`,
        file,
        specs: tests.map((t) => ({
          title: t.title,
          file,
          tests: [
            { status: t.status, projectName: "chromium", results: t.attempts.map((a, retry) => ({ ...a, retry })) },
          ],
        })),
      },
    ],
  }));
  const count = (s: string) =>
    Object.values(files)
      .flat()
      .filter((t) => t.status === s).length;
  return {
    suites,
    errors: [],
    stats: {
      duration: durationMs,
      expected: count("expected"),
      unexpected: count("unexpected"),
      flaky: count("flaky"),
      skipped: count("skipped"),
    },
  };
}

export const pass = (title: string, duration = 1000): FakeTest => ({
  title,
  status: "expected",
  attempts: [{ status: "passed", duration }],
});
export const fail = (title: string): FakeTest => ({
  title,
  status: "unexpected",
  attempts: [
    { status: "failed", duration: 500 },
    { status: "failed", duration: 500 },
  ],
});
export const flaky = (title: string): FakeTest => ({
  title,
  status: "flaky",
  attempts: [
    { status: "failed", duration: 400 },
    { status: "passed", duration: 600 },
  ],
});
export const skip = (title: string): FakeTest => ({
  title,
  status: "skipped",
  attempts: [{ status: "skipped", duration: 0 }],
});
