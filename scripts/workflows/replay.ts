/**
 * `npm run workflows`: the workflow chain replayed under nektos/act against two loopback servers (staging and
 * production). Happy path, then the red paths; each hop prints its event, commit and result, and the checks at the end
 * decide the exit code. `--only happy,red-fast,no-record,force,queue,red-e2e,matrix,foreign` runs a subset, in that
 * order; no-record and force run after red-fast (on its commit), matrix after red-e2e (on the commit it left on
 * staging); foreign (after happy: the dispatch reads what staging runs) promotes a side branch's commit whose own
 * pipeline announces itself.
 * `--only test-suite` runs the first hop alone (a push, Test Suite). With `--dagger DIR --engine URL` a real Dagger CLI
 * runs every hop in module mode instead of the stand-in, the servers reached through forwarders on the engine bridge.
 */
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { $ } from "zx";
import { ACT } from "./act";
import type { Chain } from "./hops";
import { Groups } from "./groups";
import { happy, queue, redFast, testSuiteOnly } from "./scenarios/chain";
import { Halt } from "./scenarios/checks";
import { matrix, redE2e } from "./scenarios/e2e";
import { force, foreign, noRecord } from "./scenarios/production";
import type { StagingServer } from "../host/staging/server";
import { bridgeIp, forward, type Forward } from "../engine-lab/forward";
import { makeGit, startReceiver, startServers, stopServers, writeSecrets, type Reaches, type Receiver } from "./world";

const ROOT = resolve(import.meta.dirname, "../..");
const CACHE =
  process.env.ACT_CACHE ??
  join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? "/root", ".cache"), "pipeline-act");
async function main(): Promise<number> {
  const only = process.argv.includes("--only")
    ? process.argv[process.argv.indexOf("--only") + 1].split(",")
    : undefined;
  const want = (s: string) => !only || only.includes(s);
  const realDagger = realDaggerOf(process.argv);
  if (!existsSync(ACT)) await $({ stdio: "inherit" })`bash ${join(ROOT, "scripts/workflows/setup.sh")}`;
  const root = mkdtempSync(join(tmpdir(), "workflows-"));
  const results: [string, boolean][] = [];
  const say = (s: string) => console.log(s);
  console.log(
    `#### workflow replay under nektos/act (${(await $({ quiet: true })`${ACT} --version`).stdout.trim()}), in ${root}`,
  );
  if (realDagger) {
    const env = { ...process.env, _EXPERIMENTAL_DAGGER_RUNNER_HOST: realDagger.engine };
    const v = await $({ quiet: true, nothrow: true, env })`${join(realDagger.dir, "dagger")} version`;
    console.log(`#### the \`dagger\` that runs is the REAL CLI ${realDagger.dir}/dagger (${v.stdout.trim()}),`);
    console.log(`#### module mode on the engine ${realDagger.engine} (vars.DAGGER_ENGINE). NOT the stand-in.`);
  } else {
    console.log(
      "#### the `dagger` that runs is the STAND-IN scripts/workflows/bin/dagger: every `dagger call` is forwarded to",
    );
    console.log(
      "#### the host runner (npm run pipeline -- ...) of the job's checkout. NOT the Dagger CLI, NO engine, NO module mode.",
    );
  }
  const receiver = await startReceiver();
  const servers: Parameters<typeof stopServers>[0] = {};
  const forwards: Forward[] = [];
  try {
    Object.assign(servers, await startServers(root));
    const git = await makeGit(root, ROOT);
    const secretFile = join(root, "secrets.env");
    if (realDagger) forwards.push(...(await bridgeForwards(servers.staging!, servers.production!, receiver, say)));
    writeSecrets(secretFile, servers.staging!, servers.production!, receiver, reachesOf(forwards));
    mkdirSync(join(root, "artifacts"));
    const c: Chain = {
      setup: {
        actionsDir: join(CACHE, "actions"),
        secretFile,
        artifactDir: join(root, "artifacts"),
        gitConfig: git.gitConfig,
        logDir: join(root, "logs"),
        realDagger,
      },
      git,
      staging: servers.staging!,
      production: servers.production!,
      groups: new Groups(say),
      say,
      check: (what, ok) => (results.push([what, ok]), say(`  ${ok ? "✔" : "✘"} ${what}`)),
    };
    let head = (await $({ quiet: true, cwd: git.dev })`git rev-parse HEAD`).stdout.trim();
    if (only?.includes("test-suite")) await testSuiteOnly(c, head);
    if (want("happy") || want("foreign")) head = await happy(c, head);
    if (want("red-fast") || want("no-record") || want("force")) {
      const red = await redFast(c, head);
      if (want("no-record")) await noRecord(c, red);
      if (want("force")) await force(c, red);
      head = red;
    }
    if (want("queue")) head = await queue(c, head);
    if (want("red-e2e") || want("matrix")) {
      const red = await redE2e(c, head, () => receiver.posts);
      if (want("matrix")) await matrix(c, red, () => receiver.posts);
    }
    if (want("foreign")) await foreign(c);
  } catch (e) {
    if (!(e instanceof Halt)) throw e;
    say(`#### the chain stops: ${e.message} failed`);
  } finally {
    receiver.close();
    await Promise.all(forwards.map((f) => f.close()));
    await stopServers(servers);
  }
  console.log(
    `\n#### ${results.filter(([, ok]) => ok).length}/${results.length} checks passed (${realDagger ? "the real Dagger CLI, module mode" : "stand-in dagger, not the Dagger CLI"})`,
  );
  for (const [what, ok] of results) console.log(`${ok ? "✔" : "✘"} ${what}`);
  console.log(`logs, events${realDagger ? "" : " and stand-in calls"}: ${join(root, "logs")}`);
  return results.every(([, ok]) => ok) && results.length > 0 ? 0 : 1;
}

