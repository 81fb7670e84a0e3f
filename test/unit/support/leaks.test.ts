import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { filesHolding } from "../../support/leaks";

/** test/support/leaks.ts: the leak scan finds a secret in any file but the deploy's own secret store. */
describe("filesHolding", () => {
  const root = mkdtempSync(join(tmpdir(), "leaks-"));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("names each file holding a needle, deep or hidden, and skips shared/env, node_modules and symlinks", () => {
    for (const d of ["base/shared/env", "base/.dep", "pm2/logs", "base/releases/r1/node_modules/p"])
      mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, "base/shared/env/DATABASE_URI"), "mongodb://x?q'uo\nsecond line");
    writeFileSync(join(root, "base/.dep/releases.jsonl"), '{"reason":"a second line"}\n');
    writeFileSync(join(root, "pm2/logs/api-out.log"), "started with q'uo\n");
    writeFileSync(join(root, "base/releases/r1/node_modules/p/index.js"), "q'uo");
    writeFileSync(join(root, "clean.log"), "nothing here\n");
    symlinkSync(join(root, "base/shared/env/DATABASE_URI"), join(root, "link"));
    expect(filesHolding(root, ["q'uo", "second line"])).toEqual(["base/.dep/releases.jsonl", "pm2/logs/api-out.log"]);
    expect(filesHolding(root, ["absent"])).toEqual([]);
  });
});
