/**
 * What the stand-in `dagger` maps each `dagger call <function>` of the workflows to: the host runner's command, its
 * flags, and the STAGING_* / PRODUCTION_* settings the host runner reads where the Dagger function takes arguments.
 * Pure: a flag with no mapping is refused, so nothing a workflow passes is silently dropped.
 */
import { secretSource, StandInRefusal, type DaggerCall } from "./daggerLine";

interface FnMap {
  command: string;
  /** dagger flag → host runner flag (same value). */
  args: Record<string, string>;
  /** dagger flag → env var (plain value). */
  env: Record<string, string>;
  /** dagger flag → env var (a Secret: env:// or file:// read by the stand-in). */
  secrets: Record<string, string>;
  /** How `export --path P` is honoured: the run's state dir (report copied out after) or the host's --out. */
  exportAs?: "report" | "out";
}

const SOURCE = { "--source": "--source", "--config": "--config" };
const target = (p: string) => ({
  env: {
    "--host": `${p}_SSH_HOST`,
    "--port": `${p}_SSH_PORT`,
    "--user": `${p}_SSH_USER`,
    "--base-path": `${p}_DEPLOY_PATH`,
    "--public-url": `${p}_PUBLIC_URL`,
  },
  secrets: {
    "--ssh-key": `${p}_SSH_KEY`,
    "--known-hosts": `${p}_KNOWN_HOSTS`,
    "--database-uri": `${p}_SECRET_DATABASE_URI`,
    "--api-key": `${p}_SECRET_API_KEY`,
    "--alert-critical": "ALERT_WEBHOOK_CRITICAL",
    "--alert-warning": "ALERT_WEBHOOK_WARNING",
    "--alert-info": "ALERT_WEBHOOK_INFO",
  },
});
const STAGING_READ = {
  env: {
    "--staging-host": "STAGING_SSH_HOST",
    "--staging-port": "STAGING_SSH_PORT",
    "--staging-user": "STAGING_SSH_USER",
    "--staging-base-path": "STAGING_DEPLOY_PATH",
  },
  secrets: { "--staging-ssh-key": "STAGING_SSH_KEY", "--staging-known-hosts": "STAGING_KNOWN_HOSTS" },
};
const E2E_ARGS = {
  ...SOURCE,
  "--suite": "--suite",
  "--base-url": "--base-url",
  "--api-url": "--api-url",
  "--timings": "--timings",
  "--ready-attempts": "--ready-attempts",
  "--ready-interval": "--ready-interval",
};
const WEBHOOKS = {
  "--slack-webhook": "SLACK_WEBHOOK_URL",
  "--discord-webhook": "DISCORD_WEBHOOK_URL",
  "--alert-warning": "ALERT_WEBHOOK_WARNING",
};
/** end-to-end and end-to-end-merge both write the record to staging, notify, and return the report. */
const E2E_REPORTING = {
  env: STAGING_READ.env,
  secrets: { ...STAGING_READ.secrets, ...WEBHOOKS },
  exportAs: "report" as const,
};

export const FUNCTIONS: Record<string, FnMap> = {
  "fast-tests": {
    command: "fast-tests",
    args: { ...SOURCE, "--event-file": "--event-file", "--base": "--base", "--head": "--head" },
    env: {},
    secrets: {},
  },
  "check-commits": { command: "check-commits", args: { "--base": "--base", "--head": "--head" }, env: {}, secrets: {} },
  "staging-commit": { command: "staging-commit", args: {}, ...STAGING_READ },
  "deploy-staging": {
    command: "deploy-staging",
    args: { ...SOURCE, "--commit": "--commit", "--keep": "--keep", "--strategy": "--strategy" },
    ...target("STAGING"),
  },
  "deploy-production": {
    command: "deploy-production",
    args: { ...SOURCE, "--commit": "--commit", "--keep": "--keep", "--strategy": "--strategy" },
    env: { ...target("PRODUCTION").env, ...STAGING_READ.env },
    secrets: { ...target("PRODUCTION").secrets, ...STAGING_READ.secrets },
  },
  "end-to-end": {
    command: "end-to-end",
    args: { ...E2E_ARGS, "--shards": "--shards", "--commit": "--commit", "--notify-success": "--notify-success" },
    ...E2E_REPORTING,
  },
  "end-to-end-shard": {
    command: "end-to-end-shard",
    args: { ...E2E_ARGS, "--index": "--index", "--total": "--total" },
    env: {},
    secrets: {},
    exportAs: "out",
  },
  "end-to-end-merge": {
    command: "end-to-end-merge",
    args: { ...E2E_ARGS, "--blobs": "--blobs", "--total": "--total", "--commit": "--commit" },
    ...E2E_REPORTING,
  },
  "end-to-end-verdict": { command: "end-to-end-verdict", args: { "--report": "--report" }, env: {}, secrets: {} },
};

/** The host runner's argv and environment for one call; secrets are resolved through `read`. */
export interface HostCall {
  command: string;
  argv: string[];
  env: Record<string, string>;
  /** Names of the env vars holding secrets: their values are never printed. */
  secretNames: string[];
  exportAs?: "report" | "out";
  exportPath?: string;
}

/** Map a parsed call; an unknown function, an unmapped flag or --repo other than the checkout is refused. */
export function hostCall(c: DaggerCall, read: (ref: ReturnType<typeof secretSource>) => string): HostCall {
  const m = FUNCTIONS[c.fn];
  if (!m)
    throw new StandInRefusal(
      `no host-runner mapping for \`dagger call ${c.fn}\` (mapped: ${Object.keys(FUNCTIONS).join(", ")})`,
    );
  const repo = c.constructorFlags["--repo"] ?? c.flags["--repo"];
  if (repo !== undefined && repo !== ".")
    throw new StandInRefusal(
      `--repo ${String(repo)}: the host runner runs this checkout's own scripts; only --repo . maps`,
    );
  const out: HostCall = {
    command: m.command,
    argv: [],
    env: {},
    secretNames: [],
    exportAs: m.exportAs,
    exportPath: c.exportPath,
  };
  const all: [string, string | true][] = [...Object.entries(c.constructorFlags), ...Object.entries(c.flags)];
  for (const [flag, value] of all.filter(([f]) => f !== "--repo")) {
    if (flag === "--force-reason" && c.fn === "deploy-production") {
      if (value !== true && value !== "") out.argv.push("--force-reason", value);
    } else if (flag in m.args) out.argv.push(...(value === true ? [m.args[flag]] : [m.args[flag], value]));
    else if (flag in m.env && value !== true) out.env[m.env[flag]] = value;
    else if (flag in m.secrets && value !== true) {
      out.env[m.secrets[flag]] = read(secretSource(value));
      out.secretNames.push(m.secrets[flag]);
    } else throw new StandInRefusal(`\`dagger call ${c.fn}\` flag ${flag} has no host-runner mapping`);
  }
  if (c.exportPath && !m.exportAs) throw new StandInRefusal(`\`${c.fn} ... export\` has no host-runner mapping`);
  if (c.fn === "end-to-end" || c.fn === "end-to-end-merge")
    out.argv.push("--record", out.env.STAGING_SSH_HOST ? "staging" : "local");
  return out;
}
