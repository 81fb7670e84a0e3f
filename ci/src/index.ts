/**
 * The Auto-Author CI/CD pipeline as Dagger functions: each reads its plan (ci/src/plan, pure data) and runs it with
 * the Dagger runner (ci/src/dagger); the host runner (scripts/host) runs the same plans as local processes.
 * Source, repository and config are the constructor's: `dagger call --source ../my-app fast-tests`. No digits in
 * names: the CLI kebab-cases them with strcase, which splits digits (e2e → e-2-e, dagger/dagger#7276).
 */
import { argument, func, object, type Directory, type File, type Secret } from "@dagger.io/dagger";
import { CONFIG_FILE } from "./plan/config/defaults";
import { targetName } from "./plan/deploy/call";
import { readConfig } from "./dagger/config";
import { runDeploy, runPromotion, runRollback } from "./dagger/deploy";
import { runMetrics, runMetricsPage } from "./dagger/metrics";
import { runE2e } from "./dagger/e2e/run";
import { e2eStaging, stagingCommitOf } from "./dagger/e2e/staging";
import { runE2eMerge, runE2eShard } from "./dagger/e2e/split";
import { runE2eVerdict } from "./dagger/e2e/verdict";
import { runAcceptBaselines } from "./dagger/e2e/acceptBaselines";
import { newRunId } from "./dagger/runId";
import { runInit } from "./dagger/init";
import { runFastTests } from "./dagger/fastTests";
import { runCheckCommits, runPlan } from "./dagger/triggers";

// The introspector resolves these constants in the decorators (ast.ts resolveDecoratorArgumentValue) by evaluating
// their initialisers: keep them plain array literals (no spread, no `as const`).
/** Local secret files: no Directory argument ever uploads them. */
export const SECRET_FILES = [".env", "**/.env", ".env.*", "**/.env.*", "**/*.pem", "**/.npmrc"];
/** The application without local secrets, dependency and build directories, git history and E2E scratch. */
// prettier-ignore
export const SOURCE_IGNORE = ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", "**/.e2e", ".git",
  ".env", "**/.env", ".env.*", "**/.env.*", "**/*.pem", "**/.npmrc"];
/**
 * This repository, one list for every function; .git stays (fast-tests, plan and check-commits diff in it). The deploys
 * take only scripts/, ci/src and the root manifests from it (dagger/deploy.ts pipelineEnv), so one argument serves all.
 */
// prettier-ignore
export const REPO_IGNORE = ["**/node_modules", "**/.next", "**/.venv", "**/__pycache__", ".tools", ".pipeline",
  ".scratch", ".env", "**/.env", ".env.*", "**/.env.*", "**/*.pem", "**/.npmrc"];

/** How `plan` prints: text for people, JSON for tools. */
export enum PlanFormat {
  Text = "text",
  Json = "json",
}

/** The Auto-Author pipeline: fast tests, deploys, E2E, rollback and the plan, one function each. */
@object()
export class Ci {
  readonly source: Directory;
  readonly repo: Directory;
  readonly config: string;

  constructor(
    /** the application repository (defaults to the embedded example app) */
    @argument({ defaultPath: "/examples/app", ignore: SOURCE_IGNORE }) source: Directory,
    /** the git repository, for diffs and commit checks; the deploys run its scripts/ (defaults to this repository) */
    @argument({ defaultPath: "/", ignore: REPO_IGNORE }) repo: Directory,
    /** path of the pipeline config inside the source; the defaults apply when it is absent */
    config: string = CONFIG_FILE,
  ) {
    this.source = source;
    this.repo = repo;
    this.config = config;
  }

  /**
   * Run the frontend checks and the backend tests in parallel, and return the summary table.
   * Example: dagger call --source ../my-app fast-tests
   */
  @func()
  async fastTests(
    /** skip the jobs nothing changed under since this commit (a PR's target or a push's before) */ base?: string,
    /** the commit to test (defaults to HEAD) */ head?: string,
    /** a GitHub event payload ($GITHUB_EVENT_PATH) giving the event, branch, base and head */ eventFile?: File,
    /** where the source sits inside the repository, for matching changed paths */ appPath: string = "examples/app",
    /** webhook URL(s), one a line, told when a job's coverage drops below the minimum */ alertWarning?: Secret,
  ): Promise<string> {
    const config = await readConfig(this.source, this.config);
    const [trigger, alerts] = [{ base, head, eventFile }, { warning: alertWarning }];
    return runFastTests({ source: this.source, config, repo: this.repo, trigger, appPath, alerts });
  }

