/** Judge axe's violations against the configured impact and allow-list. Pure. */
import { A11Y_IMPACTS, type A11yConfig } from "../../config/quality/e2eChecks";
import { resultOf, type QualityJudged } from "./result";

/** What the quality spec wrote for one page (a11y/<slug>.json). */
export interface AxePage {
  page: string;
  violations: { id: string; impact?: string | null; help?: string; nodes: { target: string[] }[] }[];
}

/** A violation's elements minus the allowed ones: `rule` allows them all, `rule:selector` one element. */
function unallowed(id: string, nodes: { target: string[] }[], allow: string[]): { target: string[] }[] {
  if (allow.includes(id)) return [];
  return nodes.filter((n) => !allow.includes(`${id}:${n.target.join(" ")}`));
}

const rank = (impact: string | null | undefined) => A11Y_IMPACTS.indexOf((impact ?? "minor") as never);

/** Fail on an unallowed violation at or above failOn; a page whose results are missing is a failure too. */
export function judgeA11y(cfg: A11yConfig, pages: Record<string, string | undefined>): QualityJudged {
  const problems: string[] = [];
  const failing: string[] = [];
  const counts = new Map<string, number>();
  let allowed = 0;
  for (const page of cfg.pages) {
    const text = pages[page];
    if (text === undefined) {
      problems.push(`axe wrote no results for ${page} (see the quality run's output)`);
      continue;
    }
    for (const v of (JSON.parse(text) as AxePage).violations) {
      const left = unallowed(v.id, v.nodes, cfg.allow);
      allowed += v.nodes.length - left.length;
      if (!left.length) continue;
      const impact = v.impact ?? "minor";
      counts.set(impact, (counts.get(impact) ?? 0) + left.length);
      if (rank(impact) >= rank(cfg.failOn))
        failing.push(`${impact} ${v.id} on ${page} (${left.length}×: ${left[0].target.join(" ")}): ${v.help ?? ""}`);
    }
  }
  const byImpact = [...A11Y_IMPACTS]
    .reverse()
    .map((i) => `${counts.get(i) ?? 0} ${i}`)
    .join(", ");
  const facts = [byImpact, `${allowed} allowed`, `pages ${cfg.pages.join(" ")}`];
  const bar = `at or above ${cfg.failOn}`;
  const r = resultOf("a11y", failing, `no violations ${bar}`, problems, facts);
  const n = failing.length;
  return problems.length || !n ? r : { ...r, headline: `${n} violation${n === 1 ? "" : "s"} ${bar}: ${r.headline}` };
}
