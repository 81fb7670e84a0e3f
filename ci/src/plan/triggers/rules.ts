/**
 * The branch strategy (docs/requirements.md#R-triggers) as one table. `plan` prints it and the real runs
 * (fast-tests path filtering) consult it; there is no second copy anywhere.
 */
import { InputError } from "../errors";

/** The GitHub events the pipeline understands. */
export const EVENTS = ["pull_request", "push", "workflow_run", "workflow_dispatch", "schedule"] as const;
export type EventName = (typeof EVENTS)[number];

/** The stages a run can contain. */
export const STAGES = ["fast-tests", "deploy-staging", "e2e", "deploy-production", "experimental"] as const;
export type StageName = (typeof STAGES)[number];

/** How one stage takes part in a run. */
export interface StageRule {
  stage: StageName;
  /** automatic: starts when its blockers pass; manual: someone starts it (workflow_dispatch). */
  trigger: "automatic" | "manual";
  blockedBy: StageName[];
  /** A failure is reported but does not fail the run. */
  informational: boolean;
  /** For e2e: the smoke subset or the full suite. */
  suite?: "smoke" | "full";
  /** Path filtering may skip this stage's jobs (only fast-tests, and only for code-change events). */
  pathFiltered: boolean;
  /** A precondition that is not another stage of this run, said in words. */
  requires?: string;
}

/** One row of the table: a branch pattern and an event, and the stages they run. */
export interface BranchRule {
  branch: string;
  event: EventName;
  stages: StageRule[];
  description: string;
  /** Runs apart from every other workflow (no shared concurrency, no deploys). */
  isolated?: boolean;
}

/** A row for workflow_dispatch: the stage someone may request, and on which branches. */
export interface DispatchRule {
  stage: StageName;
  branch: string;
  rule: StageRule;
  description: string;
}

const fast: StageRule = {
  stage: "fast-tests",
  trigger: "automatic",
  blockedBy: [],
  informational: false,
  pathFiltered: true,
};
const smoke: StageRule = {
  stage: "e2e",
  trigger: "automatic",
  blockedBy: ["deploy-staging"],
  informational: true,
  suite: "smoke",
  pathFiltered: false,
};
const production: StageRule = {
  stage: "deploy-production",
  trigger: "manual",
  blockedBy: [],
  informational: false,
  pathFiltered: false,
  requires: "green E2E on this commit (workflow_dispatch of Deploy Production)",
};
const experimental: StageRule = {
  stage: "experimental",
  trigger: "automatic",
  blockedBy: [],
  informational: false,
  pathFiltered: false,
};

/** docs/requirements.md#R-triggers. First matching row wins, so the specific patterns come first. */
export const BRANCH_RULES: BranchRule[] = [
  {
    branch: "ci-experimental/*",
    event: "push",
    stages: [experimental],
    isolated: true,
    description: "experimental template only, isolated from the other workflows",
  },
  {
    branch: "ci-experimental/*",
    event: "pull_request",
    stages: [experimental],
    isolated: true,
    description: "experimental template only, isolated from the other workflows",
  },
  {
    branch: "feature/*",
    event: "pull_request",
    stages: [fast],
    description: "feature work: fast tests on the pull request",
  },
  { branch: "hotfix/*", event: "pull_request", stages: [fast], description: "hotfix pull request to main: fast tests" },
  { branch: "hotfix/*", event: "push", stages: [fast], description: "hotfix push: fast tests" },
  {
    branch: "develop",
    event: "push",
    stages: [
      fast,
      {
        stage: "deploy-staging",
        trigger: "automatic",
        blockedBy: ["fast-tests"],
        informational: false,
        pathFiltered: false,
      },
      smoke,
    ],
    description: "integration: fast tests, then deploy to staging, then the E2E smoke suite",
  },
  {
    branch: "develop",
    event: "workflow_run",
    stages: [
      {
        stage: "deploy-staging",
        trigger: "automatic",
        blockedBy: [],
        informational: false,
        pathFiltered: false,
        requires: "a successful Test Suite run on develop",
      },
      smoke,
    ],
    description: "Test Suite passed on develop: deploy to staging, then the E2E smoke suite",
  },
  {
    branch: "develop",
    event: "pull_request",
    stages: [fast],
    description: "release pull request from develop to main: fast tests",
  },
  {
    branch: "main",
    event: "push",
    stages: [fast, { ...production, blockedBy: ["fast-tests"] }],
    description: "release: fast tests; production is a manual promotion after green E2E",
  },
  {
    branch: "*",
    event: "schedule",
    stages: [{ ...smoke, blockedBy: [], suite: "full" }],
    description: "nightly: the full E2E suite against staging",
  },
];

/** workflow_dispatch (docs/requirements.md#R-triggers): the stage someone requests, where it may run. */
export const DISPATCH_RULES: DispatchRule[] = [
  {
    stage: "deploy-production",
    branch: "main",
    rule: production,
    description: "promote main to production (needs green E2E on the commit)",
  },
  {
    stage: "e2e",
    branch: "*",
    rule: { ...smoke, blockedBy: [], trigger: "manual", suite: "full" },
    description: "run the E2E suite against staging on demand",
  },
  {
    stage: "deploy-staging",
    branch: "develop",
    rule: { stage: "deploy-staging", trigger: "manual", blockedBy: [], informational: false, pathFiltered: false },
    description: "redeploy develop to staging",
  },
];

/** Whether a branch name matches a table pattern (`*` alone matches any; `x/*` matches one prefix). */
export function branchMatches(pattern: string, branch: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("/*")) return branch.startsWith(pattern.slice(0, -1)) && branch.length > pattern.length - 1;
  return pattern === branch;
}

/** The first row for this event and branch, or undefined when nothing runs. */
export function findRule(event: EventName, branch: string): BranchRule | undefined {
  return BRANCH_RULES.find((r) => r.event === event && branchMatches(r.branch, branch));
}

/** The workflow_dispatch row for a requested stage on a branch, or undefined when it may not run there. */
export function findDispatch(stage: string, branch: string): DispatchRule | undefined {
  return DISPATCH_RULES.find((r) => r.stage === stage && branchMatches(r.branch, branch));
}

/** Narrow a string to a known event. */
export function isEvent(event: string): event is EventName {
  return (EVENTS as readonly string[]).includes(event);
}

/** An event the pipeline does not know: lists the ones it does. */
export class UnknownEventError extends InputError {
  constructor(readonly event: string) {
    super(`unknown event "${event}". Fix: pass --event one of: ${EVENTS.join(", ")}`);
  }
}

/** Check an event name, throwing UnknownEventError with the valid ones. */
export function parseEvent(event: string): EventName {
  if (!isEvent(event)) throw new UnknownEventError(event);
  return event;
}
