import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript } from "../support/cli";

/**
 * scripts/serverRollback.ts, the emergency path on the server itself, run as a person types it: every flag is checked
 * before the lock, exit 2 with one line that says the fix, no stack trace, and the deploy base untouched.
 */
describe("serverRollback.ts flags", () => {
  let root: string;
  let base: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "server-flags-"));
    base = join(root, "base");
    mkdirSync(base);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    [["--to", "../x"], /is not a release id/],
    [["--to", "20261126T231501Z-3520442/../../etc"], /is not a release id/],
    [["--bogus"], /Unknown option '--bogus'; usage: npx tsx scripts\/serverRollback\.ts/],
  ])(
    "serverRollback.ts %j: exit 2 with the fix, before the lock",
    async (extra, message) => {
      const r = await runScript("serverRollback.ts", ["--base", base, ...extra]);
      expect(r.output).toMatch(message);
      expect(r.output).not.toMatch(/\n\s+at /);
      expect(r.exitCode).toBe(2);
      expect(readdirSync(base)).toEqual([]);
    },
    60_000,
  );
});
