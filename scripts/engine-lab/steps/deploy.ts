/**
 * deployStaging twice (HEAD~1, then HEAD), rollback, endToEnd against staging writing its promotion record, then
 * deployProduction gated by that record (and refused for a commit without one), against the bundled test staging
 * server (sshd + nginx + PM2 + FerretDB on loopback, scripts/host/staging/server.ts) in its own directory. The
 * engine's containers reach it through forwarders on the engine bridge's gateway address (forward.ts); known_hosts is
 * rewritten for that address.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { dag, type Secret } from "@dagger.io/dagger";
import type { Ci } from "../../../ci/src/index";
import { DeployInputError } from "../../../ci/src/plan/deploy/stage";
import { startStagingServer, stopStagingServer } from "../../host/staging/server";
import type { LabStep, StepGroup } from "../driver";
import { bridgeIp, forward } from "../forward";
import { labOut } from "../results";
import { ROOT } from "./sources";

interface Target {
  host: string;
  user: string;
  basePath: string;
  port: number;
  publicUrl: string;
  sshKey: Secret;
  knownHosts: Secret;
  databaseUri: Secret;
}

const commitOf = (rev: string) => execFileSync("git", ["rev-parse", rev], { cwd: ROOT, encoding: "utf8" }).trim();
const noteOf = (log: string) =>
  log
    .trim()
    .split("\n")
    .reverse()
    .find((l) => /deployed|rolled back|rollback/i.test(l)) ?? "";

/** Start the staging server and its forwarders; the target as the engine's containers reach it, and a stop. */
async function startTarget(dir: string): Promise<{ t: Target; stop(): Promise<void> }> {
  const s = await startStagingServer(dir);
  try {
    const ip = bridgeIp();
    const [ssh, pub] = await Promise.all([forward(ip, s.sshPort), forward(ip, s.publicPort)]);
    const hostKey = s.knownHosts.split(" ").slice(1).join(" ");
    const t: Target = {
      host: ip,
      user: process.env.USER || "root",
      basePath: s.base,
      port: ssh.port,
      publicUrl: `http://${ip}:${pub.port}`,
      sshKey: dag.setSecret("staging-ssh-key", readFileSync(s.keyFile, "utf8")),
      knownHosts: dag.setSecret("staging-known-hosts", `[${ip}]:${ssh.port} ${hostKey}\n`),
      databaseUri: dag.setSecret("staging-database-uri", `mongodb://127.0.0.1:${s.mongoPort}/autoauthor_staging`),
    };
    const stop = async () => {
      await Promise.all([ssh.close(), pub.close()]);
      await stopStagingServer(dir);
    };
    return { t, stop };
  } catch (e) {
    await stopStagingServer(dir);
    throw e;
  }
}

function deployStep(ci: Ci, t: Target, rev: string, sha: string): LabStep {
  return {
    step: `deployStaging-${rev}`,
    call: `deployStaging(host: ${t.host}, port: forwarded sshd, commit: ${rev} = ${sha.slice(0, 7)})`,
    run: async () =>
      noteOf(
        await ci.deployStaging(
          ...([t.host, t.user, t.basePath, t.sshKey, t.knownHosts, t.databaseUri, sha] as const),
          ...([t.port, undefined, undefined, t.publicUrl] as const),
        ),
      ),
  };
}

/** rollback, then check `current` points at the first deploy's release (commit `back`). */
function rollbackStep(ci: Ci, t: Target, back: string): LabStep {
  return {
    step: "rollback",
    call: `rollback(target: staging) after two deploys: current must be ${back.slice(0, 7)}'s release`,
    run: async () => {
      const log = await ci.rollback(
        ...([t.host, t.user, t.basePath, t.sshKey, t.knownHosts] as const),
        ...(["staging", undefined, t.port] as const),
      );
      const current = basename(readlinkSync(join(t.basePath, "current")));
      if (!current.endsWith(back.slice(0, 7)))
        throw new Error(`current is ${current}, not ${back.slice(0, 7)}'s release`);
      return `current -> ${current}; ${noteOf(log)}`;
    },
  };
}

/** endToEnd (smoke) against staging through nginx, writing its promotion record there (alpine + ssh). */
function e2eStagingStep(ci: Ci, t: Target, back: string): LabStep {
  return {
    step: "endToEnd-staging",
    call: "endToEnd(baseUrl = apiUrl: staging's nginx, suite: smoke, stagingHost: the lab staging server)",
    run: async () => {
      const report = await ci.endToEnd(
        ...([t.publicUrl, t.publicUrl, 2, "smoke", undefined, undefined, undefined, false] as const),
        ...([undefined, undefined, undefined, t.host, t.user, t.basePath, t.port, t.sshKey, t.knownHosts] as const),
      );
      const status = (await report.file("status").contents()).trim();
      if (status !== "passed") throw new Error(`report ${status}: ${await report.file("summary.txt").contents()}`);
      const record = join(t.basePath, ".dep/e2e", `${back}.json`);
      if (!existsSync(record)) throw new Error(`no promotion record ${record} on staging`);
      return `passed; record ${basename(record)} written on staging`;
    },
  };
}

/** deployProduction of `sha` to the same server, gated by staging's record: passes for `back`, refused otherwise. */
function productionStep(ci: Ci, t: Target, sha: string, expect: "deployed" | "refused"): LabStep {
  const run = () =>
    ci.deployProduction(
      ...([t.host, t.user, t.basePath, t.sshKey, t.knownHosts, t.databaseUri, sha] as const),
      ...([t.host, t.user, t.basePath, t.port, t.sshKey, t.knownHosts, undefined, t.port] as const),
      ...([undefined, undefined, t.publicUrl] as const),
    );
  return {
    step: `deployProduction-${expect}`,
    call: `deployProduction(commit: ${sha.slice(0, 7)}, stagingHost: the lab staging server): must be ${expect}`,
    run: async () => {
      if (expect === "deployed") return noteOf(await run());
      const e = await run().then(
        () => new Error("deployed without an E2E record"),
        (x: unknown) => x,
      );
      if (!(e instanceof DeployInputError)) throw e;
      return `DeployInputError: ${e.message.split("\n")[0]}`;
    },
  };
}

export const deploySteps: StepGroup = {
  name: "deploy",
  async steps(ci) {
    const [first, second] = [commitOf("HEAD~1"), commitOf("HEAD")];
    const { t, stop } = await startTarget(join(labOut(), "staging"));
    return {
      steps: [
        deployStep(ci, t, "HEAD~1", first),
        deployStep(ci, t, "HEAD", second),
        rollbackStep(ci, t, first),
        e2eStagingStep(ci, t, first),
        productionStep(ci, t, first, "deployed"),
        productionStep(ci, t, second, "refused"),
      ],
      stop,
    };
  },
};
