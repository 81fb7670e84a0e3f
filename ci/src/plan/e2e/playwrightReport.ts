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
    readonly problem: string,
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
  const bad = shapeProblem(r);
  if (bad) throw new MalformedReportError(file, bad);
  return r as PwReport;
}

/** How deep describe blocks may nest in a report: far past any real suite, well within the walk's stack. */
export const MAX_SUITE_DEPTH = 100;

/**
 * What in a report's suites, specs, tests, results or errors has a shape reportedTests and fileTimings cannot walk
 * (undefined: none). The merged report comes from the repository's own Playwright and config, so any shape can come.
 */
function shapeProblem(r: Partial<PwReport>): string | undefined {
  const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === "object" && !Array.isArray(x);
  const list = (x: unknown, at: string, optional: boolean): unknown[] | string =>
    Array.isArray(x) ? x : optional && x === undefined ? [] : `${at} is not a list`;
  const text = (x: unknown, at: string, optional: boolean): string | undefined =>
    typeof x === "string" || (optional && x === undefined) ? undefined : `${at} is not a string`;
  const each = (xs: unknown[], at: string, check: (x: Record<string, unknown>, at: string) => string | undefined) => {
    for (const [i, x] of xs.entries()) {
      const bad = isObject(x) ? check(x, `${at}[${i}]`) : `${at}[${i}] is not an object`;
      if (bad) return bad;
    }
    return undefined;
  };
  const test = (t: Record<string, unknown>, at: string) => {
    const results = list(t.results, `${at}.results`, false);
    return (
      text(t.status, `${at}.status`, false) ??
      (typeof results === "string" ? results : each(results, `${at}.results`, () => undefined))
    );
  };
  const spec = (s: Record<string, unknown>, at: string) => {
    const tests = list(s.tests, `${at}.tests`, false);
    return (
      text(s.title, `${at}.title`, false) ??
      text(s.file, `${at}.file`, true) ??
      (typeof tests === "string" ? tests : each(tests, `${at}.tests`, test))
    );
  };
  const suite =
    (depth: number) =>
    (s: Record<string, unknown>, at: string): string | undefined => {
      if (depth > MAX_SUITE_DEPTH) return `${at}: suites nested deeper than ${MAX_SUITE_DEPTH}`;
      const specs = list(s.specs, `${at}.specs`, true);
      const suites = list(s.suites, `${at}.suites`, true);
      return (
        text(s.title, `${at}.title`, false) ??
        text(s.file, `${at}.file`, true) ??
        (typeof specs === "string" ? specs : each(specs, `${at}.specs`, spec)) ??
        (typeof suites === "string" ? suites : each(suites, `${at}.suites`, suite(depth + 1)))
      );
    };
  const errors = list(r.errors, "errors", true);
  return (
    each(r.suites ?? [], "suites", suite(1)) ??
    (typeof errors === "string" ? errors : each(errors, "errors", (e, at) => text(e.message, `${at}.message`, true)))
  );
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
