import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../../ci/src/dagger/config";
import { ConfigError } from "../../../ci/src/plan/config/error";
import { startRecorder, type Recording } from "../../support/recorder";

/**
 * The Dagger adapter of config loading, over the real SDK client and a recording that answers `entries` and
 * `contents` from a real folder: the flow's cases are in test/unit/flow/config.test.ts.
 */
describe("readConfig (Dagger, recorded GraphQL requests)", () => {
  let rec: Recording;
  let dir: string;
  const saved = { ...process.env };
  const inConnection = async <T>(f: (d: import("@dagger.io/dagger").Directory) => Promise<T>): Promise<T> => {
    const { connection, dag } = await import("@dagger.io/dagger");
    let out: T | undefined;
    await connection(async () => {
      out = await f(dag.host().directory(dir));
    });
    return out as T;
  };

  beforeAll(async () => {
    rec = await startRecorder();
    Object.assign(process.env, rec.env);
    dir = mkdtempSync(join(tmpdir(), "cfg-dagger-"));
    for (const d of ["web", "backend", "ci"]) mkdirSync(join(dir, d));
    writeFileSync(join(dir, "pipeline.yaml"), "frontend:\n  path: web\n");
    writeFileSync(join(dir, "backend/.python-version"), "3.12\n");
    writeFileSync(join(dir, "ci/other.yaml"), "frontend:\n  path: web\nbackend:\n  path: api\n");
  });
  afterAll(async () => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
    await rec?.close();
  });

  it("reads the file and the backend's facts from the Directory", async () => {
    const c = await inConnection((d) => readConfig(d));
    expect([c.frontend.path, c.backend.pythonVersion]).toEqual(["web", "3.12"]);
  });

  it("reads a config file in a sub-folder, and checks the paths it names", async () => {
    await expect(inConnection((d) => readConfig(d, "ci/other.yaml"))).rejects.toThrow(
      /`backend\.path` points at "api", which is not in the source/,
    );
  });

  it.each([
    ["a Latin-1 é", [...Buffer.from("# caf"), 0xe9, 0x0a], 5, 1],
    ["a 0xff on line 2", [...Buffer.from("a: 1\n"), 0xff], 5, 2],
    ["an overlong slash (c0 af)", [...Buffer.from("x: "), 0xc0, 0xaf], 3, 1],
    ["a UTF-16 surrogate (ed a0 80)", [...Buffer.from("x: é\n"), 0xed, 0xa0, 0x80], 6, 2],
  ])(
    "refuses a pipeline.yaml with %s as the host does (input error naming offset and line), not read as U+FFFD",
    async (_, bytes, offset, line) => {
      writeFileSync(join(dir, "bad.yaml"), Buffer.from(bytes));
      const p = inConnection((d) => readConfig(d, "bad.yaml"));
      await expect(p).rejects.toThrow(ConfigError);
      await expect(p).rejects.toThrow(
        new RegExp(
          `^input error: bad\\.yaml: is not UTF-8 text: byte at offset ${offset} \\(line ${line}\\)\\. Fix: save the file as UTF-8`,
        ),
      );
    },
  );

  it("reads a pipeline.yaml holding a real U+FFFD (valid UTF-8) as the host does", async () => {
    writeFileSync(join(dir, "fffd.yaml"), "# \uFFFD\nfrontend:\n  path: web\n");
    const c = await inConnection((d) => readConfig(d, "fffd.yaml"));
    expect(c.frontend.path).toBe("web");
  });

  it("refuses a config file over 1 MiB as the host does, by its size, never asking for its contents", async () => {
    writeFileSync(join(dir, "big.yaml"), `# ${"x".repeat(2 * 1024 * 1024)}\n`);
    const p = inConnection((d) => readConfig(d, "big.yaml"));
    await expect(p).rejects.toThrow(ConfigError);
    await expect(p).rejects.toThrow(
      "input error: big.yaml: is 2097155 bytes, more than the 1048576 (1 MiB) a config file may hold. Fix: ",
    );
    const read = rec.chains.filter((c) => c.at(-1)?.field === "contents" && c.some((x) => x.args.path === "big.yaml"));
    expect(read).toEqual([]);
  });

  it("refuses a named config file the Directory lacks, as an input error", async () => {
    const p = inConnection((d) => readConfig(d, "ci/missing.yaml"));
    await expect(p).rejects.toThrow(ConfigError);
    await expect(p).rejects.toThrow(/ci\/missing\.yaml: is not in the source/);
  });
});
