import { availableParallelism } from "node:os";
import { chainParent, grantedCores, stepGraph } from "../../ci/src/plan/fastTests/graph";
import { stepForCores } from "../../ci/src/plan/fastTests/workers";
import { allSteps, serviceEnv, type Job } from "../../ci/src/plan/job";
import { containerCalls, type Call, type Chain } from "./recorder";

/** The parts of a container graph the contract compares: what the plan decides. */
export interface JobGraph {
  image: string;
  caches: { path: string; key: string }[];
  services: { alias: string; image: string; port: number }[];
  env: Record<string, string>;
  /** Each exec once, by its depth in its chain (installs first), then by argv: steps run side by side have no order. */
  execs: string[][];
}

/** Read a recorded container chain (ending in `sync`) as a JobGraph. */
export function graphOf(calls: Call[]): JobGraph {
  const g: JobGraph = { image: "", caches: [], services: [], env: {}, execs: [] };
  for (const c of calls) {
    switch (c.field) {
      case "from":
        g.image = c.args.address as string;
        break;
      case "withMountedCache":
        g.caches.push({ path: c.args.path as string, key: keyOf(c.args.cache as Chain) });
        break;
      case "withServiceBinding":
        g.services.push({ alias: c.args.alias as string, ...serviceOf(c.args.service as Chain) });
        break;
      case "withEnvVariable":
        g.env[c.args.name as string] = c.args.value as string;
        break;
      case "withExec":
        g.execs.push(c.args.args as string[]);
        break;
    }
  }
  return g;
}

/**
 * What the plan says a job's graph must be on a machine with `cores` (each test runner's workers are the cores its
 * step is given). Env is every variable the job or a step sets.
 */
export function expectedGraph(job: Job, cores = availableParallelism()): JobGraph {
  const env: Record<string, string> = {};
  for (const s of job.services) Object.assign(env, serviceEnv(s, s.alias, s.port));
  Object.assign(env, job.env);
  for (const s of allSteps(job)) Object.assign(env, s.env ?? {});
  const nodes = stepGraph(job);
  const depth = (name: string): number => {
    const parent = chainParent(nodes, job.install.length, name);
    return parent === undefined
      ? job.install.some((s) => s.name === name)
        ? 0
        : job.install.length
      : depth(parent) + 1;
  };
  return {
    image: job.image,
    caches: job.caches.map((c) => ({ path: c.path, key: c.key })),
    services: job.services.map((s) => ({ alias: s.alias, image: s.image, port: s.port })),
    env,
    execs: byDepth(
      allSteps(job).map((s) => ({
        argv: stepForCores(
          s,
          grantedCores(
            nodes.find((n) => n.name === s.name)!,
            cores,
          ),
        ).argv,
        depth: depth(s.name),
      })),
    ),
  };
}

/**
 * One job's graph from all the chains it ran (one per step, each continuing its parent's): the common base, every
 * variable and every exec. Chains are grouped by their image, one job per image.
 */
export function jobGraphs(chains: Chain[]): JobGraph[] {
  const byImage = new Map<string, Call[][]>();
  for (const calls of syncedContainers(chains)) {
    const image = calls.find((c) => c.field === "from")?.args.address as string;
    byImage.set(image, [...(byImage.get(image) ?? []), calls]);
  }
  return [...byImage.values()].map((group) => {
    const graphs = group.map(graphOf);
    const execs = group.flatMap((calls) =>
      calls.filter((c) => c.field === "withExec").map((c, depth) => ({ argv: c.args.args as string[], depth })),
    );
    return { ...graphs[0], env: Object.assign({}, ...graphs.map((g) => g.env)), execs: byDepth(execs) };
  });
}

function byDepth(execs: { argv: string[]; depth: number }[]): string[][] {
  const seen = new Map<string, { argv: string[]; depth: number }>();
  for (const e of execs) if (!seen.has(JSON.stringify(e.argv))) seen.set(JSON.stringify(e.argv), e);
  return [...seen.values()]
    .sort((a, b) => a.depth - b.depth || JSON.stringify(a.argv).localeCompare(JSON.stringify(b.argv)))
    .map((e) => e.argv);
}

/** The recorded chains of containers that were run (`sync` or `stdout`), one per job run. */
export function syncedContainers(chains: Chain[]): Call[][] {
  return chains
    .filter((ch) => ["sync", "stdout"].includes(ch.at(-1)?.field ?? "") && ch.some((c) => c.field === "container"))
    .map(containerCalls);
}

function keyOf(cache: Chain): string {
  return cache.find((c) => c.field === "cacheVolume")?.args.key as string;
}

function serviceOf(svc: Chain): { image: string; port: number } {
  const calls = containerCalls([...svc, { field: "id", args: {} }]);
  return {
    image: calls.find((c) => c.field === "from")?.args.address as string,
    port: calls.find((c) => c.field === "withExposedPort")?.args.port as number,
  };
}

/** A container's calls as short lines, in order, the run id normalised: what an engine would be asked to build. */
export function shape(calls: Chain): string[] {
  const line = (c: Call): string | undefined => {
    const a = c.args;
    switch (c.field) {
      case "from":
        return `from ${a.address}`;
      case "withMountedCache":
        return `cache ${a.path} ${(a.cache as Chain).find((x) => x.field === "cacheVolume")?.args.key}${a.sharing ? ` (${a.sharing})` : ""}`;
      case "withEnvVariable":
        return `env ${a.name}=${a.name === "PIPELINE_RUN_ID" ? "<run>" : a.value}`;
      case "withWorkdir":
        return `workdir ${a.path}`;
      case "withFile":
        return `file ${a.path}`;
      case "withDirectory":
        return `dir ${a.path}`;
      case "withServiceBinding":
        return `service ${a.alias} ${serviceOf(a.service as Chain).image}:${serviceOf(a.service as Chain).port}`;
      case "withoutEnvVariable":
        return `unset ${a.name}`;
      case "withExec":
        return `exec ${(a.args as string[]).join(" ")}${a.expect ? ` (expect ${a.expect})` : ""}`;
      case "withMountedSecret":
        return `secret ${a.path} ${a.mode}`;
      case "withMountedTemp":
        return `tmpfs ${a.path}`;
      case "withSecretVariable":
        return `secret-env ${a.name}`;
      case "withNewFile":
        return `new-file ${a.path}`;
      default:
        return undefined;
    }
  };
  return calls.map(line).filter((l): l is string => l !== undefined);
}
