import { randomBytes } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { startLocalApp, type LocalApp } from "../../../../scripts/host/exampleApp";
import { TOOLS_BIN } from "../../../../scripts/host/stage";
import { runPipeline } from "../../../support/cli";
import { linkFrontendDeps } from "../../../support/e2eFixtures";
import { runQualityJob } from "../../../../scripts/host/e2e/quality";
import { planQuality } from "../../../../ci/src/plan/e2e/quality/plan";
import { QUALITY_DIR } from "../../../../ci/src/plan/e2e/quality/files";
import type { Job } from "../../../../ci/src/plan/job";
import { copyExample } from "../../../support/example";

const SHA = "2222222222222222222222222222222222222222";
const env = { ...process.env, PATH: [TOOLS_BIN, process.env.PATH].join(delimiter), SLACK_WEBHOOK_URL: "" };
/** Budgets the example meets with room on a loaded 2-core machine; its home page transfers about 150 KiB. */
const CONFIG = `quality:
  a11y: { enabled: true }
  budgets: { enabled: true, performance: 20, lcpMs: 10000, cls: 0.1, totalKib: 600 }
  visual: { enabled: true }
`;

/** One finding of each kind: an image without alt text, a 2 MiB image, and a heading in another colour. */
function plantFindings(fe: string): void {
  const page = join(fe, "app/page.tsx");
  writeFileSync(
    page,
    readFileSync(page, "utf8").replace(
      '<h1 data-testid="home-title">',
      '{/* eslint-disable-next-line @next/next/no-img-element */}<img src="/pixel.png" width={1} height={1} />\n      <img src="/heavy.svg" alt="" width={1} height={1} />\n      <h1 data-testid="home-title">',
    ),
  );
  // Random, so the server's gzip cannot shrink it: about 1.5 MiB on the wire.
  const noise = randomBytes(1536 * 1024).toString("base64");
  writeFileSync(join(fe, "public/heavy.svg"), `<svg xmlns="http://www.w3.org/2000/svg"><!-- ${noise} --></svg>\n`);
  writeFileSync(
    join(fe, "public/pixel.png"),
    Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    ),
  );
  writeFileSync(
    join(fe, "app/globals.css"),
    `${readFileSync(join(fe, "app/globals.css"), "utf8")}\nh1 { color: #c0392b; }\n`,
  );
}

/**
 * The E2E tier's quality checks on the example app, for real: axe, Lighthouse and screenshots against the committed
 * baseline, on Debian Chromium, through `npm run pipeline -- end-to-end`; green as committed, red on planted findings.
 */
