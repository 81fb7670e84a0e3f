/**
 * The planted findings of the quality tests, written into a temp copy of the example app: one per scanner, so each
 * check is seen red on it (test/integration/host/quality.test.ts) and its real output captured
 * (test/fixtures/quality/capture.ts).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Plant a shell=True for bandit (backend/app/planted.py:5) and an eval for the ESLint security rules. */
export function plantSastFindings(dir: string): void {
  writeFileSync(
    join(dir, "backend/app/planted.py"),
    "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n",
  );
  writeFileSync(
    join(dir, "frontend/lib/planted.ts"),
    "export function run(code: string): unknown {\n  return eval(code);\n}\n",
  );
}

/** Plant the advised versions: lodash 4.17.20 in the frontend's package-lock.json, requests 2.19.0 in its uv.lock. */
export function plantVulnerableLocks(dir: string): void {
  const lockFile = join(dir, "frontend/package-lock.json");
  const lock = JSON.parse(readFileSync(lockFile, "utf8")) as { packages: Record<string, Record<string, unknown>> };
  (lock.packages[""].dependencies as Record<string, string>).lodash = "4.17.20";
  lock.packages["node_modules/lodash"] = {
    version: "4.17.20",
    resolved: "https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz",
    license: "MIT",
  };
  writeFileSync(lockFile, JSON.stringify(lock, null, 2));
  const uvLock = join(dir, "backend/uv.lock");
  const text = readFileSync(uvLock, "utf8").replace(
    'dependencies = [\n    { name = "fastapi" },',
    'dependencies = [\n    { name = "fastapi" },\n    { name = "requests" },',
  );
  writeFileSync(
    uvLock,
    `${text}\n[[package]]\nname = "requests"\nversion = "2.19.0"\nsource = { registry = "https://pypi.org/simple" }\n`,
  );
}

/** Plant a GitHub token made now (no committed file holds one) at backend/app/settings_local.py:3; returns it. */
export function plantGithubToken(dir: string): string {
  const token = `ghp_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x").slice(0, 36)}`;
  writeFileSync(join(dir, "backend/app/settings_local.py"), `"""Local settings."""\n\nGITHUB_TOKEN = "${token}"\n`);
  return token;
}

/** Plant an image without alt text on the home page (axe: critical image-alt), as the host E2E quality test does. */
export function plantMissingAlt(frontend: string): void {
  const page = join(frontend, "app/page.tsx");
  writeFileSync(
    page,
    readFileSync(page, "utf8").replace(
      '<h1 data-testid="home-title">',
      '{/* eslint-disable-next-line @next/next/no-img-element */}<img src="/pixel.png" width={1} height={1} />\n      <h1 data-testid="home-title">',
    ),
  );
  writeFileSync(
    join(frontend, "public/pixel.png"),
    Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    ),
  );
}
