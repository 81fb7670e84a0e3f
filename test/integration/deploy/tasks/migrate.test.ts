import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAfterSwitch, defaultHealthPolicy } from "../../../../ci/src/plan/deploy/stage";
import type { DeployContext } from "../../../../scripts/deploy/context";
import { DeployInterrupted } from "../../../../scripts/deploy/interrupted";
import { localRemote, RemoteError } from "../../../../scripts/deploy/remote";
import { migrate } from "../../../../scripts/deploy/tasks/migrate";
import { confineWrapper } from "../../../../scripts/host/staging/configs";

/**
 * deploy.migrate is repository code run under the deploy lock, and a signal does not cut it (a migration stopped
 * midway leaves the database half-migrated). One that never ends (waiting on a database lock, or a prompt) held the
 * lock for ever, and a cancelled job's SIGTERM waited on it until the SIGKILL that leaves the lock. Real bash on this
 * machine (the server's side of the task, as scripts/serverDeploy.ts runs it), a real `sleep` as the migration.
 */
/** A deploy context whose migrate task runs `migrate` for release `id` under `base` with this machine's bash. */
function migrateContext(o: {
  base: string;
  id: string;
  migrate: string;
  migrateTimeoutSeconds: number;
  abort?: AbortSignal;
  log?: (s: string) => void;
  confine?: string;
}): DeployContext {
  return {
    remote: localRemote(),
    base: o.base,
    plan: {
      releaseId: o.id,
      commit: "1234567",
      keep: 5,
      health: defaultHealthPolicy(),
      afterSwitch: { ...defaultAfterSwitch(), migrate: o.migrate, migrateTimeoutSeconds: o.migrateTimeoutSeconds },
    },
    artifactDir: "",
    secrets: {},
    by: "test",
    log: o.log ?? (() => {}),
    server: {
      path: "/usr/bin",
      pm2Home: join(o.base, "pm2"),
      pm2: "pm2",
      ...(o.confine ? { confine: o.confine } : {}),
      publicPort: 80,
      frontendPorts: [3000],
      backendPorts: [8000],
    },
    abort: o.abort,
    state: { locked: true, created: true, switched: false },
  };
}

const HUNG = "20261206T000000Z-1234567";
const QUICK = "20261206T000001Z-7654321";

describe("the migrate task's time bound", () => {
  let base: string;
  const lines: string[] = [];
  const ctx = (id: string, migrate: string, migrateTimeoutSeconds: number, abort?: AbortSignal) =>
    migrateContext({ base, id, migrate, migrateTimeoutSeconds, abort, log: (s) => lines.push(s) });

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), "migrate-bound-"));
    for (const id of [HUNG, QUICK]) mkdirSync(join(base, "releases", id), { recursive: true });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("stops a migration that runs past deploy.migrateTimeoutSeconds, naming the key, and records no run", async () => {
    const started = Date.now();
    const run = migrate(ctx(HUNG, "sleep 30 & sleep 30; wait", 2));
    await expect(run).rejects.toThrow(RemoteError);
    await expect(run).rejects.toThrow(
      /ran longer than 2 s \(deploy\.migrateTimeoutSeconds\) and was stopped.*previous release still serves/s,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(existsSync(join(base, `.dep/migrations/${HUNG}.done`))).toBe(false);
  }, 45_000);

  it("lets a migration within its bound finish, and says at a signal that it waits for it and how long at most", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DeployInterrupted("SIGTERM")), 300);
    await migrate(ctx(QUICK, "sleep 1", 60, controller.signal));
    expect(lines.join("\n")).toMatch(
      /migrate: waiting for the migration to end \(at most 60 s, deploy\.migrateTimeoutSeconds\)/,
    );
    expect(existsSync(join(base, `.dep/migrations/${QUICK}.done`))).toBe(true);
  }, 30_000);
});

/**
 * Where server.json names a `confine` (the bundled staging server's: real bubblewrap, the server's folder read-only but
 * the release), the whole migration runs under it: still stopped whole at its bound, and writing only its release.
 */
