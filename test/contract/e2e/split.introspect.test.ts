import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { introspectModule, type FunctionShape } from "../../support/introspect";
import { startRecorder } from "../../support/recorder";

/** `dagger call e2e-shard | e2e-merge | e2e-verdict` as the engine's own introspector sees the module. */
describe("e2e-shard, e2e-merge and e2e-verdict surface (SDK introspector)", () => {
  let m: Record<string, FunctionShape>;
  beforeAll(async () => {
    m = (await introspectModule()).objects.Ci.methods;
  }, 60_000);

  it("takes the shard's --index as a required Int and --total as an Int defaulting to 4 (e2e's --shards)", () => {
    const a = m.endToEndShard.arguments;
    expect(a.index.type).toEqual({ kind: "INTEGER_KIND" });
    expect(a.index.isNullable ?? false).toBe(false);
    expect(a.total.defaultValue).toBe(4);
    expect(m.endToEndShard.description).toMatch(/Example: dagger call end-to-end-shard --index 1 --total 4 /);
  });

  it("returns the shard's blob and the merged report as Directories, the verdict as a String", () => {
    expect(m.endToEndShard.returnType).toEqual({ kind: "OBJECT_KIND", name: "Directory" });
    expect(m.endToEndMerge.returnType).toEqual({ kind: "OBJECT_KIND", name: "Directory" });
    expect(m.endToEndVerdict.returnType).toEqual({ kind: "STRING_KIND" });
  });

  it("takes the blobs and the report as required Directories", () => {
    expect(m.endToEndMerge.arguments.blobs.type).toEqual({ kind: "OBJECT_KIND", name: "Directory" });
    expect(m.endToEndVerdict.arguments.report.type).toEqual({ kind: "OBJECT_KIND", name: "Directory" });
  });

  it("gives e2e-merge every argument e2e has for notifying and recording, besides --total for --shards", () => {
    const e2e = Object.keys(m.endToEnd.arguments).filter((n) => n !== "shards");
    expect(Object.keys(m.endToEndMerge.arguments).sort()).toEqual([...e2e, "blobs", "total"].sort());
  });
});

/** e2e-verdict on an exported report, through the real SDK client against the request recorder. */
describe("e2e-verdict (recorded GraphQL requests)", () => {
  const report = (status: string) => {
    const dir = mkdtempSync(join(tmpdir(), "report-"));
    writeFileSync(join(dir, "status"), `${status}\n`);
    writeFileSync(
      join(dir, "summary.txt"),
      `e2e (smoke): ${status === "passed" ? "passed" : "FAILED"}\nFAILED-OR-NOT a.spec.ts\n`,
    );
    return dir;
  };
  const verdict = async (dir: string) => {
    const rec = await startRecorder();
    const saved = { ...process.env };
    Object.assign(process.env, rec.env);
    try {
      const { connection, dag } = await import("@dagger.io/dagger");
      const { Ci } = await import("../../../ci/src/index");
      let out = "";
      await connection(async () => {
        // The verdict reads only the report: the constructor gets empty directories, as no call reads them.
        out = await new Ci(dag.directory(), dag.directory()).endToEndVerdict(dag.host().directory(dir));
      });
      return out;
    } finally {
      process.env = saved;
      await rec.close();
    }
  };

  it("prints the summary of a passed report", async () => {
    expect(await verdict(report("passed"))).toMatch(/^e2e \(smoke\): passed/);
  });

  it("fails a red report with its summary", async () => {
    await expect(verdict(report("failed"))).rejects.toThrow(/E2E is red:\ne2e \(smoke\): FAILED/);
  });
});