  /**
   * Run the frontend job alone: npm ci, lint, typecheck, unit tests with coverage, next build.
   * Example: dagger call --source ../my-app frontend-checks
   */
  @func()
  async frontendChecks(
    /** webhook URL(s), one a line, told when the job's coverage drops below the minimum */ alertWarning?: Secret,
  ): Promise<string> {
    const config = await readConfig(this.source, this.config);
    return runFastTests({ source: this.source, config, only: "frontend", alerts: { warning: alertWarning } });
  }

  /**
   * Run the backend job alone: uv sync, pytest with the coverage gate against a mongo:7 service.
   * Example: dagger call --source ../my-app backend-tests
   */
  @func()
  async backendTests(
    /** webhook URL(s), one a line, told when the job's coverage drops below the minimum */ alertWarning?: Secret,
  ): Promise<string> {
    const config = await readConfig(this.source, this.config);
    return runFastTests({ source: this.source, config, only: "backend", alerts: { warning: alertWarning } });
  }

  /**
   * Print what a trigger would run and why: stages, blockers, and the jobs path filtering skips.
   * Example: dagger call plan --event push --branch develop
   */
  @func()
  async plan(
    /** the GitHub event: pull_request, push, workflow_run, workflow_dispatch or schedule */ event: string,
    /** the branch pushed, or a pull request's head branch */ branch: string,
    /** changed paths, relative to the repository root (instead of base/head) */ changedPaths?: string[],
    /** diff from this commit to find the changed paths */ base?: string,
    /** diff up to this commit (defaults to HEAD) */ head?: string,
    /** for workflow_dispatch: the stage requested */ stage?: string,
    /** text, or json for the plan as data */ format: PlanFormat = PlanFormat.Text,
    /** where the source sits inside the repository */ appPath: string = "examples/app",
  ): Promise<string> {
    const c = await readConfig(this.source, this.config);
    const input = { event, branch, stage, changedPaths, prefix: appPath };
    return runPlan(input, { base, head }, this.repo, c, format === PlanFormat.Json);
  }

  /**
   * Check every commit subject between base and head is a Conventional Commit; fail listing those that are not.
   * Example: dagger call check-commits --base origin/develop --head HEAD
   */
  @func()
  async checkCommits(
    /** the pull request's target branch or its sha */ base: string,
    /** the pull request's head (defaults to HEAD) */ head: string = "HEAD",
  ): Promise<string> {
    return runCheckCommits(base, head, this.repo);
  }

  /**
   * Guess the source's pipeline.yaml from its files; return it, each key commented with why it was guessed.
   * Example: dagger call --source ../my-app init export --path ../my-app/pipeline.yaml
   */
  @func()
  async init(): Promise<File> {
    return runInit(this.source);
  }

