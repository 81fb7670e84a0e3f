/**
 * Conventional Commit subjects (docs/requirements.md#R-commits): `type(scope)!: subject`. Pure.
 */
import { StageFailure } from "../errors";

/** The commit types the gate accepts. */
export const COMMIT_TYPES = [
  "feat",
  "fix",
  "docs",
  "style",
  "refactor",
  "perf",
  "test",
  "build",
  "ci",
  "chore",
  "revert",
] as const;

/** A commit as `git log` lists it. */
export interface CommitInfo {
  sha: string;
  subject: string;
}

/** A commit whose subject breaks the convention, and how. */
export interface BadCommit extends CommitInfo {
  problem: string;
}

const PATTERN = /^(?<type>[A-Za-z]+)(?<scope>\([^()]*\))?(?<bang>!)?(?<colon>:?)(?<space>\s?)(?<subject>.*)$/;

/** What is wrong with one subject, or undefined when it follows `type(scope)!: subject`. */
export function subjectProblem(subject: string): string | undefined {
  const m = PATTERN.exec(subject);
  const types = COMMIT_TYPES.join(", ");
  if (!m?.groups) return `does not start with a type; write "<type>(<scope>): <subject>" with type one of ${types}`;
  const g = m.groups;
  if (!(COMMIT_TYPES as readonly string[]).includes(g.type))
    return `type "${g.type}" is not one of ${types} (lowercase)`;
  if (g.scope === "()") return 'empty scope "()"; drop the parentheses or name the scope';
  if (!g.colon) return `missing ": " after "${g.type}${g.scope ?? ""}${g.bang ?? ""}"`;
  if (!g.space || g.subject.trim() === "") return "needs a space and a subject after the colon";
  return undefined;
}

/** The commits whose subjects break the convention. */
export function findBadCommits(commits: CommitInfo[]): BadCommit[] {
  return commits.flatMap((c) => {
    const problem = subjectProblem(c.subject);
    return problem ? [{ ...c, problem }] : [];
  });
}

/** A report listing each offending commit (short sha, subject, problem), or the count checked. */
export function formatCommitReport(checked: number, bad: BadCommit[]): string {
  if (!bad.length) return `conventional commits: ${checked} commit(s) checked, all follow type(scope)!: subject`;
  const lines = bad.map((b) => `  ${b.sha.slice(0, 7)}  "${loggable(b.subject)}"\n           ${loggable(b.problem)}`);
  const fix = "Fix: reword them (git rebase -i <base>, then `reword`) and push again";
  return [
    `conventional commits: ${bad.length} of ${checked} commit(s) break type(scope)!: subject`,
    ...lines,
    fix,
  ].join("\n");
}

/**
 * `text` with its control characters (C0, DEL, C1) and bidirectional overrides written as `\xNN`/`\uNNNN`: a subject
 * is anyone's text, and an escape sequence in it must not clear, retitle or recolour the reader's terminal.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * printable, with `##[` written `##\x5b`: a GitHub Actions runner reads `##[<command>]` anywhere in a line of a step's
 * output as a workflow command (the legacy form, actions/runner ActionCommand.TryParse; `::<command>::` counts only at
 * a line's start, where no echoed text is), so a subject or file name could mask the log's text, stop its commands or
 * forge an annotation. For text anyone can write that reaches a CI log.
 */
export function loggable(text: string): string {
  return printable(text).replaceAll("##[", "##\\x5b");
}

/** Commits that break the convention: carries them, and the report as the message. */
export class BadCommitsError extends StageFailure {
  constructor(
    readonly bad: BadCommit[],
    checked: number,
  ) {
    super(formatCommitReport(checked, bad));
  }
}
