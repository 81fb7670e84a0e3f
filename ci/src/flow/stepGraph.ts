/**
 * A job's steps run by their graph (plan/fastTests/graph.ts), written once for both runners: start what may start,
 * and on each end start what that freed. After a failure nothing new starts; what runs is left to end.
 */
import { grantedCores, stepsToStart, type StepNode, type StepTiming } from "../plan/fastTests/graph";

/** How the graph went: each started step's times (seconds since the graph began), and the first step that failed. */
export interface GraphRun {
  timings: StepTiming[];
  failed?: string;
}

/**
 * Run `runStep` (true: passed) for each node, never more cores busy than `machineCores`; each step is told the cores
 * it was given (its test runner's workers).
 */
export async function stepGraphFlow(
  nodes: StepNode[],
  machineCores: number,
  runStep: (name: string, cores: number) => Promise<boolean>,
  now: () => number,
): Promise<GraphRun> {
  const origin = now();
  const done = new Set<string>();
  const running = new Map<string, Promise<string>>();
  const timings: StepTiming[] = [];
  let failed: string | undefined;
  const launch = (n: StepNode) => {
    const name = n.name;
    const start = (now() - origin) / 1000;
    const run = runStep(name, grantedCores(n, machineCores)).then((ok) => {
      timings.push({ name, start, end: (now() - origin) / 1000 });
      if (!ok && failed === undefined) failed = name;
      return name;
    });
    running.set(name, run);
  };
  for (;;) {
    if (failed === undefined)
      for (const n of stepsToStart(nodes, { done, running: [...running.keys()] }, machineCores)) launch(n);
    if (running.size === 0) break;
    const ended = await Promise.race(running.values());
    running.delete(ended);
    done.add(ended);
  }
  return failed === undefined ? { timings } : { timings, failed };
}
