/**
 * deployStaging twice (HEAD~1, then HEAD) and rollback against the bundled test staging server (sshd + nginx + PM2 +
 * FerretDB on loopback, scripts/host/staging/server.ts) in its own directory. The engine's containers reach it through
 * forwarders on the engine bridge's gateway address (forward.ts); known_hosts is rewritten for that address.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { dag, type Secret } from "@dagger.io/dagger";
import type { Ci } from "../../../ci/src/index";
import { startStagingServer, stopStagingServer } from "../../host/staging/server";
import type { LabStep, StepGroup } from "../driver";
import { bridgeIp, forward } from "../forward";
import { labOut } from "../results";
import { appSource, deployRepo, ROOT } from "./sources";

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
          ...([appSource(), deployRepo(), t.port, undefined, undefined, t.publicUrl] as const),
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
        ...([t.host, t.user, t.basePath, t.sshKey, t.knownHosts, t.databaseUri] as const),
        ...([appSource(), deployRepo(), "staging", undefined, t.port] as const),
      );
      const current = basename(readlinkSync(join(t.basePath, "current")));
      if (!current.endsWith(back.slice(0, 7)))
        throw new Error(`current is ${current}, not ${back.slice(0, 7)}'s release`);
      return `current -> ${current}; ${noteOf(log)}`;
    },
  };
}

export const deploySteps: StepGroup = {
  name: "deploy",
  async steps(ci) {
    const [first, second] = [commitOf("HEAD~1"), commitOf("HEAD")];
    const { t, stop } = await startTarget(join(labOut(), "staging"));
    return {
      steps: [deployStep(ci, t, "HEAD~1", first), deployStep(ci, t, "HEAD", second), rollbackStep(ci, t, first)],
      stop,
    };
  },
};
