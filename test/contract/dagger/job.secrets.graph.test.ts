import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GIT_IMAGE } from "../../../ci/src/dagger/git";
import { CURL_IMAGE } from "../../../ci/src/dagger/webhook";
import { parseConfig } from "../../../ci/src/plan/config/parse";
import { SSH_IMAGE } from "../../../ci/src/plan/e2e/record";
import { planFastTests } from "../../../ci/src/plan/fastTests/stage";
import { RUN_ID_VARIABLE } from "../../../ci/src/dagger/runId";
import { allSteps, serviceEnv } from "../../../ci/src/plan/job";
import {
  DEPLOYED,
  e2eArgs,
  EXAMPLE,
  recordCall,
  sshdOn,
  stagingArgs,
  stagingBase,
  startStaging,
  type RecordedCall,
} from "../../support/e2eRecording";
import type { CiFunction } from "../../support/ciCall";
import { callsUnder, containerCalls, type Chain } from "../../support/recorder";

type Dag = typeof import("@dagger.io/dagger").dag;

/** The runner's own tool images (curl posts, ssh, git); every other container runs repository commands. */
const RUNNER_IMAGES = new Set([CURL_IMAGE, SSH_IMAGE, GIT_IMAGE]);
const SECRET_FIELDS = new Set(["withSecretVariable", "withMountedSecret", "setSecret", "secret"]);

const PLAINTEXT: Record<string, string> = {
  E2E_SLACK: 'https://hooks.example.com/T0KEN "quoted" $HOME and spaces',
  E2E_DISCORD: "https://discord.example.com/api/webhooks/1/abc\nsecond line",
  E2E_KEY: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA $x 'q' \"d\"\n-----END OPENSSH PRIVATE KEY-----",
  E2E_KNOWN: "staging.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKNOWN",
  ALERT_WARNING: "https://alerts.example.com/warning",
};

/** Every container a recording built, by the image it starts from, with every call under it (its inputs too). */
function containersOf(r: RecordedCall): { image: string; calls: Chain }[] {
  const seen = new Map<string, { image: string; calls: Chain }>();
  for (const ch of r.rec.chains) {
    const calls = containerCalls(ch);
    const image = calls.find((c) => c.field === "from")?.args.address as string | undefined;
    if (!image || !calls.some((c) => c.field === "withExec")) continue;
    seen.set(JSON.stringify(calls), { image, calls: callsUnder(calls) });
  }
  return [...seen.values()];
}

/** What is wrong with a repository command's container: a secret attached, or a variable the plan does not set. */
function problems(c: { image: string; calls: Chain }, allowedEnv: Set<string>): string[] {
  if (RUNNER_IMAGES.has(c.image)) return [];
  const secret = c.calls.filter((x) => SECRET_FIELDS.has(x.field)).map((x) => `${c.image}: ${x.field}`);
  const env = c.calls
    .filter((x) => x.field === "withEnvVariable" && !allowedEnv.has(x.args.name as string))
    .map((x) => `${c.image}: env ${x.args.name}`);
  return [...secret, ...env];
}

/**
 * Repository code is untrusted: on the Dagger path no container that runs a repository's commands (install, lint,
 * tests, build, Playwright, pytest, merge-reports) gets a Secret or a variable its plan does not set, though the calls
 * are given webhook, alert and ssh Secrets. Only the runner's own curl and ssh containers hold them.
 */