/**
 * With the real CLI the functions run in the lab engine's containers, which reach this host only at the engine bridge's
 * address: a forwarder there for each server's sshd and nginx and for the webhook receiver (in that order).
 */
async function bridgeForwards(
  staging: StagingServer,
  production: StagingServer,
  receiver: Receiver,
  say: (s: string) => void,
): Promise<Forward[]> {
  const ip = bridgeIp();
  const targets = [staging.sshPort, staging.publicPort, production.sshPort, production.publicPort, receiver.port];
  const f = await Promise.all(targets.map((t) => forward(ip, t)));
  say(
    `#### the engine's containers reach this host at ${ip}: staging ssh :${f[0].port} web :${f[1].port}, production ssh :${f[2].port} web :${f[3].port}, webhooks :${f[4].port} (forwarders to loopback)`,
  );
  return f;
}

/** The forwarders as the secrets name them; none: loopback. */
function reachesOf(f: Forward[]): Reaches | undefined {
  if (f.length === 0) return undefined;
  const at = (ssh: Forward, pub: Forward) => ({ host: ssh.host, sshPort: ssh.port, publicPort: pub.port });
  return { staging: at(f[0], f[1]), production: at(f[2], f[3]), receiver: `http://${f[4].host}:${f[4].port}` };
}

/**
 * `--dagger DIR --engine URL`: a real Dagger CLI and its engine instead of the stand-in, for every hop (the servers
 * and the receiver through forwarders on the engine bridge).
 */
function realDaggerOf(argv: string[]): { dir: string; engine: string } | undefined {
  const at = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const [dir, engine] = [at("--dagger"), at("--engine")];
  if (!dir) return undefined;
  if (!engine || !existsSync(join(dir, "dagger"))) {
    console.error(
      `input error: --dagger ${dir} needs a dagger binary in that directory and --engine <runner host>. Fix: --dagger /root/.cache/engine-lab/bin --engine unix:///run/dagger/engine.sock`,
    );
    process.exit(2);
  }
  return { dir: resolve(dir), engine };
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => (console.error(e), process.exit(1)),
);
