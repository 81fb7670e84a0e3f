import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkArtifact } from "../../../../scripts/host/artifact";
import { InputError } from "../../../../ci/src/plan/errors";
import { sourceAndConfig } from "../../../../scripts/host/cli/options";
import { buildProgram } from "../../../../scripts/host/cli/program";

/** The options deploy-staging's action would receive; its action is replaced, so nothing runs. */
async function parsed(args: string[]): Promise<Record<string, unknown>> {
  let opts: Record<string, unknown> = {};
  const program = buildProgram(() => {});
  for (const c of program.commands) c.action((o: Record<string, unknown>) => void (opts = o));
  await program.parseAsync(args, { from: "user" });
  return opts;
}

/** The message of what `fn` throws, or "" when it throws nothing. */
async function messageOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

describe("path flags a careless or hostile user passes", () => {
  const dir = mkdtempSync(join(tmpdir(), "cli-paths-"));
  writeFileSync(join(dir, "a file"), "");
  mkdirSync(join(dir, "with space"));
  const release = join(dir, "a release");
  mkdirSync(join(release, "frontend"), { recursive: true });
  mkdirSync(join(release, "backend"));
  writeFileSync(join(release, "frontend/server.js"), "");
  writeFileSync(join(release, "ecosystem.config.cjs"), "");
  symlinkSync(release, join(dir, "link"));

  it("refuses --artifact that does not exist while parsing, before the config or the server", async () => {
    await expect(parsed(["deploy-staging", "--artifact", join(dir, "none")])).rejects.toThrow(InputError);
    await expect(parsed(["deploy-staging", "--artifact", join(dir, "none")])).rejects.toThrow(
      /none is not a directory\. Fix: .*buildArtifact/,
    );
  });

  it("refuses --artifact that is not a release (no Next standalone server.js)", async () => {
    await expect(parsed(["deploy-staging", "--artifact", join(dir, "with space")])).rejects.toThrow(
      /with space has no frontend\/server\.js/,
    );
  });

  it("refuses --artifact naming a file, asking for a directory", async () => {
    await expect(parsed(["deploy-production", "--artifact", join(dir, "a file")])).rejects.toThrow(
      /--artifact .*a file is not a directory/,
    );
  });

  it("takes --artifact with spaces or through a link as the real directory", async () => {
    const real = realpathSync(release);
    expect((await parsed(["deploy-staging", "--artifact", release])).artifact).toBe(real);
    expect((await parsed(["deploy-staging", "--artifact", join(dir, "link")])).artifact).toBe(real);
  });

  it("writes a newline or an escape in a path as \\x0a / \\x1b, on one line", async () => {
    const messages = [
      await messageOf(() => parsed(["deploy-staging", "--artifact", join(dir, "no\nsuch\x1b[2J")])),
      await messageOf(() => parsed(["fast-tests", "--source", join(dir, "no\nsuch")])),
      await messageOf(() => sourceAndConfig({ source: dir, config: "ci\n/x.yaml" })),
      await messageOf(() => checkArtifact(join(dir, "no\nsuch"))),
    ];
    for (const m of messages) {
      expect(m).toMatch(/\\x0a/);
      // eslint-disable-next-line no-control-regex -- the point is that none is left
      expect(m).not.toMatch(/[\x00-\x1f]/);
    }
  });

  it.each([
    ["fast-tests", "--source"],
    ["deploy-staging", "--artifact"],
    ["end-to-end-shard", "--out"],
  ])("refuses an empty %s %s (an unset variable) instead of acting on the current folder", async (cmd, flag) => {
    await expect(parsed([cmd, `${flag}=`])).rejects.toThrow(`${flag} "" is empty (an unset variable?); pass a path`);
  });

  it("refuses an empty or blank --config, naming it", async () => {
    expect(await messageOf(() => sourceAndConfig({ source: dir, config: "" }))).toMatch(/--config "" is empty/);
    expect(await messageOf(() => sourceAndConfig({ source: dir, config: " " }))).toMatch(/--config " " is empty/);
  });
});

describe("a file flag naming a FIFO or a device (a read or a write that would wait for ever)", () => {
  const dir = mkdtempSync(join(tmpdir(), "cli-special-"));
  const fifo = join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  writeFileSync(join(dir, "releases.jsonl"), "");

  it.each([
    [["plan", "--event-file", fifo], /--event-file .*fifo is not a regular file \(a FIFO\)/],
    [["fast-tests", "--event-file", "/dev/zero"], /--event-file \/dev\/zero is not a regular file \(a device\)/],
    [["metrics", "--release-log", fifo], /--release-log .*fifo is not a regular file \(a FIFO\)/],
    [["end-to-end", "--timings", "/dev/zero"], /--timings \/dev\/zero is not a regular file/],
    [["metrics", "--release-log", join(dir, "releases.jsonl"), "--html", fifo], /--html .*fifo is not a regular file/],
  ])("refuses %j while parsing", async (args, message) => {
    await expect(parsed(args)).rejects.toThrow(InputError);
    await expect(parsed(args)).rejects.toThrow(message);
  });
});
