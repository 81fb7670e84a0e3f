/**
 * The engine lab's results: one row per driver step (passed/failed/skipped, seconds, first error line), the
 * engine ÷ host fast-tests ratios, written as results.json and results.md under $ENGINE_LAB_OUT.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export interface StepResult {
  step: string;
  call: string;
  status: "passed" | "failed" | "skipped";
  seconds: number;
  firstError?: string;
  note?: string;
}

interface HostTimes {
  cold: { seconds: number; passed: boolean };
  warm: { seconds: number; passed: boolean };
}

/** Where the lab writes (default .pipeline/engine-lab in the repository). */
export function labOut(): string {
  return process.env.ENGINE_LAB_OUT ?? resolve(import.meta.dirname, "../../.pipeline/engine-lab");
}

/** The first line of an error that says something (skips blank lines and bare stack frames). */
export function firstErrorLine(e: unknown): string {
  const text = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
  return (text.split("\n").find((l) => l.trim() && !/^\s+at /.test(l)) ?? text).slice(0, 300);
}

/** Engine ÷ host seconds for the cold and warm fast-tests, when both sides passed. */
export function ratios(steps: StepResult[], host?: HostTimes): { cold?: number; warm?: number } {
  const side = (name: "cold" | "warm") => {
    const s = steps.find((r) => r.step === `fastTests-${name}`);
    const h = host?.[name];
    return s?.status === "passed" && h?.passed ? Number((s.seconds / h.seconds).toFixed(2)) : undefined;
  };
  return { cold: side("cold"), warm: side("warm") };
}

function readHost(): HostTimes | undefined {
  const f = join(labOut(), "host.json");
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as HostTimes) : undefined;
}

/** Write results.json and results.md; return the Markdown. */
export function writeResults(steps: StepResult[], meta: Record<string, string>): string {
  const host = readHost();
  const r = ratios(steps, host);
  const cell = (s?: string) => (s ?? "").replaceAll("|", "\\|").replaceAll("\n", " ");
  const md = [
    `# Engine lab results (${meta.finishedAt})`,
    "",
    ...Object.entries(meta).map(([k, v]) => `- ${k}: ${v}`),
    "",
    "| step | call | result | seconds | first error line / note |",
    "|---|---|---|---|---|",
    ...steps.map(
      (s) =>
        `| ${s.step} | ${cell(s.call)} | ${s.status} | ${s.seconds.toFixed(1)} | ${cell(s.firstError ?? s.note)} |`,
    ),
    "",
    "| fast-tests | engine s | host s | engine ÷ host |",
    "|---|---|---|---|",
    ...(["cold", "warm"] as const).map(
      (n) =>
        `| ${n} | ${steps.find((s) => s.step === `fastTests-${n}`)?.seconds.toFixed(1) ?? "-"} | ${host?.[n].seconds.toFixed(1) ?? "-"} | ${r[n] ?? "-"} |`,
    ),
    "",
  ].join("\n");
  mkdirSync(labOut(), { recursive: true });
  writeFileSync(join(labOut(), "results.json"), JSON.stringify({ meta, steps, host, ratios: r }, null, 2));
  writeFileSync(join(labOut(), "results.md"), md);
  return md;
}
