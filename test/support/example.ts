import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const EXAMPLE = join(ROOT, "examples/app");

const SKIP = new Set([
  "node_modules",
  ".next",
  ".venv",
  "coverage",
  "__pycache__",
  ".pytest_cache",
  "junit.xml",
  "coverage.xml",
  ".coverage",
  "test-results",
  "playwright-report",
  "blob-report",
  ".e2e",
  "e2e-junit.xml",
  "next-env.d.ts",
]);

/** Copy the example app into a temp dir as a fresh clone would have it (no installs, no build output). */
export function copyExample(): { dir: string; remove(): void } {
  const dir = join(mkdtempSync(join(tmpdir(), "example-")), "app");
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !SKIP.has(basename(src)) });
  return { dir, remove: () => rmSync(dirname(dir), { recursive: true, force: true }) };
}
