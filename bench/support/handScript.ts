/**
 * A stage written out as the bash script a person would type to run the same commands by hand: one background
 * subshell per job, each starting its own services first (as the host runner does, so a service's start overlaps
 * the other jobs), then its steps with `&&`; `wait` for all. The port of service `x` comes from $BENCH_PORT_X.
 */
import { join } from "node:path";
import {
  allSteps,
  type HostServiceCommand,
  type Job,
  type ServiceNeed,
  type StagePlan,
  type Step,
} from "../../ci/src/plan/job";

export interface HandOptions {
  sourceDir: string;
  /** Prepended to PATH, as the host runner does. */
  toolsBin: string;
  /** The command each service alias starts with: the candidate the runner would pick on this machine. */
  serviceCommands: Record<string, HostServiceCommand>;
  /** Each job's output goes to <logDir>/<job>.log. */
  logDir: string;
}

/** Single-quote for bash. */
export const sq = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;

/** Double-quote for bash, turning the runner's `{port}`/`{dataDir}`/`{host}` placeholders into shell variables. */
function dq(a: string, alias: string): string {
  const escaped = a.replace(/[\\"$`]/g, (c) => `\\${c}`);
  return `"${escaped.replaceAll("{port}", `\${port_${alias}}`).replaceAll("{dataDir}", `\${data_${alias}}`).replaceAll("{host}", "127.0.0.1")}"`;
}

/** The runner's stop: SIGTERM, SIGKILL after 1.5 s, wait; then remove the data dir. */
const STOP_FN = [
  'stop_service() { kill -TERM "$1" 2>/dev/null || true; ( sleep 1.5; kill -KILL "$1" 2>/dev/null || true ) &',
  'local k=$!; wait "$1" 2>/dev/null || true; kill "$k" 2>/dev/null || true; rm -rf "$2"; }',
].join(" ");

const STOP_ALL = 'for i in "${!svcs[@]}"; do stop_service "${svcs[$i]}" "${datas[$i]}"; done';

/** Write the stage as a bash script; it exits 1 when any job failed. */
export function handScript(stage: StagePlan, o: HandOptions): string {
  return [
    "set -u",
    `export PATH=${sq(o.toolsBin)}:"$PATH"`,
    STOP_FN,
    "pids=()",
    ...stage.jobs.map((j) => jobBlock(j, o)),
    'fail=0; for p in "${pids[@]}"; do wait "$p" || fail=1; done',
    "exit $fail",
  ].join("\n");
}

function jobBlock(job: Job, o: HandOptions): string {
  const body = [
    "set -e",
    `cd ${sq(join(o.sourceDir, job.workdir))}`,
    ...Object.entries(job.env).map(([k, v]) => `export ${k}=${sq(v)}`),
    ...(job.services.length ? ["svcs=(); datas=()", `trap ${sq(STOP_ALL)} EXIT`] : []),
    ...job.services.flatMap((s) => serviceLines(s, o.serviceCommands[s.alias])),
    ...allSteps(job).map(stepLine),
  ];
  return `(\n${body.join("\n")}\n) > ${sq(join(o.logDir, `${job.name}.log`))} 2>&1 &\npids+=($!)`;
}

/** Start the service in its data dir, stop it when the job's subshell exits, wait until it accepts connections. */
function serviceLines(svc: ServiceNeed, cmd: HostServiceCommand | undefined): string[] {
  if (!cmd) throw new Error(`no host command for service ${svc.alias}: pass serviceCommands.${svc.alias}`);
  const a = svc.alias.replace(/\W/g, "_");
  const argv = [sq(cmd.bin), ...cmd.args.map((x) => dq(x, a))].join(" ");
  return [
    `port_${a}=$BENCH_PORT_${a.toUpperCase()}; data_${a}=$(mktemp -d)`,
    `( cd "$data_${a}" && exec ${argv} ) &`,
    `svc_${a}=$!; svcs+=("$svc_${a}"); datas+=("$data_${a}")`,
    `until (exec 3<>/dev/tcp/127.0.0.1/$port_${a}) 2>/dev/null; do kill -0 "$svc_${a}" || exit 1; sleep 0.1; done`,
    ...Object.entries(svc.env).map(([k, v]) => `export ${k}=${dq(v, a)}`),
  ];
}

function stepLine(step: Step): string {
  const env = Object.entries(step.env ?? {}).map(([k, v]) => `${k}=${sq(v)}`);
  return [...(env.length ? ["env", ...env] : []), ...step.argv.map(sq)].join(" ");
}
