/**
 * The module-mode rows of the quality gates (docs/config.md, "Quality gates"), typed as a user types them on a copy of
 * examples/app whose pipeline.yaml turns them on (the host tests' config): fast-tests with sast, secrets and audit,
 * green as the example is and red on one planted finding of each kind (test/support/plants.ts); then end-to-end with
 * a11y, budgets and visual against the example started on the bridge: red for the missing Dagger baseline, accepted
 * with accept-baselines, green, and red again on a planted image without alt text.
 * The advisory databases are the host tests' loopback stand-in (test/support/advisories.ts), forwarded to the bridge.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { startAdvisories } from "../../../test/support/advisories";
import { copyExample } from "../../../test/support/example";
import {
  plantGithubToken,
  plantMissingAlt,
  plantSastFindings,
  plantVulnerableLocks,
} from "../../../test/support/plants";
import { readConfig } from "../../host/config";
import { startLocalApp, type LocalApp } from "../../host/exampleApp";
import { TOOLS_BIN } from "../../host/stage";
import { labOut } from "../results";
import { ROOT } from "../steps/sources";
import { bridgeIp, forward } from "../forward";
import { call } from "./rows";
import type { RowGroup } from "./serverRows";
import type { ModuleRow, Typed } from "./typed";

/** The Dagger runner's baseline of `/`: never committed (the lab's Playwright image is a stand-in). */
export const DAGGER_BASELINE = "home-playwright-chromium-linux.png";

/** pipeline.yaml of the copies: the host quality tests' settings, the advisory stand-in at `advisories`. */
export function qualityConfig(advisories: string): string {
  return `quality:
  sast: { enabled: true, allow: ["B104:backend/app/__main__.py"] }
  secrets: { enabled: true }
  audit: { enabled: true, blocking: true, npmRegistry: "${advisories}/", osvUrl: "${advisories}/v1/query" }
  a11y: { enabled: true }
  budgets: { enabled: true, performance: 20, lcpMs: 10000, cls: 0.1, totalKib: 600 }
  visual: { enabled: true }
`;
}

/** A message for each expected line the output lacks (or for a forbidden text it holds); undefined when all hold. */
export function missing(text: string, want: (string | RegExp)[], never: string[] = []): string | undefined {
  const lacks = want.filter((w) => (typeof w === "string" ? !text.includes(w) : !w.test(text)));
  const leaks = never.filter((n) => n && text.includes(n));
  if (leaks.length) return `output holds a value it must never show (${leaks.length} of them)`;
  return lacks.length ? `output lacks ${lacks.map(String).join(" | ")}` : undefined;
}

/** The lines a green fast-tests prints for the three checks. */
export const FAST_GREEN: (string | RegExp)[] = [
  /sast: passed, no findings at or above medium/,
  "secrets: passed, no secrets",
  "audit: passed, no advisories at or above high",
];

/** What the planted findings must be named by (file and line; an advisory by its lockfile). */
export const FAST_RED: (string | RegExp)[] = [
  "bandit B602 high backend/app/planted.py:5",
  "eslint-security security/detect-eval-with-expression high frontend/lib/planted.ts:2",
  "gitleaks github-pat high backend/app/settings_local.py:3",
  "npm-audit GHSA-35jh-r3h4-6jhm high frontend/package-lock.json",
  "pip-audit PYSEC-2018-28 high backend/uv.lock",
];

const all = (t: Typed) => `${t.stdout}\n${t.stderr}`;

function copyApp(scratch: string, name: string, yaml: string): string {
  const dir = join(scratch, name);
  cpSync(join(ROOT, "examples/app"), dir, { recursive: true, filter: (s) => !/node_modules|\.venv|\.next/.test(s) });
  writeFileSync(join(dir, "pipeline.yaml"), yaml);
  return dir;
}

/** The report's summary.txt and status, as end-to-end exported them. */
function reportOf(dir: string): { status: string; summary: string } {
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : "");
  return { status: read("status").trim(), summary: read("summary.txt") };
}

/** A check on an exported E2E report: its status and the lines its summary must hold (kept as <row>.summary.txt). */
export function reportCheck(
  row: string,
  dir: string,
  status: string,
  want: (string | RegExp)[],
): () => string | undefined {
  return () => {
    const r = reportOf(dir);
    writeFileSync(join(labOut(), "module", `${row}.summary.txt`), r.summary);
    if (r.status !== status) return `report status ${r.status || "missing"}, expected ${status}`;
    return missing(r.summary, want);
  };
}

