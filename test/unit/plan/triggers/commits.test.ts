import { describe, expect, it } from "vitest";
import { workflowCommandOf } from "../../../support/workflowCommands";
import {
  BadCommitsError,
  findBadCommits,
  formatCommitReport,
  printable,
  subjectProblem,
} from "../../../../ci/src/plan/triggers/commits";

describe("subjectProblem", () => {
  it("accepts type: subject, with an optional scope and breaking-change bang", () => {
    for (const s of [
      "feat: add login",
      "fix(api): handle empty title",
      "refactor(ci)!: drop node 18",
      "revert: feat: add login",
      "chore!: bump",
    ]) {
      expect(subjectProblem(s), s).toBeUndefined();
    }
  });

  it("names the wrong type and lists the valid ones", () => {
    expect(subjectProblem("Add login")).toMatch(
      /type "Add" is not one of feat, fix, docs, style, refactor, perf, test, build, ci, chore, revert/,
    );
    expect(subjectProblem("Feat: add login")).toMatch(/type "Feat"/);
    expect(subjectProblem("feature: add login")).toMatch(/type "feature"/);
  });

  it("says what is missing after the type", () => {
    expect(subjectProblem("feat add login")).toMatch(/missing ": " after "feat"/);
    expect(subjectProblem("feat:add login")).toMatch(/needs a space and a subject/);
    expect(subjectProblem("feat: ")).toMatch(/needs a space and a subject/);
    expect(subjectProblem("feat(): x")).toMatch(/empty scope/);
    expect(subjectProblem("123")).toMatch(/does not start with a type/);
  });
});

describe("findBadCommits and formatCommitReport", () => {
  const commits = [
    { sha: "a".repeat(40), subject: "feat: ok" },
    { sha: "b".repeat(40), subject: "WIP" },
    { sha: "c".repeat(40), subject: "fix stuff" },
  ];

  it("lists each offending commit with its short sha, subject and problem, and the fix", () => {
    const bad = findBadCommits(commits);
    expect(bad.map((b) => b.sha[0])).toEqual(["b", "c"]);
    const report = formatCommitReport(commits.length, bad);
    expect(report).toMatch(/2 of 3 commit\(s\) break/);
    expect(report).toContain('bbbbbbb  "WIP"');
    expect(report).toContain('ccccccc  "fix stuff"');
    expect(report).toMatch(/git rebase -i/);
  });

  it("reports the count when all are fine", () => {
    expect(formatCommitReport(1, findBadCommits(commits.slice(0, 1)))).toMatch(/1 commit\(s\) checked, all follow/);
  });

  it("throws BadCommitsError carrying the offenders", async () => {
    const p = Promise.reject(new BadCommitsError(findBadCommits(commits), 3));
    await expect(p).rejects.toThrow(BadCommitsError);
  });
});

describe("printable", () => {
  it("writes C0, DEL, C1 and bidirectional overrides as escapes, and keeps other text", () => {
    expect(printable("a\x1b[31mb\x07\x7f\x9b\u202eé ✓")).toBe(String.raw`a\x1b[31mb\x07\x7f\x9b\u202eé ✓`);
  });

  it("is applied to every subject and problem in the report", () => {
    const report = formatCommitReport(1, findBadCommits([{ sha: "abcdef1234", subject: "x(\x1b]0;t\x07): y" }]));
    // eslint-disable-next-line no-control-regex -- no control character but the report's own newlines
    expect(report).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(report).toContain(String.raw`"x(\x1b]0;t\x07): y"`);
  });
});

/**
 * The report is printed to the CI log of the check-commits job (both runners), where the runner reads workflow
 * commands in every line: a subject `##[add-mask]…` or `##[error]…` was one (the legacy `##[` form is matched anywhere
 * in a line, actions/runner ActionCommand.TryParse), the tenth hostile run found. `::` never starts a report line.
 */
describe("formatCommitReport in a GitHub Actions log", () => {
  it("holds no line the runner reads as a workflow command, whatever the subjects and scopes", () => {
    const subjects = [
      "##[add-mask]main",
      "::stop-commands::tok",
      "feat(##[error file=x.py,line=1]forged) x",
      "x ##[set-output name=output]deadbeef",
      "###[group]x",
    ];
    const report = formatCommitReport(
      subjects.length,
      findBadCommits(subjects.map((subject, i) => ({ sha: String(i).repeat(40), subject }))),
    );
    for (const line of report.split("\n")) expect(workflowCommandOf(line), line).toBeUndefined();
    expect(report).toContain(String.raw`"##\x5badd-mask]main"`);
  });
});
