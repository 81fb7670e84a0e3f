import { dag, ReturnType, type Container, type Directory, type File, type Secret } from "@dagger.io/dagger";
import { readConfig } from "../config";
import { jobContainer } from "../job";
import { validateTarget, type DeployTarget } from "../../plan/deploy/stage";
import { promotionRecordOf, RECORD_SSH, recordWriteArgv, SSH_IMAGE } from "../../plan/e2e/record";
import { E2E_PATHS, E2eInputError, isSpecFile, planE2e, playwrightVersion, type E2ePlan } from "../../plan/e2e/stage";
import { formatE2eSummary, summarizeE2e, type E2eSummary, type ShardRun } from "../../plan/e2e/summary";
import {
  notificationText,
  shouldNotify,
  webhookPayload,
  webhookWarning,
  type WebhookKind,
} from "../../plan/e2e/notify";
import { containerWorkdir, type Job } from "../../plan/job";
import { fileTimings, parseReport } from "../../plan/e2e/playwrightReport";
import { parsePytestJunit } from "../../plan/e2e/pytestJunit";
import { fetchProbe } from "../../io/probe";
import { readinessUrls, waitForReady } from "../../plan/e2e/readiness";

/** The image that posts webhooks: curl reads the URL from a secret variable, never from argv. */
export const CURL_IMAGE = "curlimages/curl:8.11.1";

/** What every E2E function plans from: the same inputs give the same plan, on one engine or across machines. */
export interface E2eBase {
  source: Directory;
  config: string;
  /** The shard count the plan is cut for (`--shards` of e2e, `--total` of e2e-shard and e2e-merge). */
  shards: number;
  suite: string;
  baseUrl: string;
  apiUrl: string;
  timings?: File;
  readyAttempts?: number;
  readyInterval?: number;
}

export interface DaggerE2eArgs extends E2eBase {
  commit?: string;
  webhooks: Partial<Record<WebhookKind, Secret>>;
  notifySuccess: boolean;
  /** When given, the promotion record is also written on staging over ssh. */
  staging?: { target: DeployTarget; sshKey: Secret; knownHosts: Secret };
}

/** Plan, wait for staging, run the shards ‖ backend E2E, merge, summarise, notify; return the report directory. */
export async function runE2e(a: DaggerE2eArgs): Promise<Directory> {
  const plan = await planFromSource(a);
  const shards = plan.shardJobs.map((job) => shardContainer(a.source, job));
  const backend = backendContainer(a.source, plan);
  const started = Date.now();
  // Each exitCode resolves when its own container is done; all started together, so that is the shard's time.
  const timed = (c: Container) => c.exitCode().then((code) => ({ code, seconds: (Date.now() - started) / 1000 }));
  const [runs, backendCode] = await Promise.all([Promise.all(shards.map(timed)), backend.exitCode()]);
  const merge = mergeContainer(
    a.source,
    plan,
    shards.map((s, i) => shardBlob(s, plan, i + 1)),
  );
  await merge.exitCode();
  const shardRuns = plan.assignment.shards.map((s, i) => ({
    index: s.index,
    files: s.files,
    exitCode: runs[i].code,
    seconds: runs[i].seconds,
  }));
  return finishE2e(a, plan, await summarise(plan, merge, backend, { runs: shardRuns, backendCode, problems: [] }));
}

/**
 * Read the config, the spec files, the Playwright version and the timings, plan, and wait for staging. Every E2E
 * function starts here.
 */
export async function planFromSource(a: E2eBase): Promise<E2ePlan> {
  const c = await readConfig(a.source, a.config);
  const fe = c.frontend.path;
  const [files, pkg, lock, timings] = await Promise.all([
    listSpecs(a.source.directory(`${fe}/${c.e2e.testDir}`)),
    a.source.file(`${fe}/package.json`).contents(),
    a.source
      .file(`${fe}/package-lock.json`)
      .contents()
      .catch(() => undefined),
    a.timings
      ? a.timings.contents().then((t) => fileTimings(parseReport(t, "--timings")))
      : Promise.resolve(new Map<string, number>()),
  ]);
  const plan = planE2e(c, {
    suite: a.suite,
    shards: a.shards,
    files,
    timings,
    baseUrl: a.baseUrl,
    apiUrl: a.apiUrl,
    playwrightVersion: playwrightVersion(pkg, lock),
  });
  for (const w of plan.warnings) console.error(`warning: ${w}`);
  const ready = {
    attempts: a.readyAttempts ?? c.e2e.readyAttempts,
    intervalSeconds: a.readyInterval ?? c.e2e.readyIntervalSeconds,
  };
  await waitForReady(
    readinessUrls(a.baseUrl, a.apiUrl, c.e2e.healthPath),
    ready,
    fetchProbe(),
    (ms) => new Promise((r) => setTimeout(r, ms)),
  );
  return plan;
}

