/**
 * Names carry the layer, enforced:
 *   ci/src/plan/, ci/src/flow/        never export run*()/read*(): those names promise I/O, and these layers do none
 *                                     themselves (a flow's effects are its ports)
 *   ci/src/dagger/, ci/src/io/,       an exported plan*()/parse*()/format*() is pure, so it is never async and never
 *   scripts/host/                     returns a Promise
 *   ci/src/dagger/X.ts ↔ scripts/host/X.ts (the mirrored runner files) export the same role names: what a runner's
 *                                     front end calls (run*()/read*()) and the adapters it hands a flow (*Ports()).
 * A runner's own extra role, with no counterpart on the other side, is listed in RUNNER_EXTRAS with the reason.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

const PURE_LAYERS = ["ci/src/plan", "ci/src/flow"];
const RUNNER_LAYERS = ["ci/src/dagger", "ci/src/io", "scripts/host"];
const IO_NAME = /^(run|read)[A-Z]/;
const PURE_NAME = /^(plan|parse|format)([A-Z]|$)/;
const ROLE_NAME = (n: string) => IO_NAME.test(n) || n.endsWith("Ports");

/** Roles one runner has and the other has not, by the runner file's path; keep this short and say why. */
export const RUNNER_EXTRAS: Record<string, Record<string, string>> = {
  "ci/src/dagger/deploy.ts": {
    runPromotion: "deploy-production is its own function on the engine; the host's runDeploy gates production inside",
  },
  "ci/src/dagger/metrics.ts": {
    runMetricsPage: "the page is a File a function returns; the host's runMetrics writes it beside the table (--html)",
  },
  "scripts/host/deploy.ts": {
    readStagingRecord:
      "the host reads staging's E2E record over its own ssh; on the engine deploy-production is handed it (extra.record)",
  },
  "scripts/host/e2e/execute.ts": {
    runShardAlone: "a host shard runs alone with its own blob folder; on the engine every shard is already a container",
  },
};

/** An exported function of a file: its name, and whether it is async or returns a Promise. */
export interface ExportedFunction {
  name: string;
  async: boolean;
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function isAsync(fn: ts.SignatureDeclaration): boolean {
  const modifiers = ts.canHaveModifiers(fn) ? ts.getModifiers(fn) : undefined;
  return !!modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) || /^Promise\b/.test(fn.type?.getText() ?? "");
}

/** The exported functions (declarations, and consts bound to arrow or function expressions) of a source text. */
export function exportedFunctions(text: string): ExportedFunction[] {
  const sf = ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, true);
  const out: ExportedFunction[] = [];
  for (const s of sf.statements) {
    if (!isExported(s)) continue;
    if (ts.isFunctionDeclaration(s) && s.name) out.push({ name: s.name.text, async: isAsync(s) });
    if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations) {
        const init = d.initializer;
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)))
          out.push({ name: d.name.text, async: isAsync(init) });
      }
  }
  return out;
}

