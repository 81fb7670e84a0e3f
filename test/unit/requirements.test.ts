/**
 * docs/requirements.md says what the code enforces: its figures are the code's defaults, the files it names exist,
 * and the test titles it quotes are titles of the test files it names.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BOUNDS, rangeOf } from "../../ci/src/plan/bounds";
import { defaultConfig } from "../../ci/src/plan/config/defaults";
import { ALERT_ENV, SEVERITY_OF } from "../../ci/src/plan/deploy/alerts";
import { defaultMetricTargets } from "../../ci/src/plan/deploy/metrics";
import { DEFAULT_KEEP, defaultHealthPolicy } from "../../ci/src/plan/deploy/stage";
import { defaultWatchPolicy } from "../../ci/src/plan/deploy/watch";

const ROOT = resolve(import.meta.dirname, "../..");
const PAGE = readFileSync(join(ROOT, "docs/requirements.md"), "utf8");

/** The text under `### <anchor>`, up to the next heading. */
function section(anchor: string): string {
  const start = PAGE.indexOf(`### ${anchor}\n`);
  expect(start, `docs/requirements.md has ### ${anchor}`).toBeGreaterThanOrEqual(0);
  const rest = PAGE.slice(start + anchor.length + 5);
  return rest.slice(0, rest.search(/^##/m) === -1 ? undefined : rest.search(/^##/m));
}

/** The body rows of the first Markdown table in a text, as trimmed cells. */
function table(text: string): string[][] {
  const rows = text.split("\n").filter((l) => l.startsWith("|"));
  return rows.slice(2).map((r) =>
    r
      .slice(1, -1)
      .split("|")
      .map((c) => c.trim()),
  );
}

const oneLine = (s: string) => s.replace(/\s+/g, " ");
const c = defaultConfig();

describe("docs/requirements.md restates the code's figures", () => {
  it("R-durations: each stage's target and alert minutes", () => {
    const t = c.thresholds;
    expect(table(section("R-durations"))).toEqual([
      ["fast-tests", `${t.fastTests.target} min`, `${t.fastTests.alert} min`],
      ["deploy", `${t.deploy.target} min`, `${t.deploy.alert} min`],
      ["E2E", `${t.e2e.target} min`, `${t.e2e.alert} min`],
    ]);
  });

  it("R-timeouts: every workflow job's timeout-minutes, and no other", () => {
    const dir = join(ROOT, ".github/workflows");
    const jobs = readdirSync(dir)
      .filter((f) => f.endsWith(".yml"))
      .flatMap((f) =>
        Object.entries(parse(readFileSync(join(dir, f), "utf8")).jobs as Record<string, Record<string, unknown>>).map(
          ([job, j]) => [f, job, String(j["timeout-minutes"])],
        ),
      );
    expect(
      table(section("R-timeouts"))
        .map((r) => r.join(" "))
        .sort(),
    ).toEqual(jobs.map((r) => r.join(" ")).sort());
  });

  it("R-coverage, R-keep, R-health, R-e2e-readiness, R-billing: the single figures", () => {
    expect(oneLine(section("R-coverage"))).toContain(`**≥ ${c.thresholds.coverage} %**`);
    expect(oneLine(section("R-keep"))).toContain(`**${c.deploy.keep} releases**`);
    expect(c.deploy.keep).toBe(DEFAULT_KEEP);
    const h = defaultHealthPolicy();
    expect(c.deploy.health).toEqual(h);
    const health = oneLine(section("R-health"));
    expect(health).toContain(`**${h.attempts} attempts**`);
    expect(health).toContain(`**${h.intervalSeconds} s** interval`);
    expect(health).toContain(`**${h.failuresBeforeRollback} consecutive failures**`);
    expect(oneLine(section("R-e2e-readiness"))).toContain(
      `**${c.e2e.readyAttempts} attempts, ${c.e2e.readyIntervalSeconds} s apart**`,
    );
    expect(oneLine(section("R-billing"))).toContain(`**$${c.billing.ratePerMinute}**`);
  });

  it("R-watch: the window and each threshold", () => {
    const w = defaultWatchPolicy();
    expect(c.deploy.watch).toEqual(w);
    const text = section("R-watch");
    expect(oneLine(text)).toContain(`For **${w.windowSeconds} s** after the switch`);
    expect(table(text).map((r) => r[0])).toEqual([
      `fewer than **${w.minRequests}** requests`,
      `5xx ÷ requests **> ${w.errorRatePercent} %**`,
      `p95 response time **> ${w.p95RollbackSeconds} s**`,
      `p95 **> ${w.p95AlertSeconds} s**`,
    ]);
  });

  it("R-alerts: each severity's events and channel", () => {
    const rows = table(section("R-alerts"));
    for (const [severity, env] of Object.entries(ALERT_ENV)) {
      const kinds = Object.entries(SEVERITY_OF)
        .filter(([, s]) => s === severity)
        .map(([k]) => `\`${k}\``);
      expect(rows, severity).toContainEqual([severity, kinds.join(", "), `\`${env}\``]);
    }
    expect(rows).toHaveLength(Object.keys(ALERT_ENV).length);
  });

  it("R-metrics: each target", () => {
    const t = defaultMetricTargets();
    const rows = Object.fromEntries(table(section("R-metrics")).map(([m, target]) => [m, target]));
    expect(rows["deployment success rate"]).toBe(`≥ ${t.deploySuccessPercent} %`);
    expect(rows["change failure rate"]).toBe(`≤ ${t.changeFailurePercent} %`);
    expect(rows.MTTR).toBe(`≤ ${t.mttrMinutes} min`);
    expect(rows["rollback count"]).toBe(`≤ ${t.rollbacksPerPeriod} per period`);
    expect(rows["E2E pass rate"]).toBe(`≥ ${t.e2ePassPercent} %`);
    expect(rows["E2E flaky rate"]).toBe(`≤ ${t.flakyPercent} %`);
    expect(rows["GitHub minutes per deployment"]).toMatch(new RegExp(`^≤ ${t.minutesPerDeploy} min `));
    expect(rows["cost per deployment"]).toBe(`≤ $${t.costPerDeploy.toFixed(2)}`);
    const d = c.thresholds;
    expect(t.minutesPerDeploy).toBe(d.fastTests.target + d.deploy.target + d.e2e.target);
  });
});

/** Titles of it()/describe() calls in a test file, escapes undone. */
function titles(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/\b(?:it|describe|test)\(\s*(["'`])((?:\\.|(?!\1).)*)\1/gs)].map((m) =>
    m[2].replace(/\\(.)/g, "$1"),
  );
}

/** Whether every part occurs in the title, in order (a quote may elide words with "…"). */
function inOrder(title: string, parts: string[]): boolean {
  let at = 0;
  for (const p of parts) {
    const i = title.indexOf(p, at);
    if (i < 0) return false;
    at = i + p.length;
  }
  return true;
}

describe("docs/requirements.md points at real files and tests", () => {
  const paths = [...new Set([...PAGE.matchAll(/`((?:ci|scripts|test|bench|examples|docs|\.github)\/[^`\s]+)`/g)])]
    .map((m) => m[1].replace(/#.*$/, ""))
    .concat([...PAGE.matchAll(/`(plan\/[^`\s]+)`/g)].map((m) => `ci/src/${m[1]}`));

  it("every path it names exists", () => {
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it("every test title it quotes is a title in a test file named in the same item", () => {
    const items = PAGE.replace(/`[^`]*`/g, (m) => (m.includes(".test.ts") ? m : "``"))
      .split(/\n(?=- |\n)/)
      .filter((item) => item.includes(".test.ts"));
    const missing: string[] = [];
    let quoted = 0;
    for (const item of items) {
      const files = [...item.matchAll(/`(test\/[^`]+\.test\.ts)`/g)]
        .map((m) => m[1])
        .filter((f) => existsSync(join(ROOT, f)));
      const all = files.flatMap((f) => titles(f).map(oneLine));
      for (const [, q] of item.matchAll(/"([^"]+)"/g)) {
        quoted++;
        const parts = oneLine(q)
          .split("…")
          .map((p) => p.trim())
          .filter(Boolean);
        if (!all.some((t) => inOrder(t, parts))) missing.push(q);
      }
    }
    expect(quoted).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});

describe("docs/requirements.md#R-bounds", () => {
  it("lists every bound of plan/bounds.ts with its range, and no other", () => {
    const rows = table(section("R-bounds")).map(([key, range]) => [key.replaceAll("`", ""), range]);
    expect(rows).toEqual(Object.entries(BOUNDS).map(([key, b]) => [key, rangeOf(b)]));
  });
});
