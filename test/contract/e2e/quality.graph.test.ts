/**
 * The E2E quality checks on the Dagger path, with the real SDK client and no engine: with a11y, budgets and visual
 * turned on, `endToEnd`'s recorded requests hold one quality container from the Playwright image with the pinned
 * tools installed, the written config and spec, the bundled Chromium as CHROME_PATH, and the spec and Lighthouse
 * execs that take any exit code; the outputs the recording answers make the summary's verdicts.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExample } from "../../support/example";
import { shape } from "../../support/graph";
import { containerCalls } from "../../support/recorder";
import { lastDirectory, recordCall, startStaging, writtenFiles } from "../../support/e2eRecording";
import type { RecordedCall } from "../../support/e2eRecording";

const YAML = "quality:\n  a11y: { enabled: true }\n  budgets: { enabled: true }\n  visual: { enabled: true }\n";
const CHROME = "/ms-playwright/chromium-1234/chrome-linux/chrome";
const AXE = {
  page: "/",
  violations: [{ id: "image-alt", impact: "critical", help: "Alt", nodes: [{ target: ["img"] }] }],
};
const LHR = {
  categories: { performance: { score: 0.9 } },
  audits: {
    "largest-contentful-paint": { numericValue: 900 },
    "cumulative-layout-shift": { numericValue: 0 },
    "total-byte-weight": { numericValue: 150 * 1024 },
  },
};
const VISUAL = { suites: [{ specs: [{ title: "visual /", tests: [{ status: "expected", results: [{}] }] }] }] };

const fileOf = (chain: { field: string; args: Record<string, unknown> }[]) =>
  [...chain].reverse().find((c) => c.field === "file")?.args.path;

describe("end-to-end with the E2E quality checks (recorded GraphQL requests)", () => {
  const copy = copyExample();
  writeFileSync(join(copy.dir, "pipeline.yaml"), YAML);
  let staging: { url: string; close(): void };
  let call: RecordedCall;

  beforeAll(async () => {
    staging = await startStaging();
    call = await recordCall(
      "endToEnd",
      (dag) => ({
        source: dag.host().directory(copy.dir),
        config: "pipeline.yaml",
        baseUrl: staging.url,
        apiUrl: staging.url,
        shards: 1,
        suite: "smoke",
        readyAttempts: 1,
        readyInterval: 0,
      }),
      {
        answer: (field, chain) => {
          const last = chain.filter((c) => c.field === "withExec").at(-1)?.args.args as string[] | undefined;
          if (field === "stdout" && last?.[0] === "node" && last[1] === "-e") return CHROME;
          if (field !== "contents" || !lastDirectory(chain)?.endsWith("/.e2e/quality")) return undefined;
          const f = fileOf(chain);
          if (f === "a11y/home.json") return JSON.stringify(AXE);
          if (f === "lighthouse/home.report.json") return JSON.stringify(LHR);
          if (f === "visual.json") return JSON.stringify(VISUAL);
          return undefined;
        },
      },
    );
  }, 120_000);
  afterAll(() => {
    staging?.close();
    copy.remove();
  });

  it("runs one quality container built and run exactly so", async () => {
    await expect(call.outcome).resolves.toBeDefined();
    // The container runs when the verdicts read its outputs: one read per output, all off the same container.
    const reads = call.rec.chains.filter(
      (ch) => ch.at(-1)?.field === "contents" && lastDirectory(ch)?.endsWith("/.e2e/quality"),
    );
    expect(reads).toHaveLength(3);
    const quality = [...new Set(reads.map((ch) => JSON.stringify(shape(containerCalls(ch)))))].map((j) =>
      JSON.parse(j),
    );
    expect(quality).toHaveLength(1);
    const got: string[] = quality[0];
    expect(got[0]).toBe("from mcr.microsoft.com/playwright:v1.65.1-noble");
    expect(got).toContain(
      "exec npm install --prefix /opt/quality-tools --no-save --no-audit --no-fund @axe-core/playwright@4.13.0 lighthouse@12.8.2",
    );
    expect(got).toContain("env QUALITY_TOOLS=/opt/quality-tools");
    for (const f of ["playwright.config.mjs", "quality.spec.mjs", "lighthouse/.keep"])
      expect(got).toContain(`new-file /src/frontend/.e2e/quality/${f}`);
    expect(got).toContain(`env CHROME_PATH=${CHROME}`);
    const tail = got.slice(got.indexOf(`env CHROME_PATH=${CHROME}`));
    expect(tail.filter((l) => l.startsWith("exec "))).toEqual([
      "exec npx playwright test --config .e2e/quality/playwright.config.mjs --update-snapshots=none (expect ANY)",
      expect.stringMatching(
        new RegExp(
          `^exec node /opt/quality-tools/node_modules/lighthouse/cli/index\\.js ${staging.url}/ --only-categories=performance .* \\(expect ANY\\)$`,
        ),
      ),
    ]);
  });

  it("judges what the container left: a11y red on its violation, budgets and visual green, the run red", () => {
    const summary = writtenFiles(call.rec).get("summary.txt") ?? "";
    expect(summary).toMatch(/^e2e \(smoke\): FAILED$/m);
    expect(summary).toMatch(
      /^a11y: FAILED, 1 violation at or above serious: critical image-alt on \/ \(1×: img\): Alt/m,
    );
    expect(summary).toMatch(
      /^budgets: passed, every budget holds on 1 page\(s\) \(\/: performance 90, LCP 900 ms, CLS 0\.000, 150 KiB\)$/m,
    );
    expect(summary).toMatch(/^visual: passed, 1 page\(s\) match their baselines$/m);
    expect(writtenFiles(call.rec).get("status")).toBe("failed\n");
  });
});