function sourcesUnder(root: string, dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourcesUnder(root, join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every name that says the wrong layer, as `file: name: why`. */
export function layerNameViolations(root: string): string[] {
  const read = (f: string) => exportedFunctions(readFileSync(join(root, f), "utf8"));
  const pure = PURE_LAYERS.flatMap((d) => sourcesUnder(root, d)).flatMap((f) =>
    read(f)
      .filter((fn) => IO_NAME.test(fn.name))
      .map((fn) => `${f}: ${fn.name}: run*/read* promise I/O; this layer does none (plan*, parse*, format* or a noun)`),
  );
  const runners = RUNNER_LAYERS.flatMap((d) => sourcesUnder(root, d)).flatMap((f) =>
    read(f)
      .filter((fn) => PURE_NAME.test(fn.name) && fn.async)
      .map(
        (fn) => `${f}: ${fn.name}: plan*/parse*/format* promise a pure function, and this one is async (run*/read*)`,
      ),
  );
  return [...pure, ...runners];
}

/** The role names a mirrored pair does not share, as `dagger file ↔ host file: only in <side>: names`. */
export function mirrorViolations(root: string, extras = RUNNER_EXTRAS): string[] {
  const roles = (f: string) =>
    new Set(
      exportedFunctions(readFileSync(join(root, f), "utf8"))
        .map((fn) => fn.name)
        .filter((n) => ROLE_NAME(n) && !(n in (extras[f] ?? {}))),
    );
  return sourcesUnder(root, "ci/src/dagger").flatMap((d) => {
    const h = join("scripts/host", relative("ci/src/dagger", d));
    if (!existsSync(join(root, h))) return [];
    const [dr, hr] = [roles(d), roles(h)];
    const only = (a: Set<string>, b: Set<string>) => [...a].filter((n) => !b.has(n)).sort();
    return [
      ...(only(dr, hr).length ? [`${d} ↔ ${h}: only in ${d}: ${only(dr, hr).join(", ")}`] : []),
      ...(only(hr, dr).length ? [`${d} ↔ ${h}: only in ${h}: ${only(hr, dr).join(", ")}`] : []),
    ];
  });
}

describe("names carry the layer", () => {
  it("finds exported functions, async ones and Promise-returning ones", () => {
    expect(
      exportedFunctions(
        [
          "export function planA(): number { return 1; }",
          "export async function runB() {}",
          "export function readC(): Promise<string> { return Promise.resolve(''); }",
          "export const formatD = async (x: string) => x;",
          "function hidden() {}",
          "export interface NotAFunction { a: number }",
        ].join("\n"),
      ),
    ).toEqual([
      { name: "planA", async: false },
      { name: "runB", async: true },
      { name: "readC", async: true },
      { name: "formatD", async: true },
    ]);
  });

  it("no plan/ or flow/ function is named run*/read*, and no runner's plan*/parse*/format* is async", () => {
    expect(layerNameViolations(ROOT), "rename each as the message says").toEqual([]);
  });

  it("each mirrored pair of runner files exports the same role names", () => {
    expect(mirrorViolations(ROOT), "give both sides one name, or list a real extra in RUNNER_EXTRAS").toEqual([]);
  });

  it("lists no extra that its file no longer exports", () => {
    for (const [file, names] of Object.entries(RUNNER_EXTRAS)) {
      const exported = exportedFunctions(readFileSync(join(ROOT, file), "utf8")).map((fn) => fn.name);
      for (const n of Object.keys(names)) expect(exported, `${file} still exports ${n}`).toContain(n);
    }
  });

  it("(the check) names an I/O name in plan/, an async formatter in a runner, and an unmirrored role", () => {
    const dir = mkdtempSync(join(tmpdir(), "names-"));
    try {
      const write = (f: string, text: string) => {
        mkdirSync(join(dir, dirname(f)), { recursive: true });
        writeFileSync(join(dir, f), text);
      };
      write("ci/src/plan/e2e/x.ts", "export function readPlan(): number { return 1; }\nexport function planX() {}");
      write("ci/src/flow/x.ts", "export async function runStage() {}");
      write("ci/src/dagger/triggers.ts", "export async function planText() {}\nexport async function runPlan() {}");
      write("scripts/host/triggers.ts", "export async function planCommand() {}\nexport function formatOk() {}");
      write("ci/src/dagger/job.ts", "export async function runJob() {}\nexport function jobPorts() {}");
      write("scripts/host/job.ts", "export async function runJob() {}\nexport function jobPorts() {}");
      expect(layerNameViolations(dir)).toEqual([
        expect.stringMatching(/^ci\/src\/plan\/e2e\/x\.ts: readPlan: /),
        expect.stringMatching(/^ci\/src\/flow\/x\.ts: runStage: /),
        expect.stringMatching(/^ci\/src\/dagger\/triggers\.ts: planText: /),
        expect.stringMatching(/^scripts\/host\/triggers\.ts: planCommand: /),
      ]);
      expect(mirrorViolations(dir, {})).toEqual([
        "ci/src/dagger/triggers.ts ↔ scripts/host/triggers.ts: only in ci/src/dagger/triggers.ts: runPlan",
      ]);
      expect(mirrorViolations(dir, { "ci/src/dagger/triggers.ts": { runPlan: "why" } })).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