  /**
   * Run Playwright in N shards against staging, merge one report, add the backend E2E; return the report directory.
   * Example: dagger call end-to-end --shards 4 --base-url https://staging.example.com --api-url https://api.staging.example.com export --path e2e-report
   * It holds html/index.html, results.json, junit.xml, summary.txt/.json and `status` (passed/failed), also when red.
   */
  @func({ cache: "never" })
  async endToEnd(
    /** the deployed frontend, e.g. https://staging.example.com */ baseUrl: string,
    /** the deployed API, e.g. https://api.staging.example.com */ apiUrl: string,
    /** how many Playwright containers run in parallel; more than the spec files is clamped */ shards: number = 4,
    /** smoke (the tests tagged smoke, after each deploy) or full (nightly) */ suite: string = "full",
    /** a previous run's results.json: shards balanced by file duration, else --shard */ timings?: File,
    /** a Slack-compatible incoming webhook URL, notified on failure */ slackWebhook?: Secret,
    /** a Discord-compatible webhook URL, notified on failure */ discordWebhook?: Secret,
    /** notify the webhooks on success too */ notifySuccess: boolean = false,
    /** the sha under test, for its promotion record (with --staging-host: what staging runs) */ commit?: string,
    /** how often to try staging before giving up (default from the config: 30) */ readyAttempts?: number,
    /** seconds between readiness attempts (default from the config: 10) */ readyInterval?: number,
    /** the staging server, where the record goes: <staging-base-path>/.dep/e2e/<commit>.json */ stagingHost?: string,
    /** the SSH login on staging */ stagingUser: string = "deploy",
    /** DEPLOY_BASE on staging */ stagingBasePath?: string,
    /** the SSH port of staging */ stagingPort: number = 22,
    /** the SSH private key for staging */ stagingSshKey?: Secret,
    /** staging's pinned known_hosts line(s); StrictHostKeyChecking=yes */ stagingKnownHosts?: Secret,
    /** webhook URL(s), one a line, told (e2e-failed) when the run is red */ alertWarning?: Secret,
  ): Promise<Directory> {
    const ssh = { host: stagingHost, user: stagingUser, basePath: stagingBasePath, port: stagingPort };
    const staging = e2eStaging({ ...ssh, sshKey: stagingSshKey, knownHosts: stagingKnownHosts, commit });
    const alerts = { warning: alertWarning };
    const run = { source: this.source, config: this.config, alerts, shards, suite, baseUrl, apiUrl, timings };
    const webhooks = { slack: slackWebhook, discord: discordWebhook };
    return runE2e({ ...run, readyAttempts, readyInterval, commit, webhooks, notifySuccess, staging });
  }

  /**
   * Run one Playwright shard of the E2E plan against staging; return its blob report directory for end-to-end-merge.
   * Example: dagger call end-to-end-shard --index 1 --total 4 --base-url https://staging.example.com --api-url https://api.staging.example.com export --path blob
   * The plan is `end-to-end --shards <total>`'s from the same source, suite and timings: the same tests per shard.
   */
  @func({ cache: "never" })
  async endToEndShard(
    /** which shard to run, 1 to total */ index: number,
    /** the deployed frontend, e.g. https://staging.example.com */ baseUrl: string,
    /** the deployed API, e.g. https://api.staging.example.com */ apiUrl: string,
    /** how many shards the plan is cut into; every shard and the merge must be given the same */ total: number = 4,
    /** smoke (the tests tagged smoke) or full */ suite: string = "full",
    /** a previous run's results.json, the same for every shard and the merge */ timings?: File,
    /** how often to try staging before giving up (default from the config: 30) */ readyAttempts?: number,
    /** seconds between readiness attempts (default from the config: 10) */ readyInterval?: number,
  ): Promise<Directory> {
    const run = { source: this.source, config: this.config, shards: total, suite, baseUrl, apiUrl, timings };
    return runE2eShard({ ...run, readyAttempts, readyInterval }, index);
  }

