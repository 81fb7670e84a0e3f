/**
 * The Auto-Author CI/CD pipeline. Each function plans a stage as plain data
 * (config.ts, *Job.ts, *Plan.ts) and runs it on the engine (dagger*.ts); the
 * host runner in scripts/ runs the very same plan as local processes.
 *
 *   fast-tests      Tier 1: frontend checks ‖ backend tests      (fastTestsPlan.ts)
 *   plan            what a trigger runs and why                   (branchRules.ts, planRun.ts)
 *   check-commits   Conventional Commit subjects of a PR          (conventionalCommits.ts)
 *   end-to-end      Tier 3: Playwright shards, merged report      (plan/e2e/, dagger/e2e/run.ts)
 *   end-to-end-shard/-merge/-verdict  one shard per CI machine   (plan/e2e/split.ts, dagger/e2e/split.ts)
 * Names carry no digits: the CLI kebab-cases them with strcase, which splits digits (e2e → e-2-e, dagger/dagger#7276).
 *   deploy-*        Tier 2: build once, the host runner's deploy over SSH (deployCall.ts, daggerDeploy.ts)
 */
import { argument, func, object, type Directory, type File, type Secret } from "@dagger.io/dagger";
import { CONFIG_FILE } from "./plan/config/defaults";
import { targetName } from "./plan/deploy/call";
import { readConfig } from "./dagger/config";
import { runDeploy, runPromotion, runRollback } from "./dagger/deploy";
import { configOf, runMetrics, runMetricsPage } from "./dagger/metrics";
import { e2eStaging, runE2e } from "./dagger/e2e/run";
import { runE2eMerge, runE2eShard, runE2eVerdict } from "./dagger/e2e/split";
import { stagingCommitOf } from "./dagger/e2e/staging";
import { newRunId } from "./dagger/runId";
import { runInit } from "./dagger/init";
import { runStage } from "./dagger/stage";
import { checkCommitRange, planText, runFilteredFastTests } from "./dagger/triggers";
import { planFastTests } from "./plan/fastTests/stage";

