/** The quality checks' settings and their defaults: every check is off until pipeline.yaml turns it on. */
import { defaultE2eChecks, type E2eChecksConfig } from "./e2eChecks";

/** Bandit's severities, lowest first; the ESLint security rules are ranked on the same scale. */
export const SAST_SEVERITIES = ["low", "medium", "high"] as const;
export type SastSeverity = (typeof SAST_SEVERITIES)[number];

/** npm audit's severities, lowest first; pip-audit's advisories carry none and count as high. */
export const AUDIT_SEVERITIES = ["low", "moderate", "high", "critical"] as const;
export type AuditSeverity = (typeof AUDIT_SEVERITIES)[number];

/** Static analysis: bandit on the backend, ESLint security rules on the frontend (fast-tests). */
export interface SastConfig {
  enabled: boolean;
  /** A finding at or above failOn fails fast-tests; false: the verdict only informs. */
  blocking: boolean;
  failOn: SastSeverity;
  /** Findings to ignore: a rule id (`B101`, `security/detect-object-injection`), or `rule:path` for one file. */
  allow: string[];
  /** Globs of files neither tool reads. */
  exclude: string[];
}

/** gitleaks over a pull request's commits, or over the whole tree otherwise (fast-tests). */
export interface SecretsConfig {
  enabled: boolean;
  blocking: boolean;
  /** Findings to ignore: a path, or `path:rule` (gitleaks rule id), relative to the repository root. */
  allow: string[];
}

/** npm audit and pip-audit against the lockfiles (fast-tests). */
export interface AuditConfig {
  enabled: boolean;
  blocking: boolean;
  failOn: AuditSeverity;
  /** Advisory ids to ignore: GHSA-…, PYSEC-…, CVE-…. */
  allow: string[];
  /** When an advisory database cannot be reached: fail (true) or say so in one line and pass (false). */
  failWhenUnreachable: boolean;
  /** The registry npm audit asks ("": npm's own config, registry.npmjs.org by default). */
  npmRegistry: string;
  /** The OSV query endpoint pip-audit asks (a mirror, or OSV itself). */
  osvUrl: string;
}

export interface QualityConfig extends E2eChecksConfig {
  sast: SastConfig;
  secrets: SecretsConfig;
  audit: AuditConfig;
}

export function defaultQuality(): QualityConfig {
  return {
    sast: {
      enabled: false,
      blocking: true,
      failOn: "medium",
      allow: [],
      exclude: ["**/tests/**", "**/node_modules/**", "**/.venv/**", "**/.next/**", "**/coverage/**"],
    },
    secrets: { enabled: false, blocking: true, allow: [] },
    audit: {
      enabled: false,
      blocking: false,
      failOn: "high",
      allow: [],
      failWhenUnreachable: false,
      npmRegistry: "",
      osvUrl: "https://api.osv.dev/v1/query",
    },
    ...defaultE2eChecks(),
  };
}
