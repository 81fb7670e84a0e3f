import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../ci/src/plan/config/error";
import { readConfig } from "../../../scripts/host/config";

/** The host adapter over a real temp folder: the flow's cases are in test/unit/flow/config.test.ts. */
describe("readConfig (host)", () => {
  const repo = () => {
    const dir = mkdtempSync(join(tmpdir(), "cfg-"));
    mkdirSync(join(dir, "frontend"));
    mkdirSync(join(dir, "backend"));
    return dir;
  };

  it("reads pipeline.yaml from the source root", async () => {
    const dir = repo();
    mkdirSync(join(dir, "web"));
    writeFileSync(join(dir, "pipeline.yaml"), "frontend:\n  path: web\n");
    expect((await readConfig(dir)).frontend.path).toBe("web");
  });

  it("reads the Python version from the backend's .python-version", async () => {
    const dir = repo();
    writeFileSync(join(dir, "backend/.python-version"), "3.12\n");
    expect((await readConfig(dir)).backend.pythonVersion).toBe("3.12");
  });

  it("fails on a configured path that is not in the folder", async () => {
    const dir = repo();
    writeFileSync(join(dir, "pipeline.yaml"), "backend:\n  path: api\n");
    await expect(readConfig(dir)).rejects.toThrow(/`backend\.path` points at "api", which is not in the source/);
  });

  it.each(["frontend", "backend"])(
    "refuses %s.path naming a file, not a folder, with exit 2 (before: the job's first step crashed with a TypeError)",
    async (half) => {
      const dir = repo();
      writeFileSync(join(dir, `${half}/afile`), "");
      writeFileSync(join(dir, "pipeline.yaml"), `${half}:\n  path: ${half}/afile\n`);
      await expect(readConfig(dir)).rejects.toThrow(ConfigError);
      await expect(readConfig(dir)).rejects.toThrow(
        new RegExp(`\`${half}\\.path\` points at "${half}/afile", which is a file, not a folder`),
      );
    },
  );

  it("refuses a pipeline.yaml that is not UTF-8, naming the line (not read as U+FFFD)", async () => {
    const dir = repo();
    writeFileSync(join(dir, "pipeline.yaml"), Buffer.from([...Buffer.from("# caf"), 0xe9, 0x0a]));
    await expect(readConfig(dir)).rejects.toThrow(ConfigError);
    await expect(readConfig(dir)).rejects.toThrow(
      /pipeline\.yaml: is not UTF-8 text: byte 0xe9 at offset 5 \(line 1\)/,
    );
  });

  it("refuses a pipeline.yaml that is a FIFO instead of blocking on it for ever", async () => {
    const dir = repo();
    execFileSync("mkfifo", [join(dir, "pipeline.yaml")]);
    await expect(readConfig(dir)).rejects.toThrow(/pipeline\.yaml: is not a regular file \(a FIFO/);
  }, 5_000);

  it("reads past a package.json that is a FIFO (a fact it then does without)", async () => {
    const dir = repo();
    execFileSync("mkfifo", [join(dir, "frontend/package.json")]);
    expect((await readConfig(dir)).frontend.path).toBe("frontend");
  }, 5_000);

  it("refuses a pipeline.yaml over 1 MiB by its size, before reading it (a sparse 10 GiB file)", async () => {
    const dir = repo();
    writeFileSync(join(dir, "pipeline.yaml"), "");
    truncateSync(join(dir, "pipeline.yaml"), 10 * 1024 ** 3);
    const started = Date.now();
    await expect(readConfig(dir)).rejects.toThrow(
      "input error: pipeline.yaml: is 10737418240 bytes, more than the 1048576 (1 MiB) a config file may hold. Fix: ",
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("fails when an explicitly named config file is absent, naming the folder", async () => {
    const dir = repo();
    await expect(readConfig(dir, "ci/other.yaml")).rejects.toThrow(`ci/other.yaml: is not in ${dir}`);
  });

  it("fails with an input error, not a crash, when --config names a folder", async () => {
    const dir = repo();
    await expect(readConfig(dir, "frontend")).rejects.toThrow(/frontend: cannot be read from/);
  });

  it("refuses a configured path that is a link leading outside the folder, naming the key", async () => {
    const dir = repo();
    const elsewhere = mkdtempSync(join(tmpdir(), "cfg-elsewhere-"));
    rmSync(join(dir, "frontend"), { recursive: true });
    symlinkSync(elsewhere, join(dir, "frontend"));
    await expect(readConfig(dir)).rejects.toThrow(
      /pipeline\.yaml: `frontend\.path` points at "frontend", a link that leads outside the repository\. Fix: set/,
    );
  });

  it("accepts a link that stays inside the folder", async () => {
    const dir = repo();
    mkdirSync(join(dir, "apps/web"), { recursive: true });
    symlinkSync(join(dir, "apps/web"), join(dir, "web"));
    writeFileSync(join(dir, "pipeline.yaml"), "frontend:\n  path: web\n");
    expect((await readConfig(dir)).frontend.path).toBe("web");
  });

  it("refuses a pipeline.yaml that links to a file outside the folder, before reading it", async () => {
    const dir = repo();
    const secret = join(mkdtempSync(join(tmpdir(), "cfg-secret-")), "key");
    writeFileSync(secret, "not: [yaml\nSECRET-VALUE\n");
    symlinkSync(secret, join(dir, "pipeline.yaml"));
    const load = readConfig(dir);
    await expect(load).rejects.toThrow(/pipeline\.yaml: is a link to a file outside .*Fix: replace the link/);
    await expect(load).rejects.not.toThrow(/SECRET-VALUE|not valid YAML/);
  });

  it.skipIf(process.getuid?.() === 0)("fails with an input error when the file is unreadable", async () => {
    const dir = repo();
    writeFileSync(join(dir, "pipeline.yaml"), "{}\n");
    chmodSync(join(dir, "pipeline.yaml"), 0);
    await expect(readConfig(dir)).rejects.toThrow(/pipeline\.yaml: cannot be read from/);
  });
});
