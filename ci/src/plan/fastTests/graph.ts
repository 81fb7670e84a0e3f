/**
 * A job's steps as a graph, not a list: install first, then every check that does not declare `after:` runs beside
 * the others, never with more cores busy than the machine has. Pure: the runners feed it events and clocks.
 */
import { ConfigError } from "../config/error";
import type { Job } from "../job";

/** One step of the graph: what must end before it starts, and how many cores it keeps busy. */
export interface StepNode {
  name: string;
  after: string[];
  cores: number;
}

/** When a step started and ended, in seconds from any common origin. */
export interface StepTiming {
  name: string;
  start: number;
  end: number;
}

/** Install steps in sequence, then each check after the last install step and after what it declares. */
export function stepGraph(job: Job): StepNode[] {
  const installs = job.install.map((s, i) => ({ name: s.name, after: i ? [job.install[i - 1].name] : [], cores: 1 }));
  const last = job.install.at(-1)?.name;
  const checks = job.steps.map((s) => ({
    name: s.name,
    after: [...(last ? [last] : []), ...(s.after ?? [])],
    // A test runner with workers takes all the machine's cores unless pipeline.yaml says otherwise.
    cores: s.cores ?? (s.workers ? Number.POSITIVE_INFINITY : 1),
  }));
  return [...installs, ...checks];
}

/**
 * The step whose result a step's exec continues from (undefined: the first install step starts from the job's base,
 * a check from the installed source). Install steps continue each other; a check continues the last step it declares
 * `after:`, so it sees that step's files (Poetry's install-root before pytest); its other waits only order it.
 * The Dagger runner builds one withExec chain per step from this, so independent checks share only the install.
 */
export function chainParent(nodes: StepNode[], installs: number, name: string): string | undefined {
  const at = nodes.findIndex((n) => n.name === name);
  if (at < 0) throw new Error(`no step ${name} in the graph`);
  if (at < installs) return at ? nodes[at - 1].name : undefined;
  const own = nodes[at].after.filter((a) => nodes.findIndex((n) => n.name === a) >= installs);
  return own.at(-1);
}

/** Refuse an `after:` that names no step, or that closes a cycle; `key` is the config key that declares it. */
export function checkStepGraph(nodes: StepNode[], file: string, key: string): void {
  const names = new Set(nodes.map((n) => n.name));
  for (const n of nodes) {
    const unknown = n.after.find((a) => !names.has(a) || a === n.name);
    if (unknown !== undefined)
      throw new ConfigError(
        file,
        `${key}.${n.name}`,
        unknown === n.name ? "waits for itself" : `waits for "${unknown}", which is not a step`,
        `name other steps only: ${[...names].filter((x) => x !== n.name).join(", ")}`,
      );
  }
  const cycle = findCycle(nodes);
  if (cycle)
    throw new ConfigError(
      file,
      key,
      `has a cycle: ${cycle.join(" → ")}`,
      `remove one of these waits, e.g. ${key}.${cycle[0]}'s "${cycle[1]}"`,
    );
}

function findCycle(nodes: StepNode[]): string[] | undefined {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const state = new Map<string, "open" | "done">();
  const visit = (name: string, path: string[]): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "open") return [...path.slice(path.indexOf(name)), name];
    state.set(name, "open");
    for (const dep of byName.get(name)?.after ?? []) {
      const found = visit(dep, [...path, name]);
      if (found) return found;
    }
    state.set(name, "done");
    return undefined;
  };
  for (const n of nodes) {
    const found = visit(n.name, []);
    if (found) return found;
  }
  return undefined;
}

/** Where a running graph stands: which steps ended and which are running. */
export interface GraphState {
  done: ReadonlySet<string>;
  running: readonly string[];
}

/** The cores the scheduler gives a step: what it declares, at least one, at most the machine's. */
export function grantedCores(n: Pick<StepNode, "cores">, machineCores: number): number {
  return Math.max(1, Math.min(n.cores, machineCores));
}

/**
 * The steps to start now, in declared order: those whose waits all ended and whose cores fit in what is free.
 * A step asking for more cores than the machine has takes all of them, alone.
 */
export function stepsToStart(nodes: StepNode[], s: GraphState, machineCores: number): StepNode[] {
  const coresOf = (n: StepNode) => grantedCores(n, machineCores);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  let free = machineCores - s.running.reduce((sum, r) => sum + coresOf(byName.get(r) as StepNode), 0);
  const start: StepNode[] = [];
  for (const n of nodes) {
    if (s.done.has(n.name) || s.running.includes(n.name)) continue;
    if (!n.after.every((a) => s.done.has(a)) || coresOf(n) > free) continue;
    start.push(n);
    free -= coresOf(n);
  }
  return start;
}

/** Replay the graph with known durations (seconds): when each step would start and end on `machineCores`. */
export function simulateSchedule(
  nodes: StepNode[],
  durations: Record<string, number>,
  machineCores: number,
): StepTiming[] {
  const done = new Set<string>();
  const running: StepTiming[] = [];
  const out: StepTiming[] = [];
  let now = 0;
  while (done.size < nodes.length) {
    const state = { done, running: running.map((r) => r.name) };
    for (const n of stepsToStart(nodes, state, machineCores))
      running.push({ name: n.name, start: now, end: now + (durations[n.name] ?? 0) });
    if (running.length === 0) throw new Error(`steps ${nodes.map((n) => n.name).join(", ")} can never start`);
    running.sort((a, b) => a.end - b.end);
    const next = running.shift() as StepTiming;
    now = next.end;
    done.add(next.name);
    out.push(next);
  }
  return out;
}