/** A shard job's container, its Playwright step allowed to fail (the blob holds the failures). */
export function shardContainer(source: Directory, job: Job): Container {
  return keepGoing(source, job);
}

/** The blob report directory shard `index` wrote: `report-<index>.zip`. */
export function shardBlob(shard: Container, plan: E2ePlan, index: number): Directory {
  return shard.directory(`${containerWorkdir(plan.mergeJob)}/${E2E_PATHS.blobDir(index)}`);
}

/** The backend's E2E pytest container, allowed to fail (its JUnit is read instead). */
export function backendContainer(source: Directory, plan: E2ePlan): Container {
  return keepGoing(source, plan.backendJob);
}

/** The merge job's container: every given blob directory gathered into one folder, then merge-reports. */
export function mergeContainer(source: Directory, plan: E2ePlan, blobs: Directory[]): Container {
  const dir = containerWorkdir(plan.mergeJob);
  let merge = jobContainer(source, { ...plan.mergeJob, steps: [] });
  for (const b of blobs) merge = merge.withDirectory(`${dir}/${E2E_PATHS.blobs}`, b);
  return withLastStep(merge, plan.mergeJob);
}

/** The summary of a run whose merge (and backend) containers are done, and the merged report directory. */
export async function summarise(
  plan: E2ePlan,
  merge: Container,
  backend: Container,
  r: { runs: ShardRun[]; backendCode: number; problems: string[] },
): Promise<{ summary: E2eSummary; report: Directory }> {
  const report = merge.directory(`${containerWorkdir(plan.mergeJob)}/${E2E_PATHS.report}`);
  const [json, junit] = await Promise.all([
    report
      .file("results.json")
      .contents()
      .catch(() => ""),
    backend
      .file(`${containerWorkdir(plan.backendJob)}/${E2E_PATHS.backendJunit}`)
      .contents()
      .catch(() => undefined),
  ]);
  const summary = summarizeE2e({
    suite: plan.suite,
    mode: plan.assignment.mode,
    modeReason: plan.assignment.reason,
    shards: r.runs,
    report: tryParse(json),
    backend: parsePytestJunit(junit, r.backendCode),
    problems: r.problems,
  });
  return { summary, report };
}

/** Notify, write the promotion record, and add the summary, status and record to the report. */
export async function finishE2e(
  a: DaggerE2eArgs,
  plan: E2ePlan,
  r: { summary: E2eSummary; report: Directory },
): Promise<Directory> {
  const [warnings, recordWarnings] = await Promise.all([
    notifyAll(r.summary, a, plan.suite),
    writeStagingRecord(r.summary, a),
  ]);
  return withSummary(r.report, r.summary, [...plan.warnings, ...warnings, ...recordWarnings], a.commit);
}

/** A job's container whose last step may fail without failing the pipeline: its exit code is read instead. */
function keepGoing(source: Directory, job: Job): Container {
  return withLastStep(jobContainer(source, { ...job, steps: job.steps.slice(0, -1) }), job);
}

function withLastStep(c: Container, job: Job): Container {
  const step = job.steps[job.steps.length - 1];
  for (const [k, v] of Object.entries(step.env ?? {})) c = c.withEnvVariable(k, v);
  return c.withExec(step.argv, { expect: ReturnType.Any });
}

