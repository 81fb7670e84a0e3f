/**
 * The E2E quality checks as data: one job in the Playwright image, in the frontend, after the shards: the quality spec
 * (axe, screenshots) with the frontend's @playwright/test, then Lighthouse per budget page. Its outputs are read by
 * path and judged here, so both runners give the same verdicts. Pure.
 */
import type { E2eChecksConfig } from "../../config/quality/e2eChecks";
import type { Job, Step } from "../../job";
import { judgeA11y } from "./a11y";
import { judgeBudgets } from "./budgets";
import { CHROMIUM_ARGS, pageSlug, QUALITY_PATHS } from "./files";
import { resultOf, type QualityCheck, type QualityJudged } from "./result";
import { judgeVisual } from "./visual";

/** The tools the checks run, pinned to versions that run on Node 20 (@axe-core/playwright 4.14 and lighthouse 13
 * need Node 22). */
export const QUALITY_TOOLS = { "@axe-core/playwright": "4.13.0", lighthouse: "12.8.2" } as const;
/** Where the Dagger runner installs them in the Playwright image (the host runner uses the pipeline's own). */
export const CONTAINER_TOOLS_DIR = "/opt/quality-tools";
/** How to accept a run's screenshots as the new baselines, on the host runner. */
export const ACCEPT_COMMAND = "npm run pipeline -- accept-baselines --report <the E2E report directory>";

/**
 * How to accept a run's screenshots on the runner that ran it: through Dagger the function returns the baselines and
 * the CLI exports them over the frontend's baselines folder (`baselines`, relative to the repository).
 */
export function acceptCommand(runner: "dagger" | "host", baselines: string): string {
  return runner === "dagger"
    ? `dagger call accept-baselines --report <the exported E2E report directory> export --path ${baselines}`
    : ACCEPT_COMMAND;
}

export interface QualityPlan {
  checks: E2eChecksConfig;
  /** Runs in the frontend directory; its env names BASE_URL and QUALITY_TOOLS. */
  job: Job;
  /** Installs the pinned tools into `toolsDir` (a container has none; the host runner brings its own). */
  toolsInstall: Step;
  /** The frontend install's marker and lockfile (E2ePlan.installed), for a runner sharing the shards' install. */
  installed?: { marker: string; lockfile: string };
  /** The command a red visual check names to accept the new screenshots (acceptCommand). */
  accept: string;
}

/**
 * The quality job built on an E2E node job (image, install, caches); none when every check is off. `playwright` runs
 * the frontend's own Playwright through its manager (e.g. `corepack pnpm exec playwright`).
 */
export function planQuality(
  q: E2eChecksConfig,
  base: Job,
  baseUrl: string,
  toolsDir: string,
  playwright: string[],
  accept: string = ACCEPT_COMMAND,
): QualityPlan | undefined {
  if (!q.a11y.enabled && !q.budgets.enabled && !q.visual.enabled) return undefined;
  const steps: Step[] = [];
  if (q.a11y.enabled || q.visual.enabled)
    steps.push({
      name: "quality-spec",
      // none: a missing baseline fails the check instead of being written into the checkout.
      argv: [...playwright, "test", "--config", QUALITY_PATHS.config, "--update-snapshots=none"],
    });
  if (q.budgets.enabled) steps.push(...q.budgets.pages.map((p) => lighthouseStep(baseUrl, p, toolsDir)));
  return {
    checks: q,
    accept,
    job: {
      ...base,
      name: "e2e-quality",
      steps,
      env: { ...base.env, QUALITY_TOOLS: toolsDir },
      artifacts: [QUALITY_PATHS.results],
    },
    toolsInstall: {
      name: "quality-tools",
      argv: [
        "npm",
        "install",
        "--prefix",
        toolsDir,
        "--no-save",
        "--no-audit",
        "--no-fund",
        ...Object.entries(QUALITY_TOOLS).map(([n, v]) => `${n}@${v}`),
      ],
    },
  };
}

/** Lighthouse, performance only, on Chromium from CHROME_PATH (chrome-launcher reads it), JSON and HTML. */
function lighthouseStep(baseUrl: string, page: string, toolsDir: string): Step {
  return {
    name: `lighthouse ${page}`,
    argv: [
      "node",
      `${toolsDir}/node_modules/lighthouse/cli/index.js`,
      new URL(page, baseUrl).toString(),
      "--only-categories=performance",
      "--output=json",
      "--output=html",
      `--output-path=${QUALITY_PATHS.lighthouse}/${pageSlug(page)}`,
      "--quiet",
      `--chrome-flags=${CHROMIUM_ARGS.filter((a) => a !== "--headless").join(" ")} --headless=new`,
    ],
  };
}

/** The files the job leaves that the verdicts read, relative to the frontend. */
export function qualityOutputs(p: QualityPlan): string[] {
  const q = p.checks;
  return [
    ...(q.a11y.enabled ? q.a11y.pages.map((pg) => a11yFile(pg)) : []),
    ...(q.budgets.enabled ? q.budgets.pages.map((pg) => lighthouseFile(pg)) : []),
    ...(q.visual.enabled ? [QUALITY_PATHS.visualJson] : []),
  ];
}

const a11yFile = (page: string) => `${QUALITY_PATHS.a11y}/${pageSlug(page)}.json`;
const lighthouseFile = (page: string) => `${QUALITY_PATHS.lighthouse}/${pageSlug(page)}.report.json`;

/** Every enabled check's verdict from the outputs read (path → text; a missing one is a failed check). */
export function judgeQuality(p: QualityPlan, outputs: Record<string, string | undefined>): QualityJudged[] {
  const q = p.checks;
  const byPage = (pages: string[], file: (pg: string) => string) =>
    Object.fromEntries(pages.map((pg) => [pg, outputs[file(pg)]]));
  const results: QualityJudged[] = [];
  if (q.a11y.enabled) results.push(judged("a11y", () => judgeA11y(q.a11y, byPage(q.a11y.pages, a11yFile))));
  if (q.budgets.enabled)
    results.push(judged("budgets", () => judgeBudgets(q.budgets, byPage(q.budgets.pages, lighthouseFile))));
  if (q.visual.enabled)
    results.push(judged("visual", () => judgeVisual(q.visual, outputs[QUALITY_PATHS.visualJson], p.accept)));
  return results;
}

/**
 * A check's verdict, or a failed check when its output is not what the tool writes: the outputs lie in the frontend,
 * where the app under test can rewrite them and a tool cut off leaves half a file, and a judge that threw took the
 * whole E2E run down before its report and record, leaving the last run's green status standing.
 */
function judged(check: QualityCheck, judge: () => QualityJudged): QualityJudged {
  try {
    return judge();
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split("\n")[0].slice(0, 200);
    return resultOf(check, [], "", [`${check}'s output could not be read (${why})`]);
  }
}
