/** Where the E2E quality run keeps its files, how pages become file names, and how Chromium renders. Pure. */

/** Where the quality run keeps its files, relative to the frontend directory (inside the git-ignored .e2e). */
export const QUALITY_DIR = ".e2e/quality";
export const QUALITY_PATHS = {
  config: `${QUALITY_DIR}/playwright.config.mjs`,
  spec: `${QUALITY_DIR}/quality.spec.mjs`,
  /** One `<slug>.json` of axe violations per page. */
  a11y: `${QUALITY_DIR}/a11y`,
  /** `<slug>.report.json` and `.report.html` per page. */
  lighthouse: `${QUALITY_DIR}/lighthouse`,
  /** One `<slug>.json` per visual page: the page and the file name of its baseline (per browser and platform). */
  visual: `${QUALITY_DIR}/visual`,
  /** Playwright's JSON report of the quality run. */
  visualJson: `${QUALITY_DIR}/visual.json`,
  /** Playwright's output: on a difference, `<name>-actual.png`, `-expected.png` and `-diff.png`. */
  results: `${QUALITY_DIR}/results`,
} as const;

/**
 * Baselines are named per browser build and platform (snapshotPathTemplate `{arg}-{projectName}-{platform}{ext}`),
 * so each runner compares against its own: `home-debian-chromium-linux.png` for Debian's Chromium on the host,
 * `home-playwright-chromium-linux.png` for the Playwright image's (the Dagger runner); another executable given
 * through CHROME_PATH or PLAYWRIGHT_CHROMIUM_EXECUTABLE (host runner) is named by its file name.
 */
export const BASELINE_TEMPLATE = "{arg}-{projectName}-{platform}{ext}";
export const BROWSER_NAMES = { debian: "debian-chromium", bundled: "playwright-chromium" } as const;

/** Rendering held still, so a baseline taken on one machine matches the next run on the same browser and fonts. */
export const VIEWPORT = { width: 1280, height: 720 };

/** A page path as a file name: `/` → `home`, `/books/new` → `books-new`. */
export function pageSlug(page: string): string {
  const s = page
    .replace(/[?#].*$/, "")
    .replace(/^\/+|\/+$/g, "")
    .replace(/[^A-Za-z0-9]+/g, "-");
  return s || "home";
}

/** The flags Chromium needs here (no sandbox as root, no GPU, nothing fetched in the background). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--font-render-hinting=none",
];
