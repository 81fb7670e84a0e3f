/**
 * Secret scanning with gitleaks: a pull request's commits (base..head) in the git repository, otherwise the whole
 * source tree. Values are redacted by gitleaks itself and dropped here: a finding names its file, line and rule only.
 * gitleaks runs the pipeline's rules, not the repository's: a pull request could otherwise turn the gate off with a
 * `.gitleaks.toml` of its own (an empty one has no rules) or a `gitleaks:allow` comment; what to ignore is said in
 * `quality.secrets.allow`, in the one file the pipeline reads.
 */
import type { PipelineConfig } from "../config/defaults";
import { thresholdOf } from "../config/thresholds";
import { GITLEAKS_VERSION, IMAGES } from "../images";
import type { Finding, Scan } from "./scan";

const REPORT = [
  "--redact",
  "--no-banner",
  "--ignore-gitleaks-allow",
  "--report-format",
  "json",
  "--report-path",
  "-",
  "--exit-code",
  "0",
];

/**
 * gitleaks' own default rules, given as the config: it wins over a `.gitleaks.toml` in the scanned tree
 * (precedence: --config, GITLEAKS_CONFIG, GITLEAKS_CONFIG_TOML, then the tree's file).
 */
export const GITLEAKS_CONFIG = "[extend]\nuseDefault = true\n";

/** The commits a pull request adds; without them the whole tree is scanned. */
export interface CommitRange {
  base: string;
  head: string;
}

/** The gitleaks scan: `git --log-opts base..head` for a pull request, else `dir` over the source. */
export function planSecretsScan(c: PipelineConfig, range?: CommitRange): Scan {
  const argv = range
    ? ["gitleaks", "git", `--log-opts=${range.base}..${range.head}`, ...REPORT, "."]
    : ["gitleaks", "dir", ...REPORT, "."];
  return {
    name: "secrets",
    stage: "fast-tests",
    check: "secrets",
    tool: "gitleaks",
    tree: range ? "repo" : "source",
    image: IMAGES.gitleaks.ref,
    workdir: ".",
    manifests: [],
    install: [],
    steps: [{ name: range ? `gitleaks ${range.base}..${range.head}` : "gitleaks (whole tree)", argv }],
    caches: [],
    env: { GITLEAKS_CONFIG_TOML: GITLEAKS_CONFIG },
    services: [],
    tools: [
      { bin: "gitleaks", installHint: `run scripts/setup.sh (builds gitleaks ${GITLEAKS_VERSION} into .tools/bin)` },
    ],
    artifacts: [],
    threshold: thresholdOf(c.thresholds.fastTests),
    files: [],
  };
}

interface GitleaksFinding {
  RuleID: string;
  File: string;
  StartLine: number;
  Commit?: string;
  Description?: string;
}

/** gitleaks' JSON report as findings: rule, file and line (and commit), never Secret, Match or Line. */
export function parseGitleaks(stdout: string): Finding[] {
  const found = JSON.parse(stdout.trim() || "[]") as GitleaksFinding[];
  return found.map((f) => ({
    tool: "gitleaks",
    rule: f.RuleID,
    severity: "high",
    file: f.File.replace(/^\.\//, ""),
    line: f.StartLine,
    message: `${f.Description ?? f.RuleID}${f.Commit ? ` (commit ${f.Commit.slice(0, 12)})` : ""}`,
  }));
}