describe("E2E quality checks on the running example app", () => {
  const copy = copyExample();
  const fe = join(copy.dir, "frontend");
  let app: LocalApp | undefined;
  const start = async () => {
    await app?.stop();
    app = await startLocalApp(copy.dir, parseConfig(CONFIG), env, () => {});
  };
  const e2e = async (runEnv: NodeJS.ProcessEnv = env) => {
    const state = mkdtempSync(join(tmpdir(), "e2e-quality-"));
    const r = await runPipeline(
      ["end-to-end", "--source", copy.dir, "--base-url", app!.baseUrl, "--api-url", app!.apiUrl].concat([
        "--state-dir",
        state,
        "--commit",
        SHA,
        "--record",
        "local",
        "--suite",
        "smoke",
        "--shards",
        "1",
      ]),
      runEnv,
    );
    return { ...r, report: join(state, "e2e-report"), record: join(state, "e2e", `${SHA}.json`) };
  };

  beforeAll(async () => {
    linkFrontendDeps(copy.dir);
    writeFileSync(join(copy.dir, "pipeline.yaml"), CONFIG);
    await start();
  }, 240_000);
  afterAll(async () => {
    await app?.stop();
    copy.remove();
  });

  it("passes all three on the example as committed, their reports in the E2E report", async () => {
    const r = await e2e();
    expect(r.exitCode, r.output).toBe(0);
    expect(r.stdout).toMatch(
      /^a11y: passed, no violations at or above serious \(0 critical, 0 serious, \d+ moderate, \d+ minor; 0 allowed/m,
    );
    expect(r.stdout).toMatch(
      /^budgets: passed, every budget holds on 1 page\(s\) \(\/: performance \d+, LCP \d+ ms, CLS [\d.]+, \d+ KiB\)$/m,
    );
    expect(r.stdout).toMatch(/^visual: passed, 1 page\(s\) match their baselines$/m);
    for (const f of ["quality/a11y/home.json", "quality/lighthouse/home.report.html", "quality/visual.json"])
      expect(existsSync(join(r.report, f)), f).toBe(true);
    const summary = JSON.parse(readFileSync(join(r.report, "summary.json"), "utf8"));
    expect(summary.quality.map((q: { status: string }) => q.status)).toEqual(["passed", "passed", "passed"]);
  }, 300_000);

  it("goes red on each planted finding, naming it, with the diff image in the report and promotion blocked", async () => {
    plantFindings(fe);
    await start();
    const r = await e2e();
    expect(r.exitCode, r.output).toBe(1);
    expect(r.stdout).toMatch(/^e2e \(smoke\): FAILED$/m);
    expect(r.stdout).toMatch(/^playwright: \d+ passed, 0 failed/m);
    expect(r.stdout).toMatch(
      /^a11y: FAILED, 1 violation at or above serious: critical image-alt on \/ \(1×: img\[src\$=\\?"pixel\.png\\?"\]\)/m,
    );
    expect(r.stdout).toMatch(/^budgets: FAILED, \/: total \d{4} KiB > 600 KiB/m);
    const visual =
      /^visual: FAILED, 1 page\(s\) differ from their baselines: \/ \d+ pixels .* are different\.: quality\/(results\/\S+-diff\.png)$/m.exec(
        r.stdout,
      );
    expect(visual, r.stdout).not.toBeNull();
    expect(existsSync(join(r.report, "quality", visual![1]))).toBe(true);
    expect(r.stdout).toContain("accept the new screenshots: npm run pipeline -- accept-baselines");
    expect(JSON.parse(readFileSync(r.record, "utf8"))).toMatchObject({ status: "failed", failed: 0 });

    // Accepting the run's screenshot makes it this browser's and platform's baseline, and the next run green.
    const baseline = join(fe, "e2e/__screenshots__/home-debian-chromium-linux.png");
    const accepted = await runPipeline(["accept-baselines", "--source", copy.dir, "--report", r.report], env);
    expect(accepted.exitCode, accepted.output).toBe(0);
    const actual = readFileSync(join(r.report, "quality", visual![1].replace(/-diff\.png$/, "-actual.png")));
    expect(readFileSync(baseline).equals(actual)).toBe(true);
    expect(accepted.stdout).toContain(`accepted ${baseline}`);
    const again = await e2e();
    expect(again.stdout).toMatch(/^visual: passed, 1 page\(s\) match their baselines$/m);
    expect(again.stdout).toMatch(/^a11y: FAILED/m);
  }, 600_000);

  it("keeps one baseline per browser: another Chromium has none yet, is red with its screenshot kept, then accepted", async () => {
    // The same Chromium under another name is another browser to the naming (PLAYWRIGHT_CHROMIUM_EXECUTABLE).
    const alt = join(mkdtempSync(join(tmpdir(), "alt-browser-")), "chromium-alt");
    symlinkSync("/usr/bin/chromium", alt);
    const altEnv = { ...env, PLAYWRIGHT_CHROMIUM_EXECUTABLE: alt };
    writeFileSync(join(copy.dir, "pipeline.yaml"), "quality:\n  visual: { enabled: true }\n");
    const shots = join(fe, "e2e/__screenshots__");
    const debian = readFileSync(join(shots, "home-debian-chromium-linux.png"));
    const r = await e2e(altEnv);
    expect(r.stdout).toMatch(
      /^visual: FAILED, 1 page\(s\) differ from their baselines: \/ no baseline home-chromium-alt-linux\.png yet/m,
    );
    const accepted = await runPipeline(["accept-baselines", "--source", copy.dir, "--report", r.report], env);
    expect(accepted.exitCode, accepted.output).toBe(0);
    expect(accepted.stdout).toContain(`accepted ${join(shots, "home-chromium-alt-linux.png")}`);
    expect(readFileSync(join(shots, "home-debian-chromium-linux.png")).equals(debian)).toBe(true);
    const again = await e2e(altEnv);
    expect(again.exitCode, again.output).toBe(0);
    expect(again.stdout).toMatch(/^visual: passed, 1 page\(s\) match their baselines$/m);
  }, 600_000);
});

/**
 * The frontend's `.e2e` work folder is the repository's to write while its shards and app run: a shard left it as a
 * link to a folder outside the repository and wrote no blob, so no merge ran (the merge unlinks it). The quality job
 * then removed `<link target>/quality` and wrote its files there, as the runner's user, outside any sandbox (the
 * thirteenth hostile run). The link goes, never what it leads to, as at the merge and a lone shard.
 */
describe("the quality job's folder", () => {
  it("removes a `.e2e` left as a link before it clears and writes its folder, and leaves the link's target alone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quality-link-"));
    const fe = join(dir, "frontend");
    const outside = join(dir, "outside");
    mkdirSync(join(outside, "quality"), { recursive: true });
    writeFileSync(join(outside, "quality", "precious.txt"), "keep me");
    mkdirSync(fe);
    symlinkSync(outside, join(fe, ".e2e"));
    const c = parseConfig("quality:\n  a11y:\n    enabled: true\n");
    const base = { name: "q", image: "x", workdir: "frontend", install: [], steps: [], env: {} };
    const q = planQuality(c.quality, base as unknown as Job, "http://127.0.0.1:1", "/tools", ["npx", "playwright"]);
    try {
      await runQualityJob(q!, fe, {}, async () => undefined);
      expect(readFileSync(join(outside, "quality", "precious.txt"), "utf8")).toBe("keep me");
      expect(readdirSync(join(outside, "quality"))).toEqual(["precious.txt"]);
      expect(lstatSync(join(fe, ".e2e")).isDirectory()).toBe(true);
      expect(existsSync(join(fe, QUALITY_DIR))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