/** The Auto-Author pipeline: fast tests, deploys, E2E, rollback and the plan, one function each. */
@object()
export class Ci {
  /**
   * Run the frontend checks and the backend tests in parallel, and return the summary table.
   * Example: dagger call fast-tests --source ../my-app
   * @param source the application repository (defaults to the embedded example app)
   * @param config path of the pipeline config inside the source; optional, defaults apply when absent
   * @param repo the git repository holding the source, for diffing base and head (defaults to this repository)
   * @param base skip the jobs nothing changed under since this commit (a PR's target or a push's before)
   * @param head the commit to test (defaults to HEAD)
   * @param eventFile a GitHub event payload ($GITHUB_EVENT_PATH) giving the event, branch, base and head
   * @param appPath where the source sits inside the repository, for matching changed paths
   */
  @func()
  async fastTests(
    @argument({
      defaultPath: "/examples/app",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        "**/.e2e",
        ".git",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    source: Directory,
    config: string = CONFIG_FILE,
    // The ignore lists differ on purpose, and each function repeats its own (the introspector reads decorator
    // arguments as source text, so a shared constant cannot stand in). All leave out local secrets (.env*, *.pem,
    // .npmrc) and dependency/build dirs. source (the app) also drops .git and .e2e. repo here diffs base..head, so it
    // keeps .git and drops only this pipeline's .tools/.pipeline. The deploy's repo only runs scripts/ and ci/, so it
    // drops .git, examples, test and bench too.
    @argument({
      defaultPath: "/",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        ".tools",
        ".pipeline",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    repo?: Directory,
    base?: string,
    head?: string,
    eventFile?: File,
    appPath: string = "examples/app",
  ): Promise<string> {
    const c = await readConfig(source, config);
    if (!repo || (!base && !head && !eventFile)) return runStage(source, planFastTests(c));
    return runFilteredFastTests(source, c, { base, head, eventFile }, repo, appPath);
  }

  /**
   * Run the frontend job alone: npm ci, lint, typecheck, unit tests with coverage, next build.
   * Example: dagger call frontend-checks --source ../my-app
   * @param source the application repository (defaults to the embedded example app)
   * @param config path of the pipeline config inside the source
   */
  @func()
  async frontendChecks(
    @argument({
      defaultPath: "/examples/app",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        "**/.e2e",
        ".git",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    source: Directory,
    config: string = CONFIG_FILE,
  ): Promise<string> {
    return runStage(source, planFastTests(await readConfig(source, config), "frontend"));
  }

  /**
   * Run the backend job alone: uv sync, pytest with the coverage gate against a mongo:7 service.
   * Example: dagger call backend-tests --source ../my-app
   * @param source the application repository (defaults to the embedded example app)
   * @param config path of the pipeline config inside the source
   */
  @func()
  async backendTests(
    @argument({
      defaultPath: "/examples/app",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        "**/.e2e",
        ".git",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    source: Directory,
    config: string = CONFIG_FILE,
  ): Promise<string> {
    return runStage(source, planFastTests(await readConfig(source, config), "backend"));
  }

  /**
   * Print what a trigger would run and why: stages, blockers, and the jobs path filtering skips.
   * Example: dagger call plan --event push --branch develop
   * @param event the GitHub event: pull_request, push, workflow_run, workflow_dispatch or schedule
   * @param branch the branch pushed, or a pull request's head branch
   * @param source the application repository, for its config (defaults to the embedded example app)
   * @param repo the git repository, for diffing base and head (defaults to this repository)
   * @param changedPaths changed paths, relative to the repository root (instead of base/head)
   * @param base diff from this commit to find the changed paths
   * @param head diff up to this commit (defaults to HEAD)
   * @param stage for workflow_dispatch: the stage requested
   * @param json print the plan as JSON data instead of text
   * @param appPath where the source sits inside the repository
   * @param config path of the pipeline config inside the source
   */
  @func()
  async plan(
    event: string,
    branch: string,
    @argument({
      defaultPath: "/examples/app",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        "**/.e2e",
        ".git",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    source: Directory,
    @argument({
      defaultPath: "/",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        ".tools",
        ".pipeline",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    repo: Directory,
    changedPaths?: string[],
    base?: string,
    head?: string,
    stage?: string,
    json: boolean = false,
    appPath: string = "examples/app",
    config: string = CONFIG_FILE,
  ): Promise<string> {
    const c = await readConfig(source, config);
    return planText({ event, branch, stage, changedPaths, prefix: appPath }, { base, head }, repo, c, json);
  }

  /**
   * Check every commit subject between base and head is a Conventional Commit; fail listing those that are not.
   * Example: dagger call check-commits --base origin/develop --head HEAD
   * @param base the pull request's target branch or its sha
   * @param head the pull request's head (defaults to HEAD)
   * @param repo the git repository (defaults to this repository)
   */
  @func()
  async checkCommits(
    base: string,
    @argument({
      defaultPath: "/",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        ".tools",
        ".pipeline",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    repo: Directory,
    head: string = "HEAD",
  ): Promise<string> {
    return checkCommitRange(base, head, repo);
  }

  /**
   * Guess the source's pipeline.yaml from its files; return it, each key commented with why it was guessed.
   * Example: dagger call init --source ../my-app export --path ../my-app/pipeline.yaml
   * @param source the application repository to look at (defaults to the embedded example app)
   */
  @func()
  async init(
    @argument({
      defaultPath: "/examples/app",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        "**/.e2e",
        ".git",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    source: Directory,
  ): Promise<File> {
    return runInit(source);
  }

  /**
   * Run Playwright in N shards against staging, merge one report, add the backend E2E; return the report directory.
   * Example: dagger call end-to-end --shards 4 --base-url https://staging.example.com --api-url https://api.staging.example.com export --path e2e-report
   * The directory holds html/ (open html/index.html), results.json, junit.xml, summary.txt, summary.json and `status`
   * (passed or failed), also when tests fail.
   * @param baseUrl the deployed frontend, e.g. https://staging.example.com
   * @param apiUrl the deployed API, e.g. https://api.staging.example.com
   * @param source the application repository (defaults to the embedded example app)
   * @param shards how many Playwright containers run in parallel; more than the spec files is clamped with a warning
   * @param suite smoke (the @smoke-tagged tests, after each deploy) or full (nightly)
   * @param timings the results.json of a previous run: shards are then balanced by file duration, else Playwright's
   * --shard
   * @param slackWebhook a Slack-compatible incoming webhook URL, notified on failure
   * @param discordWebhook a Discord-compatible webhook URL, notified on failure
   * @param notifySuccess notify the webhooks on success too
   * @param commit the sha under test, recorded in promotion/<sha>.json (with --staging-host: what staging runs)
   * @param readyAttempts how often to try staging before giving up (default from the config: 30)
   * @param readyInterval seconds between readiness attempts (default from the config: 10)
   * @param config path of the pipeline config inside the source
   * @param stagingHost the staging server: the promotion record is also written there, to
   * <staging-base-path>/.dep/e2e/<commit>.json
   * @param stagingUser the SSH login on staging
   * @param stagingBasePath DEPLOY_BASE on staging
   * @param stagingPort the SSH port of staging
   * @param stagingSshKey the SSH private key for staging
   * @param stagingKnownHosts staging's pinned known_hosts line(s); StrictHostKeyChecking=yes
   */
  @func({ cache: "never" })
  async endToEnd(
    baseUrl: string,
    apiUrl: string,
    @argument({
      defaultPath: "/examples/app",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        "**/.e2e",
        ".git",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    source: Directory,
    shards: number = 4,
    suite: string = "full",
    timings?: File,
    slackWebhook?: Secret,
    discordWebhook?: Secret,
    notifySuccess: boolean = false,
    commit?: string,
    readyAttempts?: number,
    readyInterval?: number,
    config: string = CONFIG_FILE,
    stagingHost?: string,
    stagingUser: string = "deploy",
    stagingBasePath?: string,
    stagingPort: number = 22,
    stagingSshKey?: Secret,
    stagingKnownHosts?: Secret,
  ): Promise<Directory> {
    const webhooks = { slack: slackWebhook, discord: discordWebhook };
    const staging = e2eStaging({
      host: stagingHost,
      user: stagingUser,
      basePath: stagingBasePath,
      port: stagingPort,
      sshKey: stagingSshKey,
      knownHosts: stagingKnownHosts,
      commit,
    });
    return runE2e({
      source,
      config,
      shards,
      suite,
      baseUrl,
      apiUrl,
      timings,
      readyAttempts,
      readyInterval,
      commit,
      webhooks,
      notifySuccess,
      staging,
    });
  }

  /**
   * Run one Playwright shard of the E2E plan against staging; return its blob report directory for end-to-end-merge.
   * Example: dagger call end-to-end-shard --index 1 --total 4 --base-url https://staging.example.com --api-url https://api.staging.example.com export --path blob
   * The plan is the one `end-to-end --shards <total>` makes from the same source, suite and timings, so shard <index>
   * runs the same tests here as there.
   * @param index which shard to run, 1 to total
   * @param baseUrl the deployed frontend, e.g. https://staging.example.com
   * @param apiUrl the deployed API, e.g. https://api.staging.example.com
   * @param source the application repository (defaults to the embedded example app)
   * @param total how many shards the plan is cut into; every shard and the merge must be given the same
   * @param suite smoke (the @smoke-tagged tests) or full
   * @param timings the results.json of a previous run, the same file for every shard and the merge (balanced shards)
   * @param readyAttempts how often to try staging before giving up (default from the config: 30)
   * @param readyInterval seconds between readiness attempts (default from the config: 10)
   * @param config path of the pipeline config inside the source
   */
  @func({ cache: "never" })
  async endToEndShard(
    index: number,
    baseUrl: string,
    apiUrl: string,
    @argument({
      defaultPath: "/examples/app",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        "**/.e2e",
        ".git",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    source: Directory,
    total: number = 4,
    suite: string = "full",
    timings?: File,
    readyAttempts?: number,
    readyInterval?: number,
    config: string = CONFIG_FILE,
  ): Promise<Directory> {
    return runE2eShard(
      { source, config, shards: total, suite, baseUrl, apiUrl, timings, readyAttempts, readyInterval },
      index,
    );
  }

  /**
   * Merge the shards' blobs, add the backend E2E; return end-to-end's report directory, notification and record.
   * Example: dagger call end-to-end-merge --blobs ./blobs --total 4 --base-url https://staging.example.com --api-url https://api.staging.example.com --commit $SHA export --path report
   * A shard whose report-<index>.zip is missing makes the run red, naming the end-to-end-shard call to re-run.
   * @param blobs a directory holding the shards' report-<index>.zip files (end-to-end-shard exports)
   * @param baseUrl the deployed frontend the shards tested
   * @param apiUrl the deployed API; the backend E2E runs against it here
   * @param source the application repository (defaults to the embedded example app)
   * @param total how many shards the plan was cut into (the shards' --total)
   * @param suite smoke or full, as given to the shards
   * @param timings the results.json the shards were given, if any
   * @param slackWebhook a Slack-compatible incoming webhook URL, notified on failure
   * @param discordWebhook a Discord-compatible webhook URL, notified on failure
   * @param notifySuccess notify the webhooks on success too
   * @param commit the sha under test, recorded in promotion/<sha>.json (with --staging-host: what staging runs)
   * @param readyAttempts how often to try staging before giving up (default from the config: 30)
   * @param readyInterval seconds between readiness attempts (default from the config: 10)
   * @param config path of the pipeline config inside the source
   * @param stagingHost the staging server: the promotion record is also written there, to
   * <staging-base-path>/.dep/e2e/<commit>.json
   * @param stagingUser the SSH login on staging
   * @param stagingBasePath DEPLOY_BASE on staging
   * @param stagingPort the SSH port of staging
   * @param stagingSshKey the SSH private key for staging
   * @param stagingKnownHosts staging's pinned known_hosts line(s); StrictHostKeyChecking=yes
   */
  @func({ cache: "never" })
  async endToEndMerge(
    @argument({ ignore: [".env", "**/.env", ".env.*", "**/.env.*", "**/*.pem", "**/.npmrc"] })
    blobs: Directory,
    baseUrl: string,
    apiUrl: string,
    @argument({
      defaultPath: "/examples/app",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        "**/.e2e",
        ".git",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    source: Directory,
    total: number = 4,
    suite: string = "full",
    timings?: File,
    slackWebhook?: Secret,
    discordWebhook?: Secret,
    notifySuccess: boolean = false,
    commit?: string,
    readyAttempts?: number,
    readyInterval?: number,
    config: string = CONFIG_FILE,
    stagingHost?: string,
    stagingUser: string = "deploy",
    stagingBasePath?: string,
    stagingPort: number = 22,
    stagingSshKey?: Secret,
    stagingKnownHosts?: Secret,
  ): Promise<Directory> {
    const webhooks = { slack: slackWebhook, discord: discordWebhook };
    const staging = e2eStaging({
      host: stagingHost,
      user: stagingUser,
      basePath: stagingBasePath,
      port: stagingPort,
      sshKey: stagingSshKey,
      knownHosts: stagingKnownHosts,
      commit,
    });
    return runE2eMerge(
      {
        source,
        config,
        shards: total,
        suite,
        baseUrl,
        apiUrl,
        timings,
        readyAttempts,
        readyInterval,
        commit,
        webhooks,
        notifySuccess,
        staging,
      },
      blobs,
    );
  }

  /**
   * Fail with the summary when an exported E2E report is red; print the summary when it passed.
   * Example: dagger call end-to-end-verdict --report ./report
   * @param report the directory `dagger call end-to-end ... export --path report` (or end-to-end-merge) wrote
   */
  @func()
  async endToEndVerdict(
    @argument({ ignore: [".env", "**/.env", ".env.*", "**/.env.*", "**/*.pem", "**/.npmrc"] }) report: Directory,
  ): Promise<string> {
    return runE2eVerdict(report);
  }

  /**
   * Print the full sha staging's current release was built from: the commit E2E tests and production promotes.
   * Example: dagger call staging-commit --staging-host staging.example.com --staging-base-path /srv/autoauthor --staging-ssh-key env://STAGING_SSH_KEY --staging-known-hosts env://STAGING_KNOWN_HOSTS
   * @param stagingHost the staging server
   * @param stagingBasePath DEPLOY_BASE on staging
   * @param stagingSshKey the SSH private key for staging
   * @param stagingKnownHosts staging's pinned known_hosts line(s); StrictHostKeyChecking=yes
   * @param stagingUser the SSH login on staging
   * @param stagingPort the SSH port of staging
   */
  @func({ cache: "never" })
  async stagingCommit(
    stagingHost: string,
    stagingBasePath: string,
    stagingSshKey: Secret,
    stagingKnownHosts: Secret,
    stagingUser: string = "deploy",
    stagingPort: number = 22,
  ): Promise<string> {
    const staging = e2eStaging({
      host: stagingHost,
      user: stagingUser,
      basePath: stagingBasePath,
      port: stagingPort,
      sshKey: stagingSshKey,
      knownHosts: stagingKnownHosts,
    });
    return stagingCommitOf(staging, newRunId());
  }

  /**
   * Build the app once and deploy it to staging over SSH, health-checked, rolled back on failure; return the log.
   * Example: dagger call deploy-staging --host staging.example.com --user deploy --base-path /srv/autoauthor --ssh-key env://STAGING_SSH_KEY --known-hosts env://STAGING_KNOWN_HOSTS --database-uri env://STAGING_DATABASE_URI --commit $GITHUB_SHA
   * @param host the staging server (hostname or IP the engine can reach)
   * @param user the SSH login on it
   * @param basePath DEPLOY_BASE on the server: releases/, current, shared/, .dep/
   * @param sshKey the SSH private key
   * @param knownHosts the server's pinned known_hosts line(s); StrictHostKeyChecking=yes, never ssh-keyscan
   * @param databaseUri the app's DATABASE_URI, written byte for byte to shared/env/DATABASE_URI (mode 600)
   * @param commit the sha being deployed (its release id is a timestamp plus the short sha)
   * @param source the application (defaults to the embedded example app)
   * @param repo this pipeline's repository: the deploy container runs its scripts/pipeline.ts (defaults to this
   * repository)
   * @param port the SSH port
   * @param keep releases kept on the server (default from the config: 5)
   * @param apiKey an optional API key, written to shared/env/API_KEY
   * @param publicUrl the public URL baked into the frontend build as NEXT_PUBLIC_API_URL (default http://HOST)
   * @param alertCritical webhook URL(s), one a line, for critical events (rollback, health failing)
   * @param alertWarning webhook URL(s) for warnings (watch alert, a webhook down)
   * @param alertInfo webhook URL(s) for information (deploy done)
   * @param config path of the pipeline config inside the source
   */
  @func({ cache: "never" })
  async deployStaging(
    host: string,
    user: string,
    basePath: string,
    sshKey: Secret,
    knownHosts: Secret,
    databaseUri: Secret,
    commit: string,
    @argument({
      defaultPath: "/examples/app",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        "**/.e2e",
        ".git",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    source: Directory,
    @argument({
      defaultPath: "/",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        ".git",
        ".pipeline",
        ".tools",
        ".scratch",
        "examples",
        "test",
        "bench",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    repo: Directory,
    port: number = 22,
    keep?: number,
    apiKey?: Secret,
    publicUrl?: string,
    config: string = CONFIG_FILE,
    alertCritical?: Secret,
    alertWarning?: Secret,
    alertInfo?: Secret,
  ): Promise<string> {
    return runDeploy("staging", {
      host,
      user,
      port,
      basePath,
      sshKey,
      knownHosts,
      source,
      repo,
      config,
      commit,
      keep,
      publicUrl,
      secrets: { databaseUri, apiKey },
      alerts: { critical: alertCritical, warning: alertWarning, info: alertInfo },
    });
  }

  /**
   * Promote a commit to production once its E2E record on staging passed (or --force-reason says why); return the log.
   * Example: dagger call deploy-production --host prod.example.com --user deploy --base-path /srv/autoauthor --ssh-key env://PRODUCTION_SSH_KEY --known-hosts env://PRODUCTION_KNOWN_HOSTS --database-uri env://PRODUCTION_DATABASE_URI --commit $GITHUB_SHA --staging-host staging.example.com
   * @param host the production server (hostname or IP the engine can reach)
   * @param user the SSH login on it
   * @param basePath DEPLOY_BASE on the server
   * @param sshKey the SSH private key for production
   * @param knownHosts production's pinned known_hosts line(s) (may hold staging's too)
   * @param databaseUri the app's DATABASE_URI for production
   * @param commit the full 40-hex sha to promote; its record is .dep/e2e/<sha>.json on staging
   * @param source the application (defaults to the embedded example app)
   * @param repo this pipeline's repository: the deploy container runs its scripts/pipeline.ts (defaults to this
   * repository)
   * @param stagingHost the staging server holding the E2E record (not needed with --force-reason)
   * @param stagingUser the SSH login on staging (default: user)
   * @param stagingBasePath DEPLOY_BASE on staging (default: base-path)
   * @param stagingPort the SSH port of staging
   * @param stagingSshKey the SSH private key for staging (default: ssh-key)
   * @param stagingKnownHosts staging's pinned known_hosts line(s) (default: known-hosts)
   * @param forceReason skip the E2E gate, saying why; logged and recorded in releases.jsonl
   * @param port the SSH port of production
   * @param keep releases kept on the server (default from the config: 5)
   * @param apiKey an optional API key, written to shared/env/API_KEY
   * @param publicUrl the public URL baked into the frontend build as NEXT_PUBLIC_API_URL (default http://HOST)
   * @param alertCritical webhook URL(s), one a line, for critical events (rollback, health failing)
   * @param alertWarning webhook URL(s) for warnings (watch alert, a webhook down)
   * @param alertInfo webhook URL(s) for information (deploy done)
   * @param config path of the pipeline config inside the source
   */
  @func({ cache: "never" })
  async deployProduction(
    host: string,
    user: string,
    basePath: string,
    sshKey: Secret,
    knownHosts: Secret,
    databaseUri: Secret,
    commit: string,
    @argument({
      defaultPath: "/examples/app",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        "**/.e2e",
        ".git",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    source: Directory,
    @argument({
      defaultPath: "/",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        ".git",
        ".pipeline",
        ".tools",
        ".scratch",
        "examples",
        "test",
        "bench",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    repo: Directory,
    stagingHost?: string,
    stagingUser?: string,
    stagingBasePath?: string,
    stagingPort: number = 22,
    stagingSshKey?: Secret,
    stagingKnownHosts?: Secret,
    forceReason?: string,
    port: number = 22,
    keep?: number,
    apiKey?: Secret,
    publicUrl?: string,
    config: string = CONFIG_FILE,
    alertCritical?: Secret,
    alertWarning?: Secret,
    alertInfo?: Secret,
  ): Promise<string> {
    const staging = {
      host: stagingHost,
      user: stagingUser,
      basePath: stagingBasePath,
      port: stagingPort,
      sshKey: stagingSshKey,
      knownHosts: stagingKnownHosts,
    };
    return runPromotion({
      host,
      user,
      port,
      basePath,
      sshKey,
      knownHosts,
      source,
      repo,
      config,
      commit,
      keep,
      publicUrl,
      secrets: { databaseUri, apiKey },
      alerts: { critical: alertCritical, warning: alertWarning, info: alertInfo },
      staging,
      forceReason,
    });
  }

  /**
   * Roll a target back to its previous good release (never a BAD one), or to --to; return the rollback log.
   * Example: dagger call rollback --host staging.example.com --user deploy --base-path /srv/autoauthor --ssh-key env://STAGING_SSH_KEY --known-hosts env://STAGING_KNOWN_HOSTS --database-uri env://STAGING_DATABASE_URI
   * @param host the server (hostname or IP the engine can reach)
   * @param user the SSH login on it
   * @param basePath DEPLOY_BASE on the server
   * @param sshKey the SSH private key
   * @param knownHosts the server's pinned known_hosts line(s)
   * @param databaseUri the app's DATABASE_URI: the host runner asks for it on every target; rollback does not rewrite
   * env files
   * @param source the application, for its config (defaults to the embedded example app)
   * @param repo this pipeline's repository: the container runs its scripts/pipeline.ts (defaults to this repository)
   * @param target staging or production
   * @param to a release id to return to instead of the previous good one (e.g. 20261126T231501Z-3520442)
   * @param port the SSH port
   * @param alertCritical webhook URL(s), one a line, for critical events (rollback, health failing)
   * @param alertWarning webhook URL(s) for warnings (watch alert, a webhook down)
   * @param alertInfo webhook URL(s) for information (deploy done)
   * @param config path of the pipeline config inside the source
   */
  @func({ cache: "never" })
  async rollback(
    host: string,
    user: string,
    basePath: string,
    sshKey: Secret,
    knownHosts: Secret,
    databaseUri: Secret,
    @argument({
      defaultPath: "/examples/app",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        "**/.e2e",
        ".git",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    source: Directory,
    @argument({
      defaultPath: "/",
      ignore: [
        "**/node_modules",
        "**/.next",
        "**/.venv",
        "**/__pycache__",
        ".git",
        ".pipeline",
        ".tools",
        ".scratch",
        "examples",
        "test",
        "bench",
        ".env",
        "**/.env",
        ".env.*",
        "**/.env.*",
        "**/*.pem",
        "**/.npmrc",
      ],
    })
    repo: Directory,
    target: string = "staging",
    to?: string,
    port: number = 22,
    config: string = CONFIG_FILE,
    alertCritical?: Secret,
    alertWarning?: Secret,
    alertInfo?: Secret,
  ): Promise<string> {
    const alerts = { critical: alertCritical, warning: alertWarning, info: alertInfo };
    const ssh = { host, user, port, basePath, sshKey, knownHosts };
    return runRollback(targetName(target), { ...ssh, source, repo, config, secrets: { databaseUri }, alerts }, to);
  }

  /**
   * Print the success metrics of seed §11 (value, target, ok/missed) from release logs and E2E records.
   * Example: dagger call metrics --release-logs ./staging-releases.jsonl --end-to-end-records ./e2e --since 2026-11-01
   * @param releaseLogs copies of `.dep/releases.jsonl`, one per target
   * @param endToEndRecords a copy of `.dep/e2e/` (one `<sha>.json` per E2E run)
   * @param since first day, YYYY-MM-DD (default: 30 days ago)
   * @param until last day, YYYY-MM-DD (default: today)
   * @param config a pipeline.yaml for the billing rate and thresholds (default: the built-in defaults)
   */
  // Never cached: the default window ends today, and a persistent engine would otherwise replay an old window.
  @func({ cache: "never" })
  async metrics(
    releaseLogs: File[],
    @argument({ ignore: [".env", "**/.env", ".env.*", "**/.env.*", "**/*.pem", "**/.npmrc"] })
    endToEndRecords?: Directory,
    since?: string,
    until?: string,
    config?: File,
  ): Promise<string> {
    return runMetrics({ releaseLogs, e2eRecords: endToEndRecords, since, until }, await configOf(config));
  }

  /**
   * Write the success-metrics page: one self-contained HTML file with inline SVG charts, readable with no server.
   * Example: dagger call metrics-page --release-logs ./releases.jsonl --end-to-end-records ./e2e export --path metrics.html
   * @param releaseLogs copies of `.dep/releases.jsonl`, one per target
   * @param endToEndRecords a copy of `.dep/e2e/`
   * @param since first day, YYYY-MM-DD (default: 30 days ago)
   * @param until last day, YYYY-MM-DD (default: today)
   * @param config a pipeline.yaml for the billing rate and thresholds (default: the built-in defaults)
   */
  // Never cached: the default window ends today, and a persistent engine would otherwise replay an old window.
  @func({ cache: "never" })
  async metricsPage(
    releaseLogs: File[],
    @argument({ ignore: [".env", "**/.env", ".env.*", "**/.env.*", "**/*.pem", "**/.npmrc"] })
    endToEndRecords?: Directory,
    since?: string,
    until?: string,
    config?: File,
  ): Promise<File> {
    return runMetricsPage({ releaseLogs, e2eRecords: endToEndRecords, since, until }, await configOf(config));
  }
}
