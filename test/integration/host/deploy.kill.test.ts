import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $ } from "zx";
import { tinyStaging, type TinyStaging } from "../../support/tinyStaging";
import { keyCopyDirs } from "../../../scripts/host/target";

/**
 * A deploy killed with SIGKILL at each step (nothing can clean up: the runner dies), while a second deploy races it
 * for the lock, on the real loopback staging server with the tiny release. Each time: the second deploy is refused
 * while the first holds the lock; after the kill the lock stays, the next deploy names it and prints the unlock
 * command, which works as typed; a retry then deploys, `current` is the new release and nginx serves it, and no copy
 * of the SSH key outlives the killed run once the next run has started.
 */
describe("deploys killed with SIGKILL at each step, with a concurrent deploy", () => {
  let t: TinyStaging;
  let key: string;
  let n = 0;
  const commit = () => `${String(++n).padStart(7, "a")}beef`;

  beforeAll(async () => {
    t = await tinyStaging();
    key = readFileSync(t.s.keyFile, "utf8");
    writeFileSync(
      join(t.repo.source, "watch.yaml"),
      "deploy:\n  health: { attempts: 4, intervalSeconds: 1 }\n  watch: { windowSeconds: 120 }\n",
    );
    const r = await t.deploy(commit());
    expect(r.exitCode, r.output).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  /** The temp dirs under tmpdir() that still hold a copy of this server's private key. */
  const keyCopies = () =>
    keyCopyDirs(tmpdir()).filter((d) => {
      try {
        return readFileSync(join(d, "key"), "utf8").trim() === key.trim();
      } catch {
        return false;
      }
    });

  const steps: [string, () => { artifact?: string; args?: string[]; at: RegExp }][] = [
    [
      "upload",
      () => ({ artifact: t.variant("big", { "frontend/public/big.bin": randomBytes(64 << 20) }), at: /task upload/ }),
    ],
    ["install", () => ({ at: /task install/ })],
    ["switch", () => ({ at: /task switch/ })],
    ["health", () => ({ artifact: t.variant("stall", { "frontend/stall-health": "" }), at: /task health/ })],
    ["watch", () => ({ args: ["--config", "watch.yaml"], at: /watch: 120 s of real traffic/ })],
  ];

  it.each(steps)(
    "at %s",
    async (step, setup) => {
      const before = t.currentId();
      const { artifact, args, at } = setup();
      const first = t.start(commit(), artifact, args);
      await first.waitFor(/task release/);
      const second = t.deploy(commit());
      await first.waitFor(at);
      process.kill(-first.pid, "SIGKILL");
      await first.done;

      const refused = await second;
      expect(refused.stderr, "the concurrent deploy").toMatch(/Deploy locked by \S+ pid \d+ since \S+/);
      expect(refused.exitCode).toBe(1);
      expect(t.locked(), "a SIGKILL leaves the lock: nothing runs after it").toBe(true);
      if (["upload", "install"].includes(step)) {
        expect(t.currentId()).toBe(before);
        expect(await t.serving()).toBe(before);
      }

      const blocked = await t.deploy(commit());
      expect(blocked.exitCode).toBe(1);
      const unlock = /unlock with:\n\s+(.+)/.exec(blocked.stderr)?.[1];
      expect(unlock, blocked.stderr).toMatch(/^ssh -i /);
      const typed = await $({ quiet: true, nothrow: true })`bash -c ${unlock!}`;
      expect(typed.exitCode, typed.stderr).toBe(0);
      expect(t.locked()).toBe(false);
      expect(keyCopies(), "the killed run's key copy is removed by the runs after it").toEqual([]);

      const retry = await t.deploy(commit());
      expect(retry.exitCode, retry.output).toBe(0);
      expect(t.currentId()).toMatch(new RegExp(`-${"a".repeat(7 - String(n).length)}${n}$`));
      expect(await t.serving()).toBe(t.currentId());
      expect(t.locked()).toBe(false);
      expect(t.log()).toContainEqual(expect.objectContaining({ id: t.currentId(), status: "deployed" }));
    },
    240_000,
  );
});
