import { describe, expect, it } from "vitest";
import { defaultE2eChecks } from "../../../../../ci/src/plan/config/quality/e2eChecks";
import { InputError } from "../../../../../ci/src/plan/errors";
import {
  acceptedBaselines,
  judgeVisual as judgeVisualParts,
  parseVisualRecord,
} from "../../../../../ci/src/plan/e2e/quality/visual";
import { formatVerdict } from "../../../../../ci/src/flow/verdict";

/** The judgement with its line, as the flows give it. */
const judgeVisual = (...a: Parameters<typeof judgeVisualParts>) => {
  const j = judgeVisualParts(...a);
  return { ...j, verdict: formatVerdict(j) };
};

const cfg = { ...defaultE2eChecks().visual, enabled: true, pages: ["/", "/about"] };
const spec = (title: string, status: string, message = "", attachments: string[] = []) => ({
  title,
  tests: [
    {
      status,
      results: [{ errors: message ? [{ message }] : [], attachments: attachments.map((p) => ({ name: p, path: p })) }],
    },
  ],
});
const report = (...specs: ReturnType<typeof spec>[]) => JSON.stringify({ suites: [{ suites: [{ specs }] }] });

describe("judgeVisual", () => {
  it("passes when every page matches its baseline", () => {
    const r = judgeVisual(cfg, report(spec("visual /", "expected"), spec("visual /about", "expected")), "accept");
    expect(r.verdict).toBe("visual: passed, 2 page(s) match their baselines");
  });

  it("fails a differing page with Playwright's reason and its diff image inside the report", () => {
    const msg =
      "\u001b[31mError: expect(page).toHaveScreenshot(expected) failed\n\n  1234 pixels (ratio 0.02) are different.";
    const files = [
      "/x/fe/.e2e/quality/results/quality-visual-/home-actual.png",
      "/x/fe/.e2e/quality/results/quality-visual-/home-diff.png",
    ];
    const r = judgeVisual(
      cfg,
      report(spec("visual /", "unexpected", msg, files), spec("visual /about", "expected")),
      "npm run x",
    );
    expect(r.verdict).toBe(
      "visual: FAILED, 1 page(s) differ from their baselines: / 1234 pixels (ratio 0.02) are different.: quality/results/quality-visual-/home-diff.png",
    );
    expect(r.details.at(-1)).toBe("accept the new screenshots: npm run x");
  });

  it("fails a page with no baseline yet, and a page that never ran", () => {
    const msg = "Error: A snapshot doesn't exist at /x/e2e/__screenshots__/home-debian-chromium-linux.png.";
    const r = judgeVisual(cfg, report(spec("visual /", "unexpected", msg)), "a");
    expect(r.details.slice(0, 2)).toEqual([
      "no screenshot test ran for /about",
      "/ no baseline home-debian-chromium-linux.png yet",
    ]);
    expect(judgeVisual(cfg, undefined, "a").verdict).toBe("visual: FAILED, the screenshot run wrote no JSON report");
  });
});

describe("acceptedBaselines", () => {
  const records = [
    { page: "/", slug: "home", baseline: "home-debian-chromium-linux.png" },
    { page: "/about", slug: "about", baseline: "about-debian-chromium-linux.png" },
  ];

  it("takes each actual screenshot as the baseline its browser and platform compare with", () => {
    const files = [
      "quality-visual-/home-actual.png",
      "quality-visual-/home-diff.png",
      "quality-visual-/home-expected.png",
      "quality-visual--about/about-actual.png",
    ];
    expect(acceptedBaselines(files, records)).toEqual([
      { from: "quality-visual--about/about-actual.png", baseline: "about-debian-chromium-linux.png" },
      { from: "quality-visual-/home-actual.png", baseline: "home-debian-chromium-linux.png" },
    ]);
  });

  it("leaves out a screenshot the spec kept no record for", () => {
    expect(acceptedBaselines(["x/books-actual.png"], records)).toEqual([]);
  });

  it.each([
    "../../../../tmp/x.png",
    "/etc/cron.d/x.png",
    "a/b.png",
    "home.sh",
    "..png",
    ".png",
    "a\\b.png",
    "x.png\u0000",
  ])(
    "refuses a record whose baseline %j is not a plain .png file name (it would write outside the baselines)",
    (baseline) => {
      const hostile = [{ page: "/", slug: "home", baseline }];
      expect(() => acceptedBaselines(["x/home-actual.png"], hostile)).toThrow(InputError);
      expect(() => acceptedBaselines(["x/home-actual.png"], hostile)).toThrow(
        /is not a screenshot file name.*Re-run end-to-end/,
      );
    },
  );
});

describe("parseVisualRecord", () => {
  it("reads a record the quality spec wrote", () => {
    expect(parseVisualRecord('{"page":"/","slug":"home","baseline":"home-x-linux.png"}', "home.json")).toEqual({
      page: "/",
      slug: "home",
      baseline: "home-x-linux.png",
    });
  });

  it.each(["{", "null", "[]", '{"slug":"home"}', '{"page":"/","slug":5,"baseline":"a.png"}', "\u0000\u00ff"])(
    "refuses a garbled record %j as input, naming the file and the fix",
    (text) => {
      expect(() => parseVisualRecord(text, "quality/visual/home.json")).toThrow(InputError);
      expect(() => parseVisualRecord(text, "quality/visual/home.json")).toThrow(
        /quality\/visual\/home\.json is not a visual record .*Re-run end-to-end/,
      );
    },
  );
});
