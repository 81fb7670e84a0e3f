import { execFileSync } from "node:child_process";
import { utimesSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { EXAMPLE } from "./example";

/**
 * Give a copy of the example the example's installed frontend packages as hard links (same
 * filesystem, a second instead of `npm ci`'s ~40 s), marked as installed after the lockfile.
 */
export function linkFrontendDeps(copyDir: string): void {
  execFileSync("cp", ["-al", join(EXAMPLE, "frontend/node_modules"), join(copyDir, "frontend/node_modules")]);
  const now = new Date(Date.now() + 1000);
  utimesSync(join(copyDir, "frontend/node_modules/.package-lock.json"), now, now);
}

/** What a webhook receiver got: the raw body and the URL path of each POST. */
export interface Received {
  path: string;
  body: string;
}

/** A local HTTP receiver for Slack/Discord-style webhooks, storing every POST it gets. */
export async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A spec that fails on its first attempt and passes on the retry: a marker file remembers the attempt. */
export function flakySpec(marker: string): string {
  return `import { expect, test } from "@playwright/test";
import { existsSync, writeFileSync } from "node:fs";

test("passes only on the retry", { tag: "@smoke" }, async ({ page }) => {
  await page.goto("/");
  const first = !existsSync(${JSON.stringify(marker)});
  if (first) writeFileSync(${JSON.stringify(marker)}, "attempt 1");
  expect(first, "first attempt fails on purpose").toBe(false);
});
`;
}

/** A spec that always fails. */
export const BROKEN_SPEC = `import { expect, test } from "@playwright/test";

test("expects a heading that is not there", { tag: "@smoke" }, async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("no-such-heading")).toBeVisible({ timeout: 1000 });
});
`;