describe("the migrate task, confined", () => {
  const HUNG = "20261206T000002Z-2345678";
  const WRITES = "20261206T000003Z-3456789";
  const BASE_WRITE = "20261206T000004Z-4567890";
  let base: string;
  const ctx = (id: string, migrate: string, migrateTimeoutSeconds = 60) =>
    migrateContext({ base, id, migrate, migrateTimeoutSeconds, confine: join(base, "bin/confine") });

  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), "migrate-confined-")));
    for (const id of [HUNG, WRITES, BASE_WRITE]) mkdirSync(join(base, "releases", id), { recursive: true });
    mkdirSync(join(base, "bin"));
    const flags = ["bwrap", "--dev-bind", "/", "/", "--unshare-pid", "--proc", "/proc", "--ro-bind", base, base];
    const wrapper = confineWrapper({ releases: join(base, "releases"), flags });
    writeFileSync(join(base, "bin/confine"), wrapper, { mode: 0o755 });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("stops a migration that runs past its bound, every process of it, and records no run", async () => {
    const run = migrate(ctx(HUNG, "sleep 31.25 & sleep 31.25; wait", 2));
    await expect(run).rejects.toThrow(/ran longer than 2 s \(deploy\.migrateTimeoutSeconds\) and was stopped/);
    expect(spawnSync("pgrep", ["-f", "sleep 31.25"]).status, "no sleep of it is left").toBe(1);
    expect(existsSync(join(base, `.dep/migrations/${HUNG}.done`))).toBe(false);
  }, 45_000);

  it("writes into its release, not into the rest of the base, and the run is recorded", async () => {
    await migrate(ctx(WRITES, 'echo "$RELEASE_ID" > "$DEPLOY_BASE/releases/$RELEASE_ID/migrated"'));
    expect(readFileSync(join(base, "releases", WRITES, "migrated"), "utf8")).toBe(`${WRITES}\n`);
    expect(existsSync(join(base, `.dep/migrations/${WRITES}.done`))).toBe(true);
    const run = migrate(ctx(BASE_WRITE, 'echo x >> "$DEPLOY_BASE/migrations.log"'));
    await expect(run).rejects.toThrow(/migrations\.log: Read-only file system/);
    expect(existsSync(join(base, "migrations.log"))).toBe(false);
  }, 45_000);
});

describe("what a failing migration prints", () => {
  let base: string;
  const ID = "20261206T000002Z-abcdef0";
  // A value an earlier deploy wrote to shared/env and this run was not given: the runner cannot redact what it does
  // not know, so the server's side hides every value in shared/env (whole, each line, trimmed) before it is shown.
  const STALE = ` st4le "q" $HOME x\nsecond-line 'v' `;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), "migrate-redact-"));
    mkdirSync(join(base, "releases", ID), { recursive: true });
    mkdirSync(join(base, "shared", "env"), { recursive: true });
    writeFileSync(join(base, "shared", "env", "API_KEY"), STALE, { mode: 0o600 });
    writeFileSync(join(base, "shared", "env", "SHORT"), "ab", { mode: 0o600 });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("hides every shared/env value, even one this run was not given, and keeps the rest of the output", async () => {
    const cmd = 'echo "connecting with $API_KEY"; printf "%s\\n" "$API_KEY" >&2; echo "ab stays"; exit 3';
    const err = await migrate(migrateContext({ base, id: ID, migrate: cmd, migrateTimeoutSeconds: 30 })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RemoteError);
    const shown = String((err as Error).message);
    for (const part of [STALE, STALE.trim(), 'st4le "q" $HOME x', "second-line 'v'"]) expect(shown).not.toContain(part);
    expect(shown).toMatch(/connecting with +\*\*\* *\n/);
    expect(shown).toContain("ab stays");
    expect(existsSync(join(base, `.dep/migrations/${ID}.done`))).toBe(false);
  });

  /**
   * The eleventh hostile run: the runner hides a secret's URL-encoded forms too (a password in a connection URL a
   * driver logs is percent-encoded), but the server's side hid a stale shared/env value only as written.
   */
  it("hides a stale shared/env value's URL-encoded forms too, as the runner hides a secret's", async () => {
    const PASSWORD = "p@ss w/rd+é(1)";
    writeFileSync(join(base, "shared", "env", "DB_PASSWORD"), PASSWORD, { mode: 0o600 });
    try {
      const cmd =
        "node -e 'const p = process.env.DB_PASSWORD; console.log(`url postgresql://u:${encodeURIComponent(p)}@db/x`); console.log(`uri ${encodeURI(p)}`)'; exit 3";
      const err = await migrate(migrateContext({ base, id: ID, migrate: cmd, migrateTimeoutSeconds: 30 })).then(
        () => undefined,
        (e: unknown) => e,
      );
      const shown = String((err as Error).message);
      expect(shown).toContain("url postgresql://u:***@db/x");
      expect(shown).toContain("uri ***");
      for (const f of [encodeURIComponent(PASSWORD), encodeURI(PASSWORD)]) expect(shown).not.toContain(f);
    } finally {
      rmSync(join(base, "shared", "env", "DB_PASSWORD"));
    }
  });
});
