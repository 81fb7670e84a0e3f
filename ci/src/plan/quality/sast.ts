/**
 * SAST: bandit over the backend and ESLint's security rules over the frontend, each with its own pinned tools and
 * config, so the repository's own lint setup is neither read nor changed.
 */
import type { PipelineConfig } from "../config/defaults";
import type { SastSeverity } from "../config/quality/defaults";
import { planBackendJob } from "../fastTests/backend";
import { planFrontendJob } from "../fastTests/frontend";
import { SCRATCH, treePath, type Finding, type Scan } from "./scan";

export const BANDIT_VERSION = "1.9.4";
export const ESLINT_TOOLS = {
  eslint: "9.39.5",
  "eslint-plugin-security": "4.1.0",
  "@typescript-eslint/parser": "8.74.0",
  typescript: "5.9.3",
};

/**
 * eslint-plugin-security's rules on bandit's scale. The plugin gives none; these follow what each rule can lead to:
 * code execution or a trojan source is high, a path, regex or timing leak medium, the noisy object-injection low.
 */
export const ESLINT_SECURITY_SEVERITY: Record<string, SastSeverity> = {
  "detect-eval-with-expression": "high",
  "detect-child-process": "high",
  "detect-non-literal-require": "high",
  "detect-pseudoRandomBytes": "high",
  "detect-bidi-characters": "high",
  "detect-invisible-characters": "high",
  "detect-disable-mustache-escape": "high",
  "detect-no-csrf-before-method-override": "high",
  "detect-buffer-noassert": "medium",
  "detect-new-buffer": "medium",
  "detect-unsafe-regex": "medium",
  "detect-non-literal-fs-filename": "medium",
  "detect-non-literal-regexp": "medium",
  "detect-possible-timing-attacks": "medium",
  "detect-object-injection": "low",
};

const ESLINT_DIR = `${SCRATCH}/eslint-security`;

/** Where bandit writes its JSON report: its `code` and `issue_text` quote the source, so never on stdout. */
export const BANDIT_REPORT = `${SCRATCH}/bandit.json`;

/** The bandit scan of the backend: uvx runs the pinned bandit from PyPI; --exit-zero, verdict.ts judges. */
export function planBanditScan(c: PipelineConfig): Scan {
  const be = planBackendJob(c);
  const exclude = ["**/.venv/**", ...c.quality.sast.exclude].join(",");
  const argv = ["uvx", "--from", `bandit==${BANDIT_VERSION}`, "bandit", "-r", ".", "-f", "json", "-q", "--exit-zero"];
  const report = ["-o", BANDIT_REPORT];
  return {
    ...be,
    name: "sast-backend",
    check: "sast",
    tool: "bandit",
    tree: "source",
    manifests: [],
    install: [],
    steps: [{ name: "bandit", argv: [...argv, ...report, "-x", exclude] }],
    report: BANDIT_REPORT,
    services: [],
    // bandit needs no project environment; uvx keeps its own.
    env: { UV_LINK_MODE: "copy", UV_PYTHON_DOWNLOADS: "never" },
    tools: be.tools.filter((t) => !t.python),
    artifacts: [],
    files: [],
  };
}

/** The ESLint scan of the frontend: the pinned tools installed under SCRATCH, every security rule a warning. */
export function planEslintScan(c: PipelineConfig): Scan {
  const fe = planFrontendJob(c);
  const tools = Object.entries(ESLINT_TOOLS).map(([n, v]) => `${n}@${v}`);
  const install = [
    "npm",
    "install",
    "--no-save",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    "--prefix",
    ESLINT_DIR,
  ];
  const eslint = [`${ESLINT_DIR}/node_modules/eslint/bin/eslint.js`, "--config", `${ESLINT_DIR}/eslint.config.mjs`];
  return {
    ...fe,
    name: "sast-frontend",
    check: "sast",
    tool: "eslint-security",
    tree: "source",
    manifests: [],
    install: [{ name: "install eslint-plugin-security", argv: [...install, ...tools] }],
    steps: [{ name: "eslint-security", argv: ["node", ...eslint, "--format", `${ESLINT_DIR}/format.mjs`, "."] }],
    caches: fe.caches.filter((m) => m.path === "/root/.npm"),
    env: {},
    artifacts: [],
    files: [
      { path: `${ESLINT_DIR}/eslint.config.mjs`, text: eslintConfig(c.quality.sast.exclude) },
      { path: `${ESLINT_DIR}/format.mjs`, text: ESLINT_FORMAT },
    ],
  };
}

