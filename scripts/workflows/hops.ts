/**
 * The chain's hops, each one act run of one workflow file for the event the previous hop makes, printed as it goes:
 * the event, the commit GitHub's context carries, the commit the step acted on, the result.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { StagingServer } from "../host/staging/server";
import { concurrencyOf, runAct, type ActRun, type ActSetup } from "./act";
import { dispatchEvent, pushEvent, workflowRunEvent, type Commit, type FinishedRun } from "./events";
import type { Groups } from "./groups";
import { headOf, REPO, type Git } from "./world";

export interface Chain {
  setup: ActSetup;
  git: Git;
  staging: StagingServer;
  production: StagingServer;
  groups: Groups;
  say: (s: string) => void;
  check: (what: string, ok: boolean) => void;
}

export interface Hop {
  /** github.run_id of the act run. */
  id: number;
  run: ActRun;
  finished: FinishedRun;
  start: number;
  end: number;
}

let runs = 100;
export const short = (s?: string) => (s ? s.slice(0, 7) : "-");
export const revision = (s: StagingServer) =>
  existsSync(join(s.base, "current/REVISION")) ? readFileSync(join(s.base, "current/REVISION"), "utf8").trim() : "";

function conclusion(run: ActRun, job: string): FinishedRun["conclusion"] {
  if (run.code !== 0) return "failure";
  return run.jobs[job] === "success" ? "success" : "skipped";
}

type ActArgs = Omit<Parameters<typeof runAct>[1], "runId">;

/** The run GitHub records for an act run of `.github/workflows/<file>`, as the next hop's workflow_run reads it. */
function finishedRun(
  id: number,
  workflow: string,
  file: string,
  run: Pick<FinishedRun, "event" | "headBranch" | "headSha" | "conclusion">,
): FinishedRun {
  return { id, workflow, path: `.github/workflows/${file}`, ...run };
}

/** The context a workflow_run event after `prev` gives a workflow's expressions. */
const runContext = (prev: FinishedRun) => ({
  "github.event_name": "workflow_run",
  "github.event.workflow_run.event": prev.event,
  "github.event.workflow_run.conclusion": prev.conclusion,
});

/** One act run inside its concurrency group, with the next run id; undefined when a newer pending run replaced it. */
async function act(c: Chain, label: string, group: string | undefined, a: ActArgs) {
  if (group && !(await c.groups.acquire(group, label))) return undefined;
  const start = Date.now();
  const id = runs++;
  try {
    return { run: await runAct(c.setup, { ...a, runId: id }), id, start, end: Date.now() };
  } finally {
    if (group) c.groups.release(group);
  }
}

/** How long an act run took, as the hop line prints it. */
const took = (r: { start: number; end: number }) => `${Math.round((r.end - r.start) / 1000)} s`;