  /**
   * Merge the shards' blobs, add the backend E2E; return end-to-end's report directory, notification and record.
   * Example: dagger call end-to-end-merge --blobs ./blobs --total 4 --base-url https://staging.example.com --api-url https://api.staging.example.com --commit $SHA export --path report
   * A shard whose report-<index>.zip is missing makes the run red, naming the end-to-end-shard call to re-run.
   */
  @func({ cache: "never" })
  async endToEndMerge(
    /** a directory holding the shards' report-<index>.zip files (end-to-end-shard exports) */
    @argument({ ignore: SECRET_FILES }) blobs: Directory,
    /** the deployed frontend the shards tested */ baseUrl: string,
    /** the deployed API; the backend E2E runs against it here */ apiUrl: string,
    /** how many shards the plan was cut into (the shards' --total) */ total: number = 4,
    /** smoke or full, as given to the shards */ suite: string = "full",
    /** the results.json the shards were given, if any */ timings?: File,
    /** a Slack-compatible incoming webhook URL, notified on failure */ slackWebhook?: Secret,
    /** a Discord-compatible webhook URL, notified on failure */ discordWebhook?: Secret,
    /** notify the webhooks on success too */ notifySuccess: boolean = false,
    /** the sha under test, for its promotion record (with --staging-host: what staging runs) */ commit?: string,
    /** how often to try staging before giving up (default from the config: 30) */ readyAttempts?: number,
    /** seconds between readiness attempts (default from the config: 10) */ readyInterval?: number,
    /** the staging server, where the record goes: <staging-base-path>/.dep/e2e/<commit>.json */ stagingHost?: string,
    /** the SSH login on staging */ stagingUser: string = "deploy",
    /** DEPLOY_BASE on staging */ stagingBasePath?: string,
    /** the SSH port of staging */ stagingPort: number = 22,
    /** the SSH private key for staging */ stagingSshKey?: Secret,
    /** staging's pinned known_hosts line(s); StrictHostKeyChecking=yes */ stagingKnownHosts?: Secret,
    /** webhook URL(s), one a line, told (e2e-failed) when the run is red */ alertWarning?: Secret,
  ): Promise<Directory> {
    const ssh = { host: stagingHost, user: stagingUser, basePath: stagingBasePath, port: stagingPort };
    const staging = e2eStaging({ ...ssh, sshKey: stagingSshKey, knownHosts: stagingKnownHosts, commit });
    const alerts = { warning: alertWarning };
    const run = { source: this.source, config: this.config, alerts, shards: total, suite, baseUrl, apiUrl, timings };
    const webhooks = { slack: slackWebhook, discord: discordWebhook };
    return runE2eMerge({ ...run, readyAttempts, readyInterval, commit, webhooks, notifySuccess, staging }, blobs);
  }

  /**
   * Fail with the summary when an exported E2E report is red; print the summary when it passed.
   * Example: dagger call end-to-end-verdict --report ./report
   */
  @func()
  async endToEndVerdict(
    /** the directory `dagger call end-to-end ... export --path report` (or end-to-end-merge) wrote */
    @argument({ ignore: SECRET_FILES }) report: Directory,
  ): Promise<string> {
    return runE2eVerdict(report);
  }

  /**
   * Take the screenshots a red visual check left in an exported E2E report as the new baselines; return them.
   * Example: dagger call accept-baselines --report e2e-report export --path examples/app/frontend/e2e/__screenshots__
   * Each is named for the browser and platform that took it (home-playwright-chromium-linux.png); review, then commit.
   */
  @func()
  async acceptBaselines(
    /** the directory `dagger call end-to-end ... export --path e2e-report` wrote */
    @argument({ ignore: SECRET_FILES }) report: Directory,
  ): Promise<Directory> {
    return runAcceptBaselines(report);
  }

  /**
   * Print the full sha staging's current release was built from: the commit E2E tests and production promotes.
   * Example: dagger call staging-commit --staging-host staging.example.com --staging-base-path /srv/autoauthor --staging-ssh-key env://STAGING_SSH_KEY --staging-known-hosts env://STAGING_KNOWN_HOSTS
   */
  @func({ cache: "never" })
  async stagingCommit(
    /** the staging server */ stagingHost: string,
    /** DEPLOY_BASE on staging */ stagingBasePath: string,
    /** the SSH private key for staging */ stagingSshKey: Secret,
    /** staging's pinned known_hosts line(s); StrictHostKeyChecking=yes */ stagingKnownHosts: Secret,
    /** the SSH login on staging */ stagingUser: string = "deploy",
    /** the SSH port of staging */ stagingPort: number = 22,
  ): Promise<string> {
    const ssh = { host: stagingHost, user: stagingUser, basePath: stagingBasePath, port: stagingPort };
    return stagingCommitOf(e2eStaging({ ...ssh, sshKey: stagingSshKey, knownHosts: stagingKnownHosts }), newRunId());
  }

