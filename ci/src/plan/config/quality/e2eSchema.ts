/** The schema of the E2E tier's quality checks under `quality:` (a11y, budgets, visual). */
import * as v from "valibot";
import { say } from "../issue";
import { BOUNDS } from "../../bounds";
import { bounded, flag, insidePath, oneOf, settings, stringList } from "../kinds";
import { A11Y_IMPACTS } from "./e2eChecks";

const PAGES_FIX = 'write paths under the frontend URL, like ["/", "/about"]';
const pages = () =>
  v.pipe(
    v.array(
      v.pipe(
        v.string(say("must be a list of paths", PAGES_FIX)),
        // `//host` and `/\\host` are URLs of another host to a browser, not paths of the frontend.
        v.regex(/^\/(?![/\\])\S*$/, say("holds a page that is not a path", PAGES_FIX)),
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
    performance: bounded(BOUNDS["quality.budgets.performance"]),
    lcpMs: bounded(BOUNDS["quality.budgets.lcpMs"]),
    cls: bounded(BOUNDS["quality.budgets.cls"]),
    totalKib: bounded(BOUNDS["quality.budgets.totalKib"]),
  }),
  visual: settings({
    enabled: flag(true),
    pages: pages(),
    baselines: insidePath("e2e/__screenshots__", "frontend.path", "the frontend"),
    maxDiffPixelRatio: bounded(BOUNDS["quality.visual.maxDiffPixelRatio"]),
    mask: stringList('["[data-testid=clock]"]'),
  }),
};
