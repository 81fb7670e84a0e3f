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
import { e2eOutputs } from "../../support/qualityOutputs";
import { shape } from "../../support/graph";
import { containerCalls } from "../../support/recorder";
import { lastDirectory, recordCall, startStaging, writtenFiles } from "../../support/e2eRecording";
import type { RecordedCall } from "../../support/e2eRecording";

const YAML = "quality:\n  a11y: { enabled: true }\n  budgets: { enabled: true }\n  visual: { enabled: true }\n";
const CHROME = "/ms-playwright/chromium-1234/chrome-linux/chrome";
/** What axe, Lighthouse and Playwright left in the red run here (an image without alt, 1.5 MiB, a changed heading). */
const RED = e2eOutputs("red");
const VISUAL_RED =
  "visual: FAILED, 1 page(s) differ from their baselines: / 7017 pixels (ratio 0.01 of all image pixels) are " +
  "different.: quality/results/quality-visual--debian-chromium/home-diff.png";
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
          return f === undefined ? undefined : RED[`.e2e/quality/${f}`];
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
    // Its baselines are the Playwright image's own: <slug>-playwright-chromium-linux.png beside the host's.
    const config = call.rec.chains
      .flatMap((ch) => ch)
      .find((c) => c.field === "withNewFile" && String(c.args.path).endsWith("/playwright.config.mjs"));
    const text = String(config?.args.contents);
    expect(text).toContain('snapshotPathTemplate: "../../e2e/__screenshots__/{arg}-{projectName}-{platform}{ext}"');
    expect(text).toContain('chromium ? basename(chromium) : "playwright-chromium"');
    expect(text).toContain("projects: [{ name: browser }]");
    const tail = got.slice(got.indexOf(`env CHROME_PATH=${CHROME}`));
    expect(tail.filter((l) => l.startsWith("exec "))).toEqual([
      "exec npx --no-install playwright test --config .e2e/quality/playwright.config.mjs --update-snapshots=none (expect ANY)",
      `exec node /opt/quality-tools/node_modules/lighthouse/cli/index.js ${staging.url}/ --only-categories=performance` +
        " --output=json --output=html --output-path=.e2e/quality/lighthouse/home --quiet --chrome-flags=--no-sandbox" +
        " --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update" +
        " --disable-sync --font-render-hinting=none --headless=new (expect ANY)",
    ]);
  });

  it("judges what the real tools left in the red run: each check's line names its finding, the run red", () => {
    const summary = writtenFiles(call.rec).get("summary.txt") ?? "";
    expect(summary).toMatch(/^e2e \(smoke\): FAILED$/m);
    const lines = summary.split("\n").filter((l) => /^(a11y|budgets|visual): /.test(l));
    expect(lines).toEqual([
      'a11y: FAILED, 1 violation at or above serious: critical image-alt on / (1×: img[src$="pixel.png"]): ' +
        "Images must have alternative text (1 critical, 0 serious, 0 moderate, 0 minor; 0 allowed; pages /)",
      "budgets: FAILED, /: total 1694 KiB > 1024 KiB (/: performance 94, LCP 801 ms, CLS 0.000, 1694 KiB)",
      VISUAL_RED,
    ]);
    expect(writtenFiles(call.rec).get("status")).toBe("failed\n");
    // The remedy is this runner's command (the engine lab's quality rows showed the host runner's here).
    expect(summary).toContain(
      "accept the new screenshots: dagger call accept-baselines --report <the exported E2E report directory> " +
        "export --path frontend/e2e/__screenshots__",
    );
  });
});
