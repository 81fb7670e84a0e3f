/**
 * The quality checks on the Dagger path, with the real SDK client and no engine: the recorded requests of `fastTests`
 * with sast, secrets and audit turned on must hold one container per scan, from the plan's image, with the scan's own
 * files, its installs, and the scan exec that tolerates any exit code; the answers the recording gives each scan
 * (the tools' empty reports) make the summary's rows.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../ci/src/plan/config/parse";
import { planQualityChecks } from "../../ci/src/plan/quality/checks";
import { callCi } from "../support/ciCall";
import { copyExample } from "../support/example";
import { shape } from "../support/graph";
import { containerCalls, startRecorder, type Chain, type Recording } from "../support/recorder";

const YAML = "quality:\n  sast: { enabled: true }\n  secrets: { enabled: true }\n  audit: { enabled: true }\n";

/** What each tool prints when it finds nothing. */
const EMPTY: Record<string, string> = {
  bandit: '{"errors": [], "results": []}',
  node: "[]",
  gitleaks: "[]",
  npm: '{"vulnerabilities": {}}',
  uvx: '{"dependencies": []}',
};

function lastExec(chain: Chain): string[] | undefined {
  return [...chain].reverse().find((c) => c.field === "withExec")?.args.args as string[] | undefined;
}

describe("fastTests with quality checks (recorded GraphQL requests)", () => {
  const copy = copyExample();
  writeFileSync(join(copy.dir, "pipeline.yaml"), YAML);
  const scans = planQualityChecks(parseConfig(YAML)).flatMap((p) => p.scans);
  let rec: Recording;
  let summary: string;
  let containers: string[][];

  beforeAll(async () => {
    rec = await startRecorder({
      answer: (field, chain) => {
        const argv = lastExec(chain);
        if (field !== "stdout" || !argv) return undefined;
        return argv[0] === "uvx" && argv.includes("bandit") ? EMPTY.bandit : EMPTY[argv[0]];
      },
    });
    const saved = { ...process.env };
    Object.assign(process.env, rec.env);
    try {
      const { connection, dag } = await import("@dagger.io/dagger");
      await connection(async () => {
        summary = await callCi("fastTests", { source: dag.host().directory(copy.dir), config: "pipeline.yaml" });
      });
    } finally {
      process.env = saved;
    }
    containers = rec.chains.filter((ch) => ch.at(-1)?.field === "exitCode").map((ch) => shape(containerCalls(ch)));
  }, 120_000);
  afterAll(async () => {
    await rec?.close();
    copy.remove();
  });

  it("puts each check in the summary as a passed row with its verdict", () => {
    expect(summary).toMatch(/^fast-tests: passed\n/);
    expect(summary).toMatch(/sast\s+PASSED\s.*sast: passed, no findings at or above medium/);
    expect(summary).toMatch(/secrets\s+PASSED\s.*secrets: passed, no secrets/);
    expect(summary).toMatch(/audit\s+PASSED\s.*audit: passed, no advisories at or above high/);
  });

  for (const scan of scans) {
    it(`runs ${scan.name} from ${scan.image} with its files, installs and a scan exec that takes any exit code`, () => {
      const argv = scan.steps[0].argv.map((a) => a.replaceAll("{scratch}", "/scratch")).join(" ");
      const got = containers.find((c) => c.at(-1) === `exec ${argv} (expect ANY)`);
      expect(got, containers.map((c) => c.join("\n")).join("\n\n")).toBeDefined();
      expect(got?.[0]).toBe(`from ${scan.image}`);
      expect(got).toContain(`dir /src`);
      expect(got).toContain(`workdir ${scan.workdir === "." ? "/src" : `/src/${scan.workdir}`}`);
      for (const f of scan.files) expect(got).toContain(`new-file ${f.path.replace("{scratch}", "/scratch")}`);
      for (const s of scan.install)
        expect(got).toContain(`exec ${s.argv.map((a) => a.replaceAll("{scratch}", "/scratch")).join(" ")}`);
    });
  }

  it("scans the whole source for secrets from the gitleaks image, with values redacted", () => {
    const gitleaks = containers.find((c) => c[0] === "from zricethezav/gitleaks:v8.30.1");
    expect(gitleaks?.at(-1)).toMatch(/^exec gitleaks dir --redact .* \(expect ANY\)$/);
  });
});
