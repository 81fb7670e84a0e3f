import { InputError } from "../errors";

/**
 * Reading Playwright's JSON report (the merged `results.json`), pure. Only the fields the
 * pipeline uses are typed; Playwright writes many more.
 */

export interface PwResult {
  status: string;
  duration: number;
  retry: number;
}

export interface PwTest {
  /** expected | unexpected | flaky | skipped */
  status: string;
  projectName?: string;
  results: PwResult[];
}

export interface PwSpec {
  title: string;
  file: string;
  tests: PwTest[];
}

export interface PwSuite {
  title: string;
  file?: string;
  specs?: PwSpec[];
  suites?: PwSuite[];
}

export interface PwReport {
  suites: PwSuite[];
  stats: { duration: number; expected: number; unexpected: number; flaky: number; skipped: number };
  errors?: { message?: string }[];
}

/** One test of the report with its file and full title ("describe › test"). */
export interface ReportedTest {
  file: string;
  title: string;
  test: PwTest;
}

/** A report that is not a Playwright JSON report: names the file and how to get a good one. */
export class MalformedReportError extends InputError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(
      `${file} is not a Playwright JSON report (${problem}). Pass the results.json of a previous \`npm run pipeline -- end-to-end\` run with --timings, or leave --timings out to shard with Playwright's --shard.`,
    );
  }
}

/** Parse and shape-check a Playwright JSON report. */
export function parseReport(text: string, file = "results.json"): PwReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new MalformedReportError(file, `invalid JSON: ${(e as Error).message}`);
  }
  const r = raw as Partial<PwReport> | null;
  if (!r || typeof r !== "object" || !Array.isArray(r.suites)) throw new MalformedReportError(file, "no `suites` list");
  if (!r.stats || typeof r.stats.duration !== "number") throw new MalformedReportError(file, "no `stats.duration`");
  return r as PwReport;
}

/** Every test in the report, depth first, with the spec file it came from. */
export function reportedTests(report: PwReport): ReportedTest[] {
  const out: ReportedTest[] = [];
  const walk = (suite: PwSuite, titles: string[], file: string) => {
    const here = suite.file ?? file;
    const path = suite.title && suite.title !== here ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests)
        out.push({ file: spec.file ?? here, title: [...path, spec.title].join(" › "), test });
    }
    for (const s of suite.suites ?? []) walk(s, path, here);
  };
  for (const s of report.suites) walk(s, [], s.file ?? s.title);
  return out;
}

/** Seconds each spec file took (every attempt counted), the weights of the next run's shards. */
export function fileTimings(report: PwReport): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of reportedTests(report)) {
    const ms = t.test.results.reduce((s, r) => s + (typeof r.duration === "number" ? r.duration : 0), 0);
    out.set(t.file, (out.get(t.file) ?? 0) + ms / 1000);
  }
  return out;
}
