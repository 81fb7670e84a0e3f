import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $ } from "zx";
import { startStagingServer, stopStagingServer, type StagingServer } from "../../../../scripts/host/staging/server";

/**
 * The bundled staging server stands for another machine, but runs as the runner's user. The eighth hostile run: its
 * sessions (the deploy's tasks: `uv sync`, curl's health probes, node, PM2) had the user's own home, where a confined
 * repository command may write: a ~/.curlrc the health probes read, an interpreter in uv's managed Pythons or a
 * poisoned package in uv's cache that the deploy's `uv sync` installs into the staging release. Now they have a home
 * of their own, in the server's folder (under .pipeline, read-only to repository commands, by default).
 */
describe("the bundled staging server's sessions", () => {
  let root: string;
  let s: StagingServer;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "staging-home-"));
    s = await startStagingServer(join(root, "staging"));
  }, 60_000);
  afterAll(async () => {
    if (s) await stopStagingServer(s.dir);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it("have a home of their own in the server's folder, not the runner's", async () => {
    const known = join(root, "known_hosts");
    writeFileSync(known, `${s.knownHosts}\n`);
    const user = process.env.USER || "root";
    const r = await $({
      quiet: true,
      nothrow: true,
    })`ssh -F /dev/null -i ${s.keyFile} -o ${`UserKnownHostsFile=${known}`} -p ${s.sshPort} ${`${user}@127.0.0.1`} ${'printf "%s\\n" "$HOME" ~'}`;
    expect(r.exitCode, r.stderr).toBe(0);
    const home = join(s.dir, "home");
    expect(r.stdout.split("\n").slice(0, 2)).toEqual([home, home]);
    expect(statSync(home).isDirectory()).toBe(true);
  });
});
