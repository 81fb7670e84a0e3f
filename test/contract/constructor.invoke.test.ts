import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanModule } from "../support/introspect";
import { startRecorder, type Recording } from "../support/recorder";

const EXAMPLE = resolve(import.meta.dirname, "../../examples/app");
const ROOT = resolve(import.meta.dirname, "../..");
const SDK = join(ROOT, "node_modules/@dagger.io/dagger/dist/src/module");

type Invoke = (
  executor: unknown,
  module: unknown,
  ctx: { parentName: string; fnName: string; parentArgs: Record<string, unknown>; fnArgs: Record<string, unknown> },
) => Promise<unknown>;

/**
 * What the module runtime does with the constructor, through the SDK's own entrypoint pieces (`invoke`, `Executor`)
 * against the request recorder: `dagger call --source D --config C frontend-checks` is two invocations, the
 * constructor (its result, the object's state, goes back to the engine as JSON) and the function on that state. Every
 * field the constructor sets must be a declared property, or the runtime fails with "could not find result property".
 */
describe("Ci's constructor through the SDK runtime's invoke (recorded GraphQL requests)", () => {
  let rec: Recording;
  let state: Record<string, unknown>;
  let summary: unknown;
  let sourceId: string;
  beforeAll(async () => {
    rec = await startRecorder();
    const saved = { ...process.env };
    Object.assign(process.env, rec.env);
    try {
      const { invoke } = (await import(pathToFileURL(join(SDK, "entrypoint/invoke.js")).href)) as { invoke: Invoke };
      const { Executor } = await import(pathToFileURL(join(SDK, "executor.js")).href);
      const [scan, ci] = await Promise.all([scanModule(), import("../../ci/src/index")]);
      const executor = new Executor([ci], scan);
      const { connection, dag } = await import("@dagger.io/dagger");
      await connection(async () => {
        sourceId = await dag.host().directory(EXAMPLE).id();
        const repoId = await dag.host().directory(ROOT).id();
        const fnArgs = { source: sourceId, repo: repoId, config: "pipeline.yaml" };
        const constructed = await invoke(executor, scan, { parentName: "Ci", fnName: "", parentArgs: {}, fnArgs });
        // The engine keeps the state as JSON and hands it back as the parent of the next call.
        state = JSON.parse(JSON.stringify(constructed)) as Record<string, unknown>;
        summary = await invoke(executor, scan, {
          parentName: "Ci",
          fnName: "frontendChecks",
          parentArgs: state,
          fnArgs: {},
        });
      });
    } finally {
      process.env = saved;
    }
  }, 120_000);
  afterAll(() => rec?.close());

  it("returns the state as exactly the source, the repo (as IDs) and the config", () => {
    expect(Object.keys(state).sort()).toEqual(["config", "repo", "source"]);
    expect(state.config).toBe("pipeline.yaml");
    expect(state.source).toEqual(expect.any(String));
    expect(state.repo).toEqual(expect.any(String));
  });

  it("runs the function on the state it gets back: the frontend job's container holds the constructor's source", () => {
    expect(summary).toEqual(expect.stringMatching(/frontend/));
    // IDs in arguments are recorded as the chains that made them, so the host path shows through node(id:).
    const execs = rec.chains.filter((ch) => ch.some((c) => c.field === "withExec"));
    expect(execs.some((ch) => JSON.stringify(ch).includes(JSON.stringify(EXAMPLE)))).toBe(true);
  });
});
