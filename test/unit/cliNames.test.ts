import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultConfig } from "../../ci/src/plan/config/defaults";
import { formatPlan, planPipeline, type PlanInput } from "../../ci/src/plan/triggers/pipeline";
import { runPipeline } from "../support/cli";
import { checkCall, daggerCalls } from "../support/daggerCall";
import { introspectModule, type ModuleShape } from "../support/introspect";

const ROOT = resolve(import.meta.dirname, "../..");

/** Every file under `dir` (relative to the root) whose name ends with `ext`. */
function files(dir: string, ext: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(ext))
    .map((f) => join(dir, f));
}

/** A dagger-for-github step's command line: its `call:` (verb call, the default) or `args:` input. */
function workflowCalls(file: string): string[] {
  const wf = parse(readFileSync(join(ROOT, file), "utf8")) as {
    jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
  };
  return Object.values(wf.jobs).flatMap((j) =>
    j.steps
      .filter((s) => s.uses?.startsWith("dagger/dagger-for-github@"))
      .flatMap((s) => daggerCalls(`dagger call ${String(s.with?.call ?? s.with?.args ?? "")}`)),
  );
}

const PLAN_EVENTS: PlanInput[] = [
  { event: "push", branch: "develop", changedPaths: ["frontend/app/page.tsx"] },
  { event: "push", branch: "main", changedPaths: ["backend/app/main.py"] },
  { event: "pull_request", branch: "feature/x", changedPaths: [] },
  { event: "workflow_dispatch", branch: "main", stage: "deploy-production" },
  { event: "workflow_dispatch", branch: "develop", stage: "e2e" },
  { event: "schedule", branch: "develop" },
  { event: "push", branch: "ci-experimental/try" },
];

/** Where a `dagger call` is typed for a user: docs, workflows, the module's own text, and what `plan` prints. */
function sources(): { where: string; calls: string[] }[] {
  const text = (f: string) => ({ where: f, calls: daggerCalls(readFileSync(join(ROOT, f), "utf8")) });
  return [
    text("README.md"),
    ...files("docs", ".md").map(text),
    ...files(".github/workflows", ".yml").flatMap((f) => [text(f), { where: `${f} (with:)`, calls: workflowCalls(f) }]),
    ...files("ci/src", ".ts").map(text),
    ...PLAN_EVENTS.map((e) => ({
      where: `plan --event ${e.event} --branch ${e.branch}`,
      calls: daggerCalls(formatPlan(planPipeline({ prefix: "", ...e }, defaultConfig()))),
    })),
  ];
}

describe("every documented `dagger call` resolves to a function and its flags (CLI names by strcase ToKebab)", () => {
  let mod: ModuleShape;
  beforeAll(async () => {
    mod = await introspectModule();
  }, 60_000);

  it("finds the typed calls it checks (README, workflows, Examples, plan output)", () => {
    const all = sources();
    const count = (w: RegExp) => all.filter((s) => w.test(s.where)).reduce((n, s) => n + s.calls.length, 0);
    expect(count(/^README/)).toBeGreaterThan(5);
    expect(count(/with:/)).toBeGreaterThanOrEqual(8);
    expect(count(/^ci\/src\/index\.ts/)).toBeGreaterThanOrEqual(Object.keys(mod.objects.Ci.methods).length);
    expect(count(/^plan /)).toBeGreaterThanOrEqual(PLAN_EVENTS.length);
  });

  it("catches an unknown function, an unknown flag and a chain on a scalar result", () => {
    expect(checkCall("e2e --shards 4", mod)).toEqual([expect.stringMatching(/"e2e" is no function/)]);
    expect(checkCall("fast-tests --nope 1", mod)).toEqual(["--nope is no argument of fast-tests"]);
    expect(checkCall("plan --event push --branch develop export --path x", mod)).toEqual([
      expect.stringMatching(/"export" after plan is no function of its scalar result/),
    ]);
    expect(checkCall("--source ../app fast-tests --help", mod)).toEqual([]);
    // A placeholder is one value however many words it holds: `<the exported E2E report directory>`.
    expect(
      checkCall("--source <planted copy> accept-baselines --report <the exported report> export --path x", mod),
    ).toEqual([]);
    expect(checkCall("accept-baselines --report <the report> exported --path x", mod)).toEqual([
      expect.stringMatching(/"exported" after accept-baselines is no function/),
    ]);
  });

  it("checks each flag at its level: the constructor's before the function, the function's after", () => {
    expect(checkCall("--source ../app --repo . --config ci/pipeline.yaml fast-tests --base main", mod)).toEqual([]);
    expect(checkCall("fast-tests --source ../app", mod)).toEqual(["--source is no argument of fast-tests"]);
    expect(checkCall("--config x.yaml metrics", mod)).toEqual([]);
    expect(checkCall("metrics --config x.yaml", mod)).toEqual(["--config is no argument of metrics"]);
    expect(checkCall("--base main fast-tests", mod)).toEqual(["--base is no argument of the constructor"]);
    // `dagger call`'s own flags are persistent: --json (print the result as JSON) is valid after the function too.
    expect(checkCall("plan --event push --branch develop --json", mod)).toEqual([]);
    expect(checkCall("plan --event push --branch develop --format json", mod)).toEqual([]);
  });

  it("has no call naming a missing function or flag", () => {
    const problems = sources().flatMap((s) => s.calls.flatMap((c) => checkCall(c, mod).map((p) => `${s.where}: ${p}`)));
    expect(problems).toEqual([]);
  });
});

describe("the host runner's command names", () => {
  it("are the CLI's for the E2E functions; the retired e2e names point at them", async () => {
    const help = await runPipeline(["--help"]);
    for (const name of ["end-to-end", "end-to-end-shard", "end-to-end-merge"]) expect(help.stdout).toMatch(` ${name} `);
    const old = await runPipeline(["e2e-shard", "--index", "1", "--total", "2"]);
    expect(old.exitCode).toBe(2);
    expect(old.stderr).toMatch(/^input error: unknown command "e2e-shard" \(did you mean end-to-end-shard\?\)/);
  });
});
