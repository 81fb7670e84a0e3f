/**
 * What a trigger runs and why: the branch table (rules.ts) plus path filtering
 * (paths.ts), as data. `plan` prints it; fast-tests uses the same data to skip jobs.
 */
import { InputError } from "../errors";
import {
  BRANCH_RULES,
  DISPATCH_RULES,
  findDispatch,
  findRule,
  parseEvent,
  type EventName,
  type StageName,
  type StageRule,
} from "./rules";
import type { PipelineConfig } from "../config/defaults";
import type { BaseResolution } from "./diffRequest";
import { filterPaths, type PathContext, type PathDecision } from "./paths";

/** Input to `plan` that cannot be planned: says what is wrong and the fix. */
export class PlanInputError extends InputError {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem}. Fix: ${fix}`);
  }
}

/** What `plan` is asked about. */
export interface PlanInput extends PathContext {
  event: string;
  branch: string;
  /** workflow_dispatch only: the stage requested. */
  stage?: string;
  /** Changed paths given by hand; they win over `baseResolution`. */
  changedPaths?: string[];
  baseResolution?: BaseResolution;
}

/** One job of a planned stage: whether it runs, and why. */
export interface PlannedJob {
  name: string;
  run: boolean;
  reason: string;
}

/** One stage of the plan, with what blocks it and what it blocks. */
export interface PlannedStage extends Omit<StageRule, "stage" | "pathFiltered"> {
  name: StageName;
  blocks: StageName[];
  jobs: PlannedJob[];
  /** The `dagger call` that runs the stage (its workflow's call, with placeholders for secrets and targets). */
  call: string;
}

/** The whole plan: plain data, printed as text by formatPlan or as JSON as is. */
export interface PipelinePlan {
  event: EventName;
  branch: string;
  /** The table row that matched, e.g. "develop/push"; null when nothing runs. */
  rule: string | null;
  description: string;
  isolated: boolean;
  diff?: { base: string; head: string; how: string; changedPaths: string[] };
  stages: PlannedStage[];
  skipped: { stage: StageName; job: string; reason: string }[];
  warnings: string[];
}

/** Jobs of the stages after fast-tests; their own issues plan them in detail. */
const STAGE_JOBS: Record<Exclude<StageName, "fast-tests">, string[]> = {
  "deploy-staging": ["deploy"],
  e2e: ["playwright", "backend-e2e"],
  "deploy-production": ["deploy"],
  experimental: ["experimental"],
};

const TARGET = "--host HOST --user USER --base-path PATH --ssh-key env://SSH_KEY --known-hosts env://KNOWN_HOSTS";
const FAST_TESTS = "dagger call fast-tests --event-file $GITHUB_EVENT_PATH";

/** The command each stage runs, typed as its workflow job types it (test/unit/cliNames.test.ts resolves each one). */
function stageCall(stage: StageName, suite: string | undefined, shards: number): string {
  switch (stage) {
    case "fast-tests":
    case "experimental":
      return FAST_TESTS;
    case "deploy-staging":
      return `dagger call deploy-staging ${TARGET} --database-uri env://DATABASE_URI --commit SHA --public-url API_URL`;
    case "e2e":
      return `dagger call end-to-end --shards ${shards} --suite ${suite ?? "full"} --base-url URL --api-url URL export --path report`;
    case "deploy-production":
      return `dagger call deploy-production ${TARGET} --database-uri env://DATABASE_URI --commit SHA --staging-host HOST`;
  }
}

/** Plan a trigger: the matching row's stages, their blockers, and the jobs path filtering skips. */
export function planPipeline(input: PlanInput, config: PipelineConfig): PipelinePlan {
  const event = parseEvent(input.event);
  if (!input.branch) throw new PlanInputError("no branch given", "pass --branch, e.g. --branch develop");
  const { rule, stages, description, isolated } = pickRows(event, input.branch, input.stage);
  const res = input.baseResolution;
  const changed = input.changedPaths ?? (res?.kind === "diff" ? res.changedPaths : undefined);
  const warnings = input.changedPaths
    ? []
    : res?.kind === "all"
      ? [res.warning]
      : res?.kind === "diff"
        ? [...res.warnings]
        : [];
  const codeEvent = event === "push" || event === "pull_request" || event === "workflow_run";
  const decision = filterPaths(codeEvent ? changed : undefined, config, input);
  const resolvedToAll = res?.kind === "all" && !input.changedPaths;
  if (codeEvent && stages.some((s) => s.pathFiltered) && !resolvedToAll) warnings.push(...decision.warnings);
  const planned = stages.map((s) => ({
    ...planStage(s, stages, decision, codeEvent),
    call: stageCall(s.stage, s.suite, config.e2e.shards),
  }));
  return {
    event,
    branch: input.branch,
    rule,
    description,
    isolated,
    ...(res?.kind === "diff" && !input.changedPaths
      ? { diff: { base: res.base, head: res.head, how: res.how, changedPaths: res.changedPaths } }
      : {}),
    stages: planned,
    skipped: planned.flatMap((s) =>
      s.jobs.filter((j) => !j.run).map((j) => ({ stage: s.name, job: j.name, reason: j.reason })),
    ),
    warnings,
  };
}

