/**
 * The host runner's Node for a job that pins one: this machine's when it is in range, else the official binary from
 * the npm registry's `node-linux-<arch>` package, checked against the registry's integrity and kept under
 * `.tools/node/<version>`, first on the job's PATH. Deciding is pure (ci/src/plan/toolchain/node.ts); this is the I/O.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { StageFailure } from "../../ci/src/plan/errors";
import type { Job } from "../../ci/src/plan/job";
import { chooseNode, nodeBinaryPackage, type NodeChoice } from "../../ci/src/plan/toolchain/node";

/** Where provisioned Node versions are kept, one directory per version. */
export const NODE_CACHE = resolve(import.meta.dirname, "../../.tools/node");

/** A job's Node, ready to use: the env that puts it first on PATH, and the line the summary prints. */
export interface JobNode {
  overrides: Record<string, string>;
  line: string;
}

interface RegistryVersion {
  dist: { integrity: string; tarball: string };
}

/** Give the job the Node its pin asks for; undefined when the job pins none. `download: false` only plans. */
export async function nodeForJob(
  job: Job,
  env: NodeJS.ProcessEnv,
  download = true,
  cache = NODE_CACHE,
): Promise<JobNode | undefined> {
  const pin = job.tools.find((t) => t.bin === "node" && t.range)?.range;
  if (!pin) return undefined;
  const host = spawnSync("node", ["--version"], { env, encoding: "utf8" }).stdout?.trim() ?? "";
  const pkg = nodeBinaryPackage(process.platform, process.arch);
  const cached = cachedVersions(cache);
  let choice: NodeChoice = chooseNode(pin, host || "0.0.0", cached, []);
  let meta: Record<string, RegistryVersion> = {};
  if (choice.kind === "none" && pkg) {
    meta = await registryVersions(pkg, env);
    choice = chooseNode(pin, host || "0.0.0", cached, Object.keys(meta));
  }
  if (choice.kind === "host") return { overrides: {}, line: `node ${choice.version} for ${job.name}: ${choice.why}` };
  if (choice.kind === "none") {
    throw new StageFailure(`${job.name}: ${choice.why}; install a Node in ${pin.range} and put it first on PATH`);
  }
  const dir = join(cache, choice.version);
  const fresh = !existsSync(join(dir, "bin", "node"));
  if (fresh && !download)
    return {
      overrides: {},
      line: `node ${choice.version} for ${job.name}: ${choice.why}; would provision ${pkg}@${choice.version}`,
    };
  if (fresh) await provision(pkg ?? "", choice.version, meta[choice.version], cache);
  const from = fresh
    ? `provisioned from the npm registry (${pkg}@${choice.version}, integrity checked)`
    : "provisioned earlier";
  return {
    overrides: { PATH: [join(dir, "bin"), env.PATH ?? ""].join(delimiter) },
    line: `node ${choice.version} for ${job.name}: ${choice.why}; ${from}, in ${dir}`,
  };
}

/**
 * Put the Node the first of `jobs` that needs Node pins first on `env`'s PATH, in place: the E2E jobs (and the app a
 * run serves) share one env. Returns the line the run prints; none when no job needs Node.
 */
export async function provideNode(
  jobs: Job[],
  env: NodeJS.ProcessEnv,
  cache = NODE_CACHE,
): Promise<string | undefined> {
  const job = jobs.find((j) => j.tools.some((t) => t.bin === "node" && t.range));
  const node = job && (await nodeForJob(job, env, true, cache));
  if (node) Object.assign(env, node.overrides);
  return node?.line;
}

/** The versions already under the cache, each with its node binary. */
export function cachedVersions(cache: string): string[] {
  if (!existsSync(cache)) return [];
  return readdirSync(cache).filter((v) => /^\d+\.\d+\.\d+$/.test(v) && existsSync(join(cache, v, "bin", "node")));
}

function registryUrl(env: NodeJS.ProcessEnv): string {
  return (env.npm_config_registry ?? "https://registry.npmjs.org/").replace(/\/?$/, "/");
}

/** Every published version of the binary package, with its tarball and integrity (the abbreviated packument). */
export async function registryVersions(pkg: string, env: NodeJS.ProcessEnv): Promise<Record<string, RegistryVersion>> {
  const url = `${registryUrl(env)}${pkg}`;
  const r = await fetch(url, { headers: { accept: "application/vnd.npm.install-v1+json" } });
  if (!r.ok)
    throw new StageFailure(
      `the npm registry answered ${r.status} for ${url}; check the network or npm_config_registry`,
    );
  return ((await r.json()) as { versions: Record<string, RegistryVersion> }).versions;
}

/** Download, check and unpack one version; a crash or a concurrent run never leaves a half-unpacked version. */
async function provision(
  pkg: string,
  version: string,
  meta: RegistryVersion | undefined,
  cache: string,
): Promise<void> {
  if (!meta) throw new StageFailure(`${pkg}@${version} is not in the registry's list; run again to re-read it`);
  const r = await fetch(meta.dist.tarball);
  if (!r.ok) throw new StageFailure(`downloading ${meta.dist.tarball} failed: HTTP ${r.status}`);
  const body = Buffer.from(await r.arrayBuffer());
  checkIntegrity(body, meta.dist.integrity, meta.dist.tarball);
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(cache, `.${version}-`));
  try {
    writeFileSync(join(work, "node.tgz"), body);
    mkdirSync(join(work, "out"));
    const tar = spawnSync("tar", ["-xzf", join(work, "node.tgz"), "-C", join(work, "out"), "--strip-components=1"], {
      encoding: "utf8",
    });
    if (tar.status !== 0) throw new StageFailure(`unpacking ${pkg}@${version} failed: ${tar.stderr}`);
    if (!existsSync(join(cache, version))) renameSync(join(work, "out"), join(cache, version));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Throw unless the bytes match the registry's Subresource Integrity string (`sha512-<base64>`). */
export function checkIntegrity(body: Buffer, integrity: string, what: string): void {
  const [algo, expected] = integrity.split("-", 2);
  const actual = createHash(algo).update(body).digest("base64");
  if (actual !== expected) {
    throw new StageFailure(
      `${what} does not match the registry's integrity ${integrity} (got ${algo}-${actual}); not used`,
    );
  }
}