function calls(run: ActRun): string {
  return run.calls
    .map(
      (x) =>
        `${x.fn}${x.commit ? ` --commit ${short(x.commit)}` : ""} in a checkout of ${short(x.head)}` +
        `${x.pipeline && x.pipeline !== x.head ? ` (main's pipeline ${short(x.pipeline)})` : ""} → exit ${x.exit}`,
    )
    .join("; ");
}

/** push to develop → Test Suite. */
export async function testSuite(c: Chain, commit: Commit, before: string): Promise<Hop> {
  const label = `test-suite-${short(commit.sha)}`;
  const payload = pushEvent(REPO, "develop", before, commit);
  const [file, event] = ["test-suite.yml", "push"];
  const group = concurrencyOf(file, { "github.event_name": "push", "github.ref": "refs/heads/develop" });
  const r = (await act(c, label, group, { label, workdir: c.git.develop, file, event, payload }))!;
  const id = r.id;
  const finished = finishedRun(id, "Test Suite", file, {
    event,
    headBranch: "develop",
    headSha: commit.sha,
    conclusion: conclusion(r.run, "fast-tests"),
  });
  c.say(`▸ push develop ${short(before)}..${short(commit.sha)} "${commit.message}"`);
  c.say(
    `  Test Suite (run ${id}): github.sha=${short(commit.sha)} ref=refs/heads/develop; ${calls(r.run)} → ${finished.conclusion} in ${took(r)}  [${r.run.log}]`,
  );
  return { ...r, finished };
}

/** workflow_run(Test Suite completed) → Deploy Staging, on the default branch. */
export async function deployStaging(c: Chain, prev: FinishedRun): Promise<Hop | undefined> {
  const label = `deploy-staging-${short(prev.headSha)}`;
  const payload = workflowRunEvent(REPO, prev);
  const [file, event] = ["deploy-staging.yml", "workflow_run"];
  const group = concurrencyOf(file, { ...runContext(prev), "github.run_id": String(runs) });
  const r = await act(c, label, group, { label, workdir: c.git.main, file, event, payload });
  if (!r) return undefined;
  const main = await headOf(c.git.main);
  const id = r.id;
  const finished = finishedRun(id, "Deploy Staging", file, {
    event,
    headBranch: REPO.defaultBranch,
    headSha: main,
    conclusion: conclusion(r.run, "deploy"),
  });
  c.say(
    `▸ workflow_run: Test Suite run ${prev.id} completed (${prev.conclusion}), workflow_run.head_branch=${prev.headBranch} head_sha=${short(prev.headSha)} event=${prev.event}`,
  );
  c.say(
    `  Deploy Staging (run ${id}): github.sha=${short(main)} (main's HEAD) ref=refs/heads/main; ${calls(r.run) || "dagger not called (job skipped)"} → ${finished.conclusion} in ${took(r)}; staging runs ${short(revision(c.staging))}  [${r.run.log}]`,
  );
  return { ...r, finished };
}

/**
 * E2E Staging, started the way GitHub starts it: by workflow_run(Deploy Staging completed), or by a workflow_dispatch
 * on main with `inputs` (e.g. matrix, suite). `vars` are the repository variables (E2E_MATRIX).
 */
export async function e2eStaging(
  c: Chain,
  by: { after: FinishedRun } | { inputs: Record<string, string> },
  vars?: Record<string, string>,
): Promise<Hop | undefined> {
  const label = "after" in by ? `e2e-staging-after-run-${by.after.id}` : `e2e-staging-dispatch-${runs}`;
  const payload =
    "after" in by
      ? workflowRunEvent(REPO, by.after)
      : dispatchEvent(REPO, REPO.defaultBranch, ".github/workflows/e2e-staging.yml", by.inputs);
  const event = "after" in by ? "workflow_run" : "workflow_dispatch";
  const group = concurrencyOf("e2e-staging.yml", {
    ...("after" in by ? runContext(by.after) : { "github.event_name": event }),
    "github.run_id": String(runs),
  });
  const r = await act(c, label, group, { label, workdir: c.git.main, file: "e2e-staging.yml", event, payload, vars });
  if (!r) return undefined;
  const verdict =
    r.run.code === 0 && r.run.jobs.verdict === "success" ? "success" : r.run.jobs.staging ? "failure" : "skipped";
  const finished = finishedRun(r.id, "E2E Staging", "e2e-staging.yml", {
    event,
    headBranch: REPO.defaultBranch,
    headSha: await headOf(c.git.main),
    conclusion: verdict,
  });
  c.say(
    "after" in by
      ? `▸ workflow_run: Deploy Staging run ${by.after.id} completed (${by.after.conclusion}), workflow_run.head_branch=${by.after.headBranch} head_sha=${short(by.after.headSha)} (not the deployed commit)`
      : `▸ workflow_dispatch E2E Staging on main (github.sha=${short(finished.headSha)}), inputs ${JSON.stringify(by.inputs)}${vars ? `, vars ${JSON.stringify(vars)}` : ""}`,
  );
  c.say(
    `  E2E Staging (run ${r.id}): jobs ${JSON.stringify(r.run.jobs)}; ${calls(r.run)} → ${verdict} in ${took(r)}  [${r.run.log}]`,
  );
  return { ...r, finished };
}

/** workflow_dispatch of Deploy Production on main, with its inputs. */
export async function deployProduction(c: Chain, inputs: Record<string, string>): Promise<Hop> {
  const label = `deploy-production-${runs}`;
  const payload = dispatchEvent(REPO, REPO.defaultBranch, ".github/workflows/deploy-production.yml", inputs);
  const [file, event] = ["deploy-production.yml", "workflow_dispatch"];
  const group = concurrencyOf(file, { "github.event_name": event, "github.run_id": String(runs) });
  const r = (await act(c, label, group, { label, workdir: c.git.main, file, event, payload }))!;
  const id = r.id;
  const main = await headOf(c.git.main);
  const finished = finishedRun(id, "Deploy Production", file, {
    event,
    headBranch: "main",
    headSha: main,
    conclusion: conclusion(r.run, "deploy"),
  });
  c.say(`▸ workflow_dispatch Deploy Production on main (github.sha=${short(main)}), inputs ${JSON.stringify(inputs)}`);
  c.say(
    `  Deploy Production (run ${id}): ${calls(r.run)} → ${finished.conclusion} in ${took(r)}; production runs ${short(revision(c.production)) || "nothing"}  [${r.run.log}]`,
  );
  return { ...r, finished };
}
