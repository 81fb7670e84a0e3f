/**
 * `npm run workflows`: the workflow chain replayed under nektos/act against two loopback servers (staging and
 * production). Happy path, then the red paths; each hop prints its event, commit and result, and the checks at the end
 * decide the exit code. `--only happy,red-fast,no-record,force,queue,red-e2e,matrix` runs a subset, in that order;
 * no-record and force run after red-fast (on its commit), matrix after red-e2e (on the commit it left on staging).
 * `--only test-suite` runs the first hop alone (a push, Test Suite); with `--dagger DIR --engine URL` a real Dagger CLI
 * runs it in module mode instead of the stand-in.
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
import { force, noRecord } from "./scenarios/production";
import { makeGit, startReceiver, startServers, stopServers, writeSecrets } from "./world";

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
  try {
    Object.assign(servers, await startServers(root));
    const git = await makeGit(root, ROOT);
    const secretFile = join(root, "secrets.env");
    writeSecrets(secretFile, servers.staging!, servers.production!, receiver);
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
    if (want("happy")) head = await happy(c, head);
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
  } catch (e) {
    if (!(e instanceof Halt)) throw e;
    say(`#### the chain stops: ${e.message} failed`);
  } finally {
    receiver.close();
    await stopServers(servers);
  }
  console.log(
    `\n#### ${results.filter(([, ok]) => ok).length}/${results.length} checks passed (${realDagger ? "the real Dagger CLI, module mode" : "stand-in dagger, not the Dagger CLI"})`,
  );
  for (const [what, ok] of results) console.log(`${ok ? "✔" : "✘"} ${what}`);
  console.log(`logs, events and stand-in calls: ${join(root, "logs")}`);
  return results.every(([, ok]) => ok) && results.length > 0 ? 0 : 1;
}

/**
 * `--dagger DIR --engine URL`: a real Dagger CLI and its engine instead of the stand-in (the test-suite hop: the deploy
 * hops need an engine that reaches the loopback servers).
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
