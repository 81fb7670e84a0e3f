/**
 * The Playwright config and spec the E2E quality checks run with, as the text each runner writes into the frontend's
 * `.e2e/quality/`: axe on the a11y pages, toHaveScreenshot on the visual pages. The frontend's own @playwright/test
 * runs them; @axe-core/playwright comes from the pipeline's tools folder (QUALITY_TOOLS), not the app's lockfile.
 * Kept out of plan/ because the text is code for another process (its imports are not this module's).
 */
import type { E2eChecksConfig } from "../plan/config/quality/e2eChecks";
import {
  BASELINE_TEMPLATE,
  BROWSER_NAMES,
  CHROMIUM_ARGS,
  pageSlug,
  QUALITY_DIR,
  QUALITY_PATHS,
  VIEWPORT,
} from "../plan/e2e/quality/files";

/** The files, by path relative to the frontend. */
export function qualityFiles(q: E2eChecksConfig): Record<string, string> {
  return {
    [QUALITY_PATHS.config]: qualityConfigFile(q),
    [QUALITY_PATHS.spec]: qualitySpecFile(q),
    // Lighthouse writes into --output-path's folder but does not create it.
    [`${QUALITY_PATHS.lighthouse}/.keep`]: "",
  };
}

/**
 * The config: only the quality spec, one worker, no retry, JSON report, baselines under `visual.baselines` named per
 * browser build and platform (one project, named after the Chromium it runs).
 */
export function qualityConfigFile(q: E2eChecksConfig): string {
  const up = "../".repeat(QUALITY_DIR.split("/").length);
  return `// Written by the pipeline for the E2E quality checks; see docs/config.md, "Quality gates".
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { defineConfig } from "@playwright/test";

const chromium = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
// Names the baselines: Debian's Chromium, another executable by its file name, else Playwright's own build.
const browser = chromium === "/usr/bin/chromium" ? ${JSON.stringify(BROWSER_NAMES.debian)} : chromium ? basename(chromium) : ${JSON.stringify(BROWSER_NAMES.bundled)};

export default defineConfig({
  testDir: ".",
  testMatch: "quality.spec.mjs",
  outputDir: "results",
  snapshotPathTemplate: ${JSON.stringify(`${up}${q.visual.baselines}/${BASELINE_TEMPLATE}`)},
  projects: [{ name: browser }],
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["json", { outputFile: "visual.json" }], ["line"]],
  use: {
    baseURL: process.env.BASE_URL,
    viewport: ${JSON.stringify(VIEWPORT)},
    deviceScaleFactor: 1,
    colorScheme: "light",
    locale: "en-US",
    timezoneId: "UTC",
    launchOptions: chromium
      ? { executablePath: chromium, args: ${JSON.stringify(CHROMIUM_ARGS)} }
      : {},
  },
});
`;
}

/** The spec: per a11y page, axe's violations written to a11y/<slug>.json; per visual page, one screenshot test. */
export function qualitySpecFile(q: E2eChecksConfig): string {
  const settings = {
    a11y: q.a11y.enabled ? q.a11y.pages.map((p) => ({ page: p, slug: pageSlug(p) })) : [],
    visual: q.visual.enabled ? q.visual.pages.map((p) => ({ page: p, slug: pageSlug(p) })) : [],
    maxDiffPixelRatio: q.visual.maxDiffPixelRatio,
    mask: q.visual.mask,
  };
  return `// Written by the pipeline for the E2E quality checks; see docs/config.md, "Quality gates".
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";

const S = ${JSON.stringify(settings, null, 2)};

for (const { page, slug } of S.a11y) {
  test(\`a11y \${page}\`, async ({ page: p }) => {
    const tools = createRequire(join(process.env.QUALITY_TOOLS, "package.json"));
    const AxeBuilder = tools("@axe-core/playwright").default;
    await p.goto(page, { waitUntil: "networkidle" });
    const r = await new AxeBuilder({ page: p }).analyze();
    const violations = r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html })),
    }));
    const dir = fileURLToPath(new URL("./a11y/", import.meta.url));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, \`\${slug}.json\`), JSON.stringify({ page, url: r.url, violations }, null, 2));
  });
}

for (const { page, slug } of S.visual) {
  test(\`visual \${page}\`, async ({ page: p }, info) => {
    // Which baseline this browser and platform compare against: what accept-baselines writes the new screenshot to.
    const expected = info.snapshotPath(\`\${slug}.png\`, { kind: "screenshot" });
    const records = fileURLToPath(new URL("./visual/", import.meta.url));
    mkdirSync(records, { recursive: true });
    writeFileSync(join(records, \`\${slug}.json\`), JSON.stringify({ page, slug, baseline: basename(expected) }));
    await p.goto(page, { waitUntil: "networkidle" });
    await p.evaluate(() => document.fonts.ready);
    const shot = {
      fullPage: true,
      animations: "disabled",
      caret: "hide",
      mask: S.mask.map((s) => p.locator(s)),
    };
    // With --update-snapshots=none Playwright keeps no screenshot of a page without a baseline: take it, to accept.
    if (!existsSync(expected)) await p.screenshot({ ...shot, path: info.outputPath(\`\${slug}-actual.png\`) });
    await expect(p).toHaveScreenshot(\`\${slug}.png\`, { ...shot, maxDiffPixelRatio: S.maxDiffPixelRatio });
  });
}
`;
}