  /**
   * Build the app once and deploy it to staging over SSH, health-checked, rolled back on failure; return the log.
   * Example: dagger call deploy-staging --host staging.example.com --user deploy --base-path /srv/autoauthor --ssh-key env://STAGING_SSH_KEY --known-hosts env://STAGING_KNOWN_HOSTS --database-uri env://STAGING_DATABASE_URI --commit $GITHUB_SHA
   */
  @func({ cache: "never" })
  async deployStaging(
    /** the staging server (hostname or IP the engine can reach) */ host: string,
    /** the SSH login on it */ user: string,
    /** DEPLOY_BASE on the server: releases/, current, shared/, .dep/ */ basePath: string,
    /** the SSH private key */ sshKey: Secret,
    /** the server's pinned known_hosts line(s); StrictHostKeyChecking=yes, never ssh-keyscan */ knownHosts: Secret,
    /** the app's DATABASE_URI, written byte for byte to shared/env/DATABASE_URI (mode 600) */ databaseUri: Secret,
    /** the sha being deployed (its release id is a timestamp plus the short sha) */ commit: string,
    /** the SSH port */ port: number = 22,
    /** releases kept on the server (default from the config: 5) */ keep?: number,
    /** an optional API key, written to shared/env/API_KEY */ apiKey?: Secret,
    /** the public URL baked into the frontend as NEXT_PUBLIC_API_URL (default http://HOST) */ publicUrl?: string,
    /** webhook URL(s), one a line, for critical events (rollback, health failing) */ alertCritical?: Secret,
    /** webhook URL(s) for warnings (watch alert, a webhook down) */ alertWarning?: Secret,
    /** webhook URL(s) for information (deploy done) */ alertInfo?: Secret,
  ): Promise<string> {
    const target = { host, user, port, basePath, sshKey, knownHosts, commit, keep, publicUrl };
    const alerts = { critical: alertCritical, warning: alertWarning, info: alertInfo };
    return runDeploy("staging", { ...target, ...this.inputs(), secrets: { databaseUri, apiKey }, alerts });
  }

  /**
   * Promote a commit to production once its E2E record on staging passed (or --force-reason says why); return the log.
   * Example: dagger call deploy-production --host prod.example.com --user deploy --base-path /srv/autoauthor --ssh-key env://PRODUCTION_SSH_KEY --known-hosts env://PRODUCTION_KNOWN_HOSTS --database-uri env://PRODUCTION_DATABASE_URI --commit $GITHUB_SHA --staging-host staging.example.com
   */
  @func({ cache: "never" })
  async deployProduction(
    /** the production server (hostname or IP the engine can reach) */ host: string,
    /** the SSH login on it */ user: string,
    /** DEPLOY_BASE on the server */ basePath: string,
    /** the SSH private key for production */ sshKey: Secret,
    /** production's pinned known_hosts line(s) (may hold staging's too) */ knownHosts: Secret,
    /** the app's DATABASE_URI for production */ databaseUri: Secret,
    /** the full 40-hex sha to promote; its record is .dep/e2e/<sha>.json on staging */ commit: string,
    /** the staging server holding the E2E record (not needed with --force-reason) */ stagingHost?: string,
    /** the SSH login on staging (default: user) */ stagingUser?: string,
    /** DEPLOY_BASE on staging (default: base-path) */ stagingBasePath?: string,
    /** the SSH port of staging */ stagingPort: number = 22,
    /** the SSH private key for staging (default: ssh-key) */ stagingSshKey?: Secret,
    /** staging's pinned known_hosts line(s) (default: known-hosts) */ stagingKnownHosts?: Secret,
    /** skip the E2E gate, saying why; logged and recorded in releases.jsonl */ forceReason?: string,
    /** the SSH port of production */ port: number = 22,
    /** releases kept on the server (default from the config: 5) */ keep?: number,
    /** an optional API key, written to shared/env/API_KEY */ apiKey?: Secret,
    /** the public URL baked into the frontend as NEXT_PUBLIC_API_URL (default http://HOST) */ publicUrl?: string,
    /** webhook URL(s), one a line, for critical events (rollback, health failing) */ alertCritical?: Secret,
    /** webhook URL(s) for warnings (watch alert, a webhook down) */ alertWarning?: Secret,
    /** webhook URL(s) for information (deploy done) */ alertInfo?: Secret,
  ): Promise<string> {
    const target = { host, user, port, basePath, sshKey, knownHosts, commit, keep, publicUrl };
    const alerts = { critical: alertCritical, warning: alertWarning, info: alertInfo };
    const staging = { host: stagingHost, user: stagingUser, basePath: stagingBasePath, port: stagingPort };
    const gate = { staging: { ...staging, sshKey: stagingSshKey, knownHosts: stagingKnownHosts }, forceReason };
    return runPromotion({ ...target, ...this.inputs(), secrets: { databaseUri, apiKey }, alerts, ...gate });
  }