async function notifyAll(s: E2eSummary, a: DaggerE2eArgs, suite: string): Promise<string[]> {
  if (!shouldNotify(s, a.notifySuccess)) return [];
  const text = notificationText(s, {
    commit: a.commit ?? "unknown",
    report: `the end-to-end Directory (dagger call end-to-end ... export --path e2e-report), ${suite} suite`,
  });
  const posts = (Object.entries(a.webhooks) as [WebhookKind, Secret | undefined][]).filter(
    (e): e is [WebhookKind, Secret] => !!e[1],
  );
  const codes = await Promise.all(
    posts.map(([kind, secret]) => postWebhook(secret, JSON.stringify(webhookPayload(kind, text)))),
  );
  return posts.flatMap(([kind], i) => (codes[i] === 0 ? [] : [webhookWarning(kind, `curl exit ${codes[i]}`)]));
}

/** POST a JSON body to a webhook whose URL is a Secret; the shell reads it from $WEBHOOK_URL. */
export function postWebhook(url: Secret, body: string): Promise<number> {
  return dag
    .container()
    .from(CURL_IMAGE)
    .withNewFile("/tmp/payload.json", body)
    .withSecretVariable("WEBHOOK_URL", url)
    .withExec(
      [
        "sh",
        "-c",
        'curl -fsS -m 10 -X POST -H "content-type: application/json" --data @/tmp/payload.json "$WEBHOOK_URL" >/dev/null',
      ],
      { expect: ReturnType.Any },
    )
    .exitCode();
}

/** Write the record to staging's `.dep/e2e/<sha>.json`; a failure is a warning (production then stays refused). */
async function writeStagingRecord(s: E2eSummary, a: DaggerE2eArgs): Promise<string[]> {
  if (!a.staging || !a.commit) return [];
  const record = promotionRecordOf(s, a.commit, "the e2e Directory's html/index.html", new Date());
  const code = await dag
    .container()
    .from(SSH_IMAGE)
    .withExec(["apk", "add", "--no-cache", "openssh-client"])
    .withMountedSecret(RECORD_SSH.key, a.staging.sshKey, { mode: 0o600 })
    .withMountedSecret(RECORD_SSH.knownHosts, a.staging.knownHosts, { mode: 0o600 })
    .withNewFile(RECORD_SSH.record, `${JSON.stringify(record, null, 2)}\n`)
    .withExec(recordWriteArgv(a.staging.target, a.commit), { expect: ReturnType.Any })
    .exitCode();
  const where = `${a.staging.target.user}@${a.staging.target.host}:${a.staging.target.basePath}/.dep/e2e/${a.commit}.json`;
  return code === 0
    ? []
    : [
        `warning: the promotion record was not written to ${where} (ssh exit ${code}); deploy-production will refuse ${a.commit}`,
      ];
}

function withSummary(report: Directory, s: E2eSummary, warnings: string[], commit?: string): Directory {
  let d = report
    .withNewFile("summary.json", `${JSON.stringify({ ...s, warnings }, null, 2)}\n`)
    .withNewFile("summary.txt", `${[formatE2eSummary(s), ...warnings].join("\n")}\n`)
    .withNewFile("status", `${s.status}\n`);
  if (commit)
    d = d.withNewFile(
      `promotion/${commit}.json`,
      `${JSON.stringify(promotionRecordOf(s, commit, "html/index.html", new Date()), null, 2)}\n`,
    );
  return d;
}

async function listSpecs(dir: Directory, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await dir.entries()) {
    if (e.endsWith("/")) out.push(...(await listSpecs(dir.directory(e.slice(0, -1)), `${prefix}${e}`)));
    else if (isSpecFile(e)) out.push(`${prefix}${e}`);
  }
  return out.sort();
}

function tryParse(json: string) {
  try {
    return parseReport(json);
  } catch {
    return undefined;
  }
}

/** The staging target for the record, or undefined without --staging-host; half a target is an input error. */
export function e2eStaging(a: {
  host?: string;
  user: string;
  basePath?: string;
  port: number;
  sshKey?: Secret;
  knownHosts?: Secret;
  commit?: string;
}): DaggerE2eArgs["staging"] {
  if (!a.host) return undefined;
  if (!a.basePath || !a.sshKey || !a.knownHosts || !a.commit) {
    throw new E2eInputError(
      "--staging-host needs --staging-base-path, --staging-ssh-key, --staging-known-hosts and --commit to write the promotion record there",
    );
  }
  return {
    target: validateTarget({ name: "staging", host: a.host, user: a.user, port: a.port, basePath: a.basePath }),
    sshKey: a.sshKey,
    knownHosts: a.knownHosts,
  };
}