/** An import line of the scan's own files, which run in the scan's process, not in this module. */
function load(names: string, from: string): string {
  return `import ${names} from ${JSON.stringify(from)};`;
}

/** The scan's own flat config: the repository's eslint.config.* is never looked up (--config), nor its comments. */
export function eslintConfig(exclude: string[]): string {
  const rules = Object.fromEntries(Object.keys(ESLINT_SECURITY_SEVERITY).map((r) => [`security/${r}`, "warn"]));
  return `${load("security", "eslint-plugin-security")}
${load("parser", "@typescript-eslint/parser")}
export default [
  { ignores: ${JSON.stringify(["**/node_modules/**", "**/.next/**", ...exclude])} },
  {
    files: ["**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}"],
    languageOptions: {
      parser,
      ecmaVersion: "latest",
      sourceType: "module",
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
    plugins: { security },
    rules: ${JSON.stringify(rules)},
  },
];
`;
}

/** A formatter that prints paths relative to where ESLint ran, and no source text. */
const ESLINT_FORMAT = `${load("{ relative }", "node:path")}
export default (results, context) =>
  JSON.stringify(results.map((r) => ({ file: relative(context.cwd, r.filePath), messages: r.messages.map(
    ({ ruleId, line, message, fatal }) => ({ ruleId, line, message, fatal }),
  ) })));
`;

interface BanditReport {
  results: {
    test_id: string;
    issue_severity: string;
    filename: string;
    line_number: number;
    issue_text: string;
  }[];
  errors?: { filename: string; reason: string }[];
}

/**
 * A bandit message without the values it quotes: B105–B107 print the hardcoded password itself
 * ("Possible hardcoded password: '<value>'"), and the message goes into the kept report.
 */
export function banditMessage(text: string): string {
  return text.replace(/'[^']*'|"[^"]*"/g, "'…'");
}

/** bandit's JSON results as findings, paths relative to the source; quoted values cut from the messages. */
export function parseBandit(stdout: string, workdir: string): { findings: Finding[]; errors: string[] } {
  const r = JSON.parse(stdout) as BanditReport;
  const findings = r.results.map((x) => ({
    tool: "bandit",
    rule: x.test_id,
    severity: x.issue_severity.toLowerCase(),
    file: treePath(workdir, x.filename),
    line: x.line_number,
    message: banditMessage(x.issue_text),
  }));
  return { findings, errors: (r.errors ?? []).map((e) => `${treePath(workdir, e.filename)}: ${e.reason}`) };
}

interface EslintFile {
  file: string;
  messages: { ruleId: string | null; line?: number; message: string; fatal?: boolean }[];
}

/** The formatter's JSON as findings; a file ESLint could not parse is an error, not a finding. */
export function parseEslint(stdout: string, workdir: string): { findings: Finding[]; errors: string[] } {
  const findings: Finding[] = [];
  const errors: string[] = [];
  for (const f of JSON.parse(stdout) as EslintFile[]) {
    const file = treePath(workdir, f.file);
    for (const m of f.messages) {
      if (m.fatal) errors.push(`${file}:${m.line ?? 0}: ${m.message}`);
      const rule = m.ruleId?.startsWith("security/") ? m.ruleId.slice("security/".length) : undefined;
      if (!rule) continue;
      const severity = ESLINT_SECURITY_SEVERITY[rule] ?? "medium";
      findings.push({
        tool: "eslint-security",
        rule: m.ruleId ?? rule,
        severity,
        file,
        line: m.line,
        message: m.message,
      });
    }
  }
  return { findings, errors };
}