  /**
   * Roll a target back to the newest release that passed health (never a BAD one), or to --to; return its log.
   * Example: dagger call rollback --host staging.example.com --user deploy --base-path /srv/autoauthor --ssh-key env://STAGING_SSH_KEY --known-hosts env://STAGING_KNOWN_HOSTS
   */
  @func({ cache: "never" })
  async rollback(
    /** the server (hostname or IP the engine can reach) */ host: string,
    /** the SSH login on it */ user: string,
    /** DEPLOY_BASE on the server */ basePath: string,
    /** the SSH private key */ sshKey: Secret,
    /** the server's pinned known_hosts line(s) */ knownHosts: Secret,
    /** staging or production */ target: string = "staging",
    /** a release id to return to instead of the previous good one (e.g. 20261126T231501Z-3520442) */ to?: string,
    /** the SSH port */ port: number = 22,
    /** webhook URL(s), one a line, for critical events (rollback, health failing) */ alertCritical?: Secret,
    /** webhook URL(s) for warnings (watch alert, a webhook down) */ alertWarning?: Secret,
    /** webhook URL(s) for information (deploy done) */ alertInfo?: Secret,
  ): Promise<string> {
    const ssh = { host, user, port, basePath, sshKey, knownHosts };
    const alerts = { critical: alertCritical, warning: alertWarning, info: alertInfo };
    return runRollback(targetName(target), { ...ssh, ...this.inputs(), secrets: {}, alerts }, to);
  }

  /**
   * Print the success metrics (value, target, ok/missed) from release logs and E2E records.
   * Example: dagger call metrics --release-logs ./staging-releases.jsonl --end-to-end-records ./e2e --since 2026-11-01
   * The billing rate and the thresholds are the source's config (the built-in defaults without one).
   */
  // Never cached: the default window ends today, and a persistent engine would otherwise replay an old window.
  @func({ cache: "never" })
  async metrics(
    /** copies of `.dep/releases.jsonl`, one per target */ releaseLogs: File[],
    /** a copy of `.dep/e2e/` (one `<sha>.json` per E2E run) */
    @argument({ ignore: SECRET_FILES }) endToEndRecords?: Directory,
    /** first day, YYYY-MM-DD (default: 30 days ago) */ since?: string,
    /** last day, YYYY-MM-DD (default: today) */ until?: string,
  ): Promise<string> {
    const history = { releaseLogs, e2eRecords: endToEndRecords, since, until };
    return runMetrics(history, await readConfig(this.source, this.config));
  }

  /**
   * Write the success-metrics page: one self-contained HTML file with inline SVG charts, readable with no server.
   * Example: dagger call metrics-page --release-logs ./releases.jsonl --end-to-end-records ./e2e export --path metrics.html
   */
  @func({ cache: "never" })
  async metricsPage(
    /** copies of `.dep/releases.jsonl`, one per target */ releaseLogs: File[],
    /** a copy of `.dep/e2e/` */ @argument({ ignore: SECRET_FILES }) endToEndRecords?: Directory,
    /** first day, YYYY-MM-DD (default: 30 days ago) */ since?: string,
    /** last day, YYYY-MM-DD (default: today) */ until?: string,
  ): Promise<File> {
    const history = { releaseLogs, e2eRecords: endToEndRecords, since, until };
    return runMetricsPage(history, await readConfig(this.source, this.config));
  }

  /** The constructor's inputs, as the deploy functions pass them on. */
  private inputs(): { source: Directory; repo: Directory; config: string } {
    return { source: this.source, repo: this.repo, config: this.config };
  }
}