describe("secrets on the Dagger path (recorded GraphQL requests)", () => {
  let staging: { url: string; close(): void };
  let e2e: RecordedCall;
  let fast: RecordedCall;
  let back: RecordedCall;
  let allowed: Set<string>;

  beforeAll(async () => {
    staging = await startStaging();
    const base = stagingBase();
    e2e = await recordCall(
      "endToEnd",
      (dag: Dag) =>
        e2eArgs(dag, staging.url, {
          shards: 2,
          slackWebhook: dag.secret("env://E2E_SLACK"),
          discordWebhook: dag.secret("env://E2E_DISCORD"),
          notifySuccess: true,
          ...stagingArgs(dag, base),
        }),
      { answer: sshdOn().answer },
      PLAINTEXT,
    );
    const pytest = planFastTests(parseConfig(undefined)).jobs[1].steps[0].argv;
    const lowCoverage = (field: string, chain: Parameters<typeof callsUnder>[0]) =>
      field === "stdout" &&
      callsUnder(chain).some((c) => c.field === "withExec" && c.args.args?.toString() === pytest.toString())
        ? "TOTAL 61.54%\nRequired test coverage of 85% reached. Total coverage: 61.54%\n"
        : undefined;
    // A coverage drop, so the alert is really posted in the same call.
    const withCoverageDrop = (fn: CiFunction) =>
      recordCall(
        fn,
        (dag: Dag) => ({
          source: dag.host().directory(EXAMPLE),
          config: "pipeline.yaml",
          alertWarning: dag.secret("env://ALERT_WARNING"),
        }),
        { answer: lowCoverage },
        PLAINTEXT,
      );
    fast = await withCoverageDrop("fastTests");
    back = await withCoverageDrop("backendTests");
    const c = parseConfig(undefined);
    const planned = planFastTests(c).jobs.flatMap((j) => [
      ...Object.keys(j.env),
      ...j.services.flatMap((s) => Object.keys(serviceEnv(s, s.alias, s.port))),
      ...allSteps(j).flatMap((s) => Object.keys(s.env ?? {})),
    ]);
    const e2eEnv = ["BASE_URL", "API_URL", "CI", "NEXT_TELEMETRY_DISABLED", "UV_PYTHON_DOWNLOADS", "UV_LINK_MODE"];
    const reporters = ["BLOB_OUTPUT_DIR", "BLOB_OUTPUT_NAME", "HTML_OUTPUT_DIR", "HTML_OPEN", "JSON_OUTPUT_FILE"];
    allowed = new Set([
      ...planned,
      ...e2eEnv,
      ...reporters.map((r) => `PLAYWRIGHT_${r}`),
      "PLAYWRIGHT_JUNIT_OUTPUT_FILE",
      RUN_ID_VARIABLE,
    ]);
  }, 120_000);
  afterAll(() => staging?.close());

  it("runs both calls to their end, the E2E one on the commit staging runs", () => {
    expect([e2e.error, fast.error]).toEqual([undefined, undefined]);
    expect(JSON.stringify(e2e.rec.queries)).toContain(DEPLOYED);
  });

  it("posts fast-tests' and backend-tests' coverage-drop alert from a curl container holding the alert Secret", () => {
    expect(back.error).toBeUndefined();
    for (const call of [fast, back]) {
      const curl = containersOf(call).filter((c) => c.image === CURL_IMAGE);
      expect(curl).toHaveLength(1);
      const body = curl[0].calls.find((x) => x.field === "withNewFile")?.args.contents as string;
      expect(JSON.parse(body)).toMatchObject({ event: "coverage-drop", severity: "warning" });
    }
    const curl = containersOf(fast).filter((c) => c.image === CURL_IMAGE);
    expect(curl).toHaveLength(1);
    expect(curl[0].calls.filter((x) => x.field === "withSecretVariable").map((x) => x.args.name)).toEqual([
      "WEBHOOK_URL",
    ]);
    const body = curl[0].calls.find((x) => x.field === "withNewFile")?.args.contents as string;
    expect(JSON.parse(body)).toMatchObject({ event: "coverage-drop", severity: "warning" });
  });

  it("attaches the Secrets only to the runner's own curl and ssh containers", () => {
    const holders = [...containersOf(e2e), ...containersOf(fast)]
      .filter((c) => c.calls.some((x) => SECRET_FIELDS.has(x.field)))
      .map((c) => c.image);
    expect(new Set(holders)).toEqual(new Set([CURL_IMAGE, SSH_IMAGE]));
  });

  it("gives no repository command's container a Secret or a variable its plan does not set", () => {
    const repoContainers = [...containersOf(e2e), ...containersOf(fast)].filter((c) => !RUNNER_IMAGES.has(c.image));
    expect(repoContainers.length).toBeGreaterThanOrEqual(6);
    expect(repoContainers.flatMap((c) => problems(c, allowed))).toEqual([]);
  });

  it("(the check) catches a Secret or a stray variable on a repository command's container", () => {
    const [shard] = containersOf(e2e).filter((c) => !RUNNER_IMAGES.has(c.image));
    const secret = { field: "withSecretVariable", args: { name: "GITHUB_TOKEN" } };
    const stray = { field: "withEnvVariable", args: { name: "STAGING_SSH_KEY", value: "x" } };
    expect(problems({ ...shard, calls: [...shard.calls, secret, stray] }, allowed)).toEqual([
      `${shard.image}: withSecretVariable`,
      `${shard.image}: env STAGING_SSH_KEY`,
    ]);
  });
});
