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

  it("refuses a named config file the Directory lacks, as an input error", async () => {
    const p = inConnection((d) => readConfig(d, "ci/missing.yaml"));
    await expect(p).rejects.toThrow(ConfigError);
    await expect(p).rejects.toThrow(/ci\/missing\.yaml: is not in the source/);
  });
});