function pickRows(
  event: EventName,
  branch: string,
  stage?: string,
): { rule: string | null; stages: StageRule[]; description: string; isolated: boolean } {
  if (event === "workflow_dispatch") {
    const options = DISPATCH_RULES.map((r) => `${r.stage} (on ${r.branch === "*" ? "any branch" : r.branch})`).join(
      ", ",
    );
    if (!stage)
      throw new PlanInputError(
        "workflow_dispatch runs the stage you request, and none was given",
        `pass --stage one of: ${options}`,
      );
    const d = findDispatch(stage, branch);
    if (!d)
      throw new PlanInputError(`stage "${stage}" cannot be dispatched on ${branch}`, `pass --stage one of: ${options}`);
    return {
      rule: `${d.branch}/workflow_dispatch:${d.stage}`,
      stages: [d.rule],
      description: d.description,
      isolated: false,
    };
  }
  const row = findRule(event, branch);
  if (!row) {
    const here = BRANCH_RULES.filter((r) => findRule(r.event, branch) === r).map((r) => r.event);
    const hint = here.length ? `; ${branch} runs on: ${[...new Set(here)].join(", ")}` : "";
    return { rule: null, stages: [], description: `nothing runs for ${event} on ${branch}${hint}`, isolated: false };
  }
  return {
    rule: `${row.branch}/${row.event}`,
    stages: row.stages,
    description: row.description,
    isolated: row.isolated ?? false,
  };
}

function planStage(
  s: StageRule,
  all: StageRule[],
  decision: PathDecision,
  codeEvent: boolean,
): Omit<PlannedStage, "call"> {
  const { stage, pathFiltered, ...rest } = s;
  const blocks = all.filter((o) => o.blockedBy.includes(stage)).map((o) => o.stage);
  let jobs: PlannedJob[];
  if (stage !== "fast-tests") jobs = STAGE_JOBS[stage].map((name) => ({ name, run: true, reason: `part of ${stage}` }));
  else if (!pathFiltered || !codeEvent)
    jobs = (["frontend", "backend"] as const).map((name) => ({
      name,
      run: true,
      reason: "no path filtering for this trigger",
    }));
  else {
    jobs = (["frontend", "backend"] as const).map((name) => {
      const skip = decision.skipped.find((x) => x.job === name);
      return skip
        ? { name, run: false, reason: skip.reason }
        : { name, run: true, reason: decision.because[name] ?? "" };
    });
  }
  return { name: stage, ...rest, blocks, jobs };
}

/** The plan as text for a person: the rule, the diff, each stage with its blockers, each job with its reason. */
export function formatPlan(p: PipelinePlan): string {
  const out = [
    `plan: ${p.event} on ${p.branch}${p.rule ? ` (rule ${p.rule}${p.isolated ? ", isolated" : ""})` : ""}`,
    `  ${p.description}`,
  ];
  if (p.diff)
    out.push(
      `diff: ${p.diff.base.slice(0, 7)}..${p.diff.head.slice(0, 7)} (${p.diff.how}), ${p.diff.changedPaths.length} changed path(s)`,
    );
  for (const w of p.warnings) out.push(`warning: ${w}`);
  if (!p.stages.length) out.push("stages: none");
  p.stages.forEach((s, i) => {
    const facts = [
      s.trigger,
      s.blockedBy.length ? `blocked by ${s.blockedBy.join(", ")}` : "",
      s.blocks.length ? `blocks ${s.blocks.join(", ")}` : "",
      s.informational ? "informational" : "",
      s.requires ? `requires ${s.requires}` : "",
    ].filter(Boolean);
    out.push(`${i + 1}. ${s.name}${s.suite ? ` (${s.suite} suite)` : ""}: ${facts.join("; ")}`);
    for (const j of s.jobs) out.push(`     ${j.run ? "run " : "skip"}  ${j.name.padEnd(12)} ${j.reason}`);
    out.push(`     call  ${s.call}`);
  });
  if (p.skipped.length)
    out.push(`skipped by path filtering: ${p.skipped.map((s) => `${s.job} (${s.reason})`).join("; ")}`);
  return out.join("\n");
}
