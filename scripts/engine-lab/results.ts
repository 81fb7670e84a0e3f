/**
 * The engine lab's results: one row per driver step (passed/failed/skipped, seconds, first error line), the
 * engine ÷ host fast-tests ratios, written as results.json; the module-mode rows as module.json; results.md under
 * $ENGINE_LAB_OUT renders both (each phase re-renders it when it writes its JSON).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { moduleSection, type HostTimes } from "./module/report";
import type { RowResult } from "./module/typed";

export interface StepResult {
  step: string;
  call: string;
  status: "passed" | "failed" | "skipped";
  seconds: number;
  firstError?: string;
  note?: string;
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

function readJson<T>(name: string): T | undefined {
  const f = join(labOut(), name);
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as T) : undefined;
}

/** The client-mode section (driver steps and ratios). */
function driverSection(steps: StepResult[], meta: Record<string, string>, host?: HostTimes): string[] {
  const r = ratios(steps, host);
  const cell = (s?: string) => (s ?? "").replaceAll("|", "\\|").replaceAll("\n", " ");
  return [
    "## Client mode (the driver under `dagger run`)",
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
  ];
}

/** results.md from whichever phases have written their JSON; returns the Markdown. */
function render(): string {
  const host = readHost();
  const driver = readJson<{ meta: Record<string, string>; steps: StepResult[] }>("results.json");
  const mod = readJson<{ meta: Record<string, string>; rows: RowResult[] }>("module.json");
  const md = [
    "# Engine lab results",
    "",
    ...(mod ? moduleSection(mod.rows, mod.meta, host) : []),
    ...(driver ? driverSection(driver.steps, driver.meta, host) : []),
  ].join("\n");
  writeFileSync(join(labOut(), "results.md"), md);
  return md;
}

/** Write results.json (the driver's steps) and re-render results.md; return the Markdown. */
export function writeResults(steps: StepResult[], meta: Record<string, string>): string {
  mkdirSync(labOut(), { recursive: true });
  const host = readHost();
  writeFileSync(
    join(labOut(), "results.json"),
    JSON.stringify({ meta, steps, host, ratios: ratios(steps, host) }, null, 2),
  );
  return render();
}

/** Write module.json (the module-mode rows) and re-render results.md; return the Markdown. */
export function writeModuleResults(rows: RowResult[], meta: Record<string, string>): string {
  mkdirSync(labOut(), { recursive: true });
  writeFileSync(join(labOut(), "module.json"), JSON.stringify({ meta, rows, host: readHost() }, null, 2));
  return render();
}
