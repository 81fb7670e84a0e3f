import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { confineWrapper } from "../../../../scripts/host/staging/configs";

/**
 * The bundled staging server's `confine`, run for real with a stand-in for bubblewrap that prints what it was given:
 * the release the command runs in is the one folder it binds writable, and a command run anywhere else is refused.
 */
describe("confineWrapper", () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "confine-")));
  const releases = join(root, "base/releases");
  const id = "20260101T000000Z-abcdef0";
  for (const d of [`${releases}/${id}/backend`, `${root}/base/shared`, `${root}/base/releases-other/x`])
    mkdirSync(d, { recursive: true });
  const bwrap = join(root, "bwrap");
  writeFileSync(bwrap, '#!/usr/bin/env bash\nprintf "%s\\n" "$@"\n', { mode: 0o755 });
  const wrapper = join(root, "confine");
  writeFileSync(wrapper, confineWrapper({ releases, flags: [bwrap, "--unshare-pid", "it's"] }), { mode: 0o755 });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const run = (cwd: string) => spawnSync(wrapper, ["uv", "sync"], { cwd, encoding: "utf8" });

  it("binds the release it is called in writable and runs the command there, ended with its caller", () => {
    const r = run(join(releases, id, "backend"));
    expect(r.status, r.stderr).toBe(0);
    const rel = join(releases, id);
    expect(r.stdout.split("\n").filter(Boolean)).toEqual([
      "--unshare-pid",
      "it's",
      ...["--bind", rel, rel, "--die-with-parent", "--chdir", join(rel, "backend"), "--", "uv", "sync"],
    ]);
  });

  it("finds the release through a link to it", () => {
    const link = join(root, "link");
    symlinkSync(join(releases, id), link);
    const r = run(link);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`--chdir\n${join(releases, id)}\n`);
  });

  it.each([
    ["the base", "base"],
    ["its shared folder", "base/shared"],
    ["the releases folder itself", "base/releases"],
    ["a folder whose name only starts like it", "base/releases-other/x"],
  ])("refuses to run in %s, where it would bind more than a release", (_, dir) => {
    const r = run(join(root, dir));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^confine: .* is not in a release under .*base\/releases\n$/);
  });
});
