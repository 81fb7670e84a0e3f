import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { $ } from "zx";
import { findPython, pyenvPython, uvBroken } from "../../../scripts/host/python";
import { probeSandbox } from "../../../scripts/host/sandbox";
import { TOOLS_BIN } from "../../../scripts/host/stage";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "python-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("pyenvPython", () => {
  it("picks the newest install of the minor that has its pythonX.Y binary", () => {
    const root = tmp();
    for (const v of ["3.13.0", "3.13.10", "3.13.2", "3.12.9", "3.130.1"]) {
      mkdirSync(join(root, "versions", v, "bin"), { recursive: true });
      if (v !== "3.13.10")
        writeFileSync(join(root, "versions", v, "bin", `python${v.split(".").slice(0, 2).join(".")}`), "");
    }
    expect(pyenvPython("3.13", root)).toBe(join(root, "versions", "3.13.2", "bin", "python3.13"));
    expect(pyenvPython("3.11", root)).toBeUndefined();
    expect(pyenvPython("3.13", join(root, "nowhere"))).toBeUndefined();
  });
});

describe("findPython", () => {
  const env = { ...process.env, PATH: [TOOLS_BIN, process.env.PATH].join(delimiter) };

  it("finds a real CPython 3.13 that reports 3.13, from any directory", async () => {
    const path = await findPython("3.13", env);
    expect(path).toBeDefined();
    const out = await $({ quiet: true })`${path!} -c ${"import sys; print('%d.%d' % sys.version_info[:2])"}`;
    expect(out.stdout.trim()).toBe("3.13");
  });

  it("returns undefined for a version this machine does not have", async () => {
    expect(await findPython("3.99", env)).toBeUndefined();
  });
});

describe.runIf(probeSandbox().ok)("findPython, with an interpreter a repository command planted", () => {
  /**
   * The eighth hostile run: `uv python find` runs every interpreter it considers to ask its version, and it considers
   * uv's managed ones under ~/.local/share/uv/python (and pyenv's, through the shims on PATH), which a confined
   * repository command can write. The runner asked with its own environment, so the planted one read its secrets.
   */
  it("asks as a repository command: confined, with the allow-listed environment only", async () => {
    const root = tmp();
    const home = join(root, "home");
    const said = join(root, "said");
    const bin = join(home, ".local/share/uv/python/cpython-3.13.99-linux-x86_64-gnu/bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "python3.13"), `#!/bin/sh\necho "[$RUNNER_SECRET_CANARY]" >> '${said}'\nexit 1\n`);
    chmodSync(join(bin, "python3.13"), 0o755);
    symlinkSync("python3.13", join(bin, "python3"));
    symlinkSync("python3.13", join(bin, "python"));
    const runner = {
      ...process.env,
      PATH: [TOOLS_BIN, process.env.PATH].join(delimiter),
      HOME: home,
      XDG_DATA_HOME: undefined,
      UV_PYTHON_INSTALL_DIR: undefined,
      RUNNER_SECRET_CANARY: "s3cr3t",
    };
    await findPython("3.13", runner);
    // The interpreter was asked (so the test plants where uv looks), and never with the secret.
    expect(readFileSync(said, "utf8")).toContain("[]");
    expect(readFileSync(said, "utf8")).not.toContain("s3cr3t");
  });
});

describe("uvBroken", () => {
  const shim = join(process.env.PYENV_ROOT ?? join(homedir(), ".pyenv"), "shims", "uv");

  it.skipIf(!existsSync(shim))("reports pyenv's message when the uv on PATH is a shim for another Python", async () => {
    const dir = tmp();
    writeFileSync(join(dir, ".python-version"), "3.13\n");
    const shimsOnly = { ...process.env, PATH: [join(shim, ".."), "/usr/bin", "/bin"].join(delimiter) };
    expect(await uvBroken(shimsOnly, dir)).toMatch(/pyenv: uv: command not found/);
    const realFirst = { ...process.env, PATH: [TOOLS_BIN, shimsOnly.PATH].join(delimiter) };
    expect(await uvBroken(realFirst, dir)).toBeUndefined();
  });

  it("reports a uv that exits non-zero", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "uv"), "#!/bin/sh\necho 'uv: broken install' >&2\nexit 3\n");
    chmodSync(join(dir, "uv"), 0o755);
    expect(await uvBroken({ ...process.env, PATH: `${dir}${delimiter}/usr/bin:/bin` }, dir)).toBe("uv: broken install");
  });
});
