/** The schema of the E2E tier's quality checks under `quality:` (a11y, budgets, visual). */
import * as v from "valibot";
import { say } from "../issue";
import { amount, flag, insidePath, oneOf, settings, stringList, whole } from "../kinds";
import { A11Y_IMPACTS } from "./e2eChecks";

const PAGES_FIX = 'write paths under the frontend URL, like ["/", "/about"]';
const pages = () =>
  v.pipe(
    v.array(
      v.pipe(
        v.string(say("must be a list of paths", PAGES_FIX)),
        v.regex(/^\/\S*$/, say("holds a page that is not a path", PAGES_FIX)),
      ),
      say("must be a list of paths", PAGES_FIX),
    ),
    v.minLength(1, say("is empty", PAGES_FIX)),
  );

export const E2E_CHECKS_SCHEMA = {
  a11y: settings({
    enabled: flag(true),
    failOn: oneOf(A11Y_IMPACTS),
    pages: pages(),
    allow: stringList('["color-contrast", "image-alt:#hero > img"]'),
  }),
  budgets: settings({
    enabled: flag(true),
    pages: pages(),
    performance: whole({ min: 0, max: 100, example: 80 }),
    lcpMs: whole({ min: 1, max: 120_000, example: 4000, unit: "milliseconds" }),
    cls: amount({ min: 0, max: 10, example: 0.1, unit: "a layout-shift score" }),
    totalKib: whole({ min: 1, max: 1_000_000, example: 1024, unit: "KiB" }),
  }),
  visual: settings({
    enabled: flag(true),
    pages: pages(),
    baselines: insidePath("e2e/__screenshots__", "frontend.path", "the frontend"),
    maxDiffPixelRatio: amount({ min: 0, max: 1, example: 0.01, unit: "a share of pixels" }),
    mask: stringList('["[data-testid=clock]"]'),
  }),
};