/** The quality rows: fast-tests green and planted, then the E2E tier's four steps against the started example. */
export async function qualityRows(scratch: string): Promise<RowGroup> {
  const ip = bridgeIp();
  const db = await startAdvisories();
  const dbForward = await forward(ip, Number(new URL(db.npmRegistry).port));
  const yaml = qualityConfig(`http://${ip}:${dbForward.port}`);
  const green = copyApp(scratch, "quality-green", yaml);
  const planted = copyApp(scratch, "quality-planted", yaml);
  plantSastFindings(planted);
  plantVulnerableLocks(planted);
  const token = plantGithubToken(planted);

  const e2eCopy = copyExample();
  writeFileSync(join(e2eCopy.dir, "pipeline.yaml"), yaml);
  const fe = join(e2eCopy.dir, "frontend");
  const env = { ...process.env, PATH: [TOOLS_BIN, process.env.PATH ?? ""].join(delimiter) };
  let app: LocalApp | undefined;
  const start = async () => {
    await app?.stop();
    app = await startLocalApp(e2eCopy.dir, await readConfig(e2eCopy.dir), env, () => {}, ip);
  };
  await start();
  const e2e = (report: string) =>
    call(
      "end-to-end",
      [
        ["source", e2eCopy.dir],
        ["shards", "1"],
        ["suite", "smoke"],
        ["base-url", app!.baseUrl],
        ["api-url", app!.apiUrl],
      ],
      ["export", "--path", report],
    );
  const [noBaseline, accepted, altPlanted] = ["e2e-no-baseline", "e2e-accepted", "e2e-a11y-planted"].map((d) =>
    join(scratch, `quality-${d}`),
  );
  const screenshots = join(fe, "e2e/__screenshots__");
  const a11yGreen = /a11y: passed, no violations at or above serious/;
  const budgetsGreen = /budgets: passed, every budget holds on 1 page\(s\)/;

  const rows: ModuleRow[] = [
    {
      row: "quality-fast-tests",
      argv: call("fast-tests", [["source", green]]),
      expect: 0,
      check: (t) => missing(t.stdout, FAST_GREEN),
    },
    {
      row: "quality-fast-tests-planted",
      argv: call("fast-tests", [["source", planted]]),
      expect: 1,
      check: (t) => missing(all(t), FAST_RED, [token, token.slice(4, 20)]),
    },
    {
      row: "quality-e2e-no-baseline",
      argv: e2e(noBaseline),
      expect: 0,
      check: reportCheck("quality-e2e-no-baseline", noBaseline, "failed", [
        `visual: FAILED, 1 page(s) differ from their baselines: / no baseline ${DAGGER_BASELINE} yet`,
        "accept the new screenshots: dagger call accept-baselines --report",
        a11yGreen,
        budgetsGreen,
      ]),
    },
    {
      row: "quality-accept-baselines",
      argv: call("accept-baselines", [["report", noBaseline]], ["export", "--path", screenshots]),
      expect: 0,
      check: () => (existsSync(join(screenshots, DAGGER_BASELINE)) ? undefined : `no ${DAGGER_BASELINE} exported`),
    },
    {
      row: "quality-e2e-accepted",
      argv: e2e(accepted),
      expect: 0,
      check: reportCheck("quality-e2e-accepted", accepted, "passed", [
        "visual: passed, 1 page(s) match their baselines",
        a11yGreen,
        budgetsGreen,
      ]),
    },
    {
      row: "quality-e2e-a11y-planted",
      argv: [],
      before: async (r) => {
        plantMissingAlt(fe);
        await start();
        r.argv = e2e(altPlanted);
      },
      expect: 0,
      check: reportCheck("quality-e2e-a11y-planted", altPlanted, "failed", [
        /a11y: FAILED, 1 violation at or above serious: critical image-alt on \//,
      ]),
    },
  ];
  return {
    rows,
    stop: async () => {
      await app?.stop();
      await dbForward.close();
      await db.close();
      e2eCopy.remove();
    },
  };
}
