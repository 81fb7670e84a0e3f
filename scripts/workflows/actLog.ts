/**
 * What an act log says about its `dagger call` steps when the real CLI ran them (no stand-in log then): per job, the
 * commit its last checkout left (actions/checkout's `git log -1 --format=%H`: the app's), each `dagger call <fn>`
 * step, the `commit` argument the CLI's plain progress shows the function was called with, and the step's result
 * (act's `exit status N` before a failure). Pure: the log's text in, the calls out.
 */

/** One `dagger call` step as the log shows it. */
export interface LoggedCall {
  /** The job, as act names it (`deploy`, `e2e-shard-2`). */
  job: string;
  fn: string;
  /** The `commit:` argument of the function call in the CLI's progress, if it had one. */
  commit?: string;
  /** The commit the job's last checkout was at (Deploy Production checks out main's pipeline, then the app). */
  head: string;
  exit: number;
}

// Colours and the other CSI sequences the CLI and the terminal probes leave in the log.
// eslint-disable-next-line no-control-regex
const CSI = /\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\))/g;
const LINE = /^\[[^/\]]+\/([^\]]+?)\s*\]\s?(.*)$/;

/** The `dagger call` steps of an act log, in the order they finished. */
export function parseActCalls(text: string): LoggedCall[] {
  const out: LoggedCall[] = [];
  const jobs = new Map<string, { head: string; awaitHead: boolean; exit?: number; call?: LoggedCall }>();
  for (const raw of text.split("\n")) {
    const m = LINE.exec(raw.replace(CSI, ""));
    if (!m) continue;
    const [job, rest] = [m[1], m[2]];
    const j = jobs.get(job) ?? { head: "", awaitHead: false };
    jobs.set(job, j);
    const sha = /^\s*\|\s*([0-9a-f]{40})\s*$/.exec(rest);
    if (j.awaitHead && sha) [j.head, j.awaitHead] = [sha[1], false];
    else if (/\|\s*\[command\]\S*git log -1 --format=%H\s*$/.test(rest)) j.awaitHead = true;
    const step = /^\s*(⭐ Run|✅\s+Success -|❌\s+Failure -) Main dagger call (\S+)/u.exec(rest);
    const status = /^exit status (\d+)\s*$/.exec(rest);
    if (status) j.exit = Number(status[1]);
    if (step?.[1] === "⭐ Run") {
      j.call = { job, fn: step[2], head: j.head, exit: 0 };
      j.exit = undefined;
    } else if (step && j.call?.fn === step[2]) {
      out.push({ ...j.call, exit: step[1].startsWith("✅") ? 0 : (j.exit ?? 1) });
      j.call = undefined;
    } else if (j.call && !j.call.commit) {
      const arg = /\|.*\bcommit:\s*"([0-9a-f]{40})"/.exec(rest);
      if (arg) j.call.commit = arg[1];
    }
  }
  return out;
}
