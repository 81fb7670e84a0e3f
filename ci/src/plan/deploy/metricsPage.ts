/**
 * The metrics page, pure: one self-contained HTML file (inline CSS and SVG, no script, no
 * external asset), readable from disk with no server: the success-metrics table, deploys per day, each
 * deploy's duration against the deploy thresholds (docs/requirements.md#R-durations), and failures and rollbacks per
 * day.
 */
import { formatValue, rowStatus, type MetricRow } from "./metrics";
import type { ReleaseLogEntry } from "./releaseLog";

export interface Day {
  day: string;
  deployed: number;
  failed: number;
  bad: number;
  rollbacks: number;
}

/** One bucket per UTC day of [from, to): deployed, failed (before the switch), bad, rollbacks. */
export function dailySeries(logs: ReleaseLogEntry[][], from: Date, to: Date): Day[] {
  const days: Day[] = [];
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t < to.getTime(); t += 864e5)
    days.push({ day: new Date(t).toISOString().slice(0, 10), deployed: 0, failed: 0, bad: 0, rollbacks: 0 });
  const at = new Map(days.map((d) => [d.day, d]));
  for (const e of logs.flat()) {
    const d = at.get(e.time.slice(0, 10));
    if (!d || Date.parse(e.time) < from.getTime() || Date.parse(e.time) >= to.getTime()) continue;
    if (e.status === "deployed") d.deployed++;
    else if (e.status === "failed") d.failed++;
    else if (e.status === "bad") d.bad++;
    else if (e.status === "rollback") d.rollbacks++;
  }
  return days;
}

/** Each finished deploy's duration in minutes (entries that carry `seconds`), oldest first. */
export function durations(logs: ReleaseLogEntry[][], from: Date, to: Date): { id: string; minutes: number }[] {
  return logs
    .flat()
    .filter((e) => e.seconds !== undefined && e.status !== "started")
    .filter((e) => Date.parse(e.time) >= from.getTime() && Date.parse(e.time) < to.getTime())
    .sort((a, b) => a.time.localeCompare(b.time))
    .map((e) => ({ id: e.id, minutes: e.seconds! / 60 }));
}

const W = 560;
const H = 160;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Stacked bars, one per day. */
export function barChart(title: string, days: Day[], series: { key: keyof Omit<Day, "day">; color: string }[]): string {
  const max = Math.max(1, ...days.map((d) => series.reduce((a, s) => a + d[s.key], 0)));
  const bw = (W - 40) / Math.max(1, days.length);
  const bars = days.map((d, i) => {
    let y = H - 20;
    return series
      .map((s) => {
        const h = ((H - 40) * d[s.key]) / max;
        y -= h;
        return h
          ? `<rect x="${30 + i * bw + 1}" y="${y.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"><title>${esc(d.day)} ${s.key}: ${d[s.key]}</title></rect>`
          : "";
      })
      .join("");
  });
  const legend = series.map((s, i) => `<text x="${40 + i * 90}" y="12" fill="${s.color}">■ ${s.key}</text>`).join("");
  return svg(title, `${axis(max)}${bars.join("")}${legend}`);
}

/** Dots per deploy with the target and alert lines. */
export function durationChart(points: { id: string; minutes: number }[], target: number, alert: number): string {
  const max = Math.max(alert * 1.25, ...points.map((p) => p.minutes));
  const y = (m: number) => (H - 20 - ((H - 40) * m) / max).toFixed(1);
  const step = (W - 40) / Math.max(1, points.length);
  const dots = points
    .map((p, i) => {
      const color = p.minutes > alert ? "#c62828" : p.minutes > target ? "#ef6c00" : "#2e7d32";
      return `<circle cx="${(30 + step * (i + 0.5)).toFixed(1)}" cy="${y(p.minutes)}" r="3" fill="${color}"><title>${esc(p.id)}: ${p.minutes.toFixed(2)} min</title></circle>`;
    })
    .join("");
  const line = (m: number, c: string, label: string) =>
    `<line x1="30" x2="${W - 10}" y1="${y(m)}" y2="${y(m)}" stroke="${c}" stroke-dasharray="4 3"/><text x="${W - 110}" y="${Number(y(m)) - 3}" fill="${c}">${label} ${m} min</text>`;
  return svg(
    "deploy duration (min) against the deploy thresholds",
    `${axis(max)}${line(target, "#ef6c00", "target")}${line(alert, "#c62828", "alert")}${dots}`,
  );
}

function axis(max: number): string {
  return `<line x1="30" x2="30" y1="20" y2="${H - 20}" stroke="#999"/><line x1="30" x2="${W - 10}" y1="${H - 20}" y2="${H - 20}" stroke="#999"/><text x="2" y="24">${Math.round(max * 10) / 10}</text><text x="2" y="${H - 20}">0</text>`;
}

function svg(title: string, body: string): string {
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${body}</svg></figure>`;
}

/** The whole page. */
export function metricsPage(o: {
  rows: MetricRow[];
  days: Day[];
  durations: { id: string; minutes: number }[];
  threshold: { target: number; alert: number };
  period: string;
}): string {
  const rows = o.rows
    .map((r) => {
      const st = rowStatus(r);
      return `<tr class="${st.replace(" ", "-")}"><td>${esc(r.name)}</td><td>${esc(formatValue(r.value, r.unit))}</td><td>${r.direction === ">=" ? "≥" : "≤"} ${esc(formatValue(r.target, r.unit))}</td><td>${st}</td></tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pipeline success metrics ${esc(o.period)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:640px}table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left}.ok td:last-child{color:#2e7d32}.missed td:last-child{color:#c62828;font-weight:bold}.no-data td:last-child{color:#888}svg{font-size:10px;background:#fafafa}figure{margin:1.5em 0}</style>
</head><body>
<h1>Pipeline success metrics</h1><p>${esc(o.period)}</p>
<table><thead><tr><th>metric</th><th>value</th><th>target</th><th>status</th></tr></thead><tbody>
${rows}
</tbody></table>
${barChart("deploys per day", o.days, [
  { key: "deployed", color: "#2e7d32" },
  { key: "failed", color: "#ef6c00" },
  { key: "bad", color: "#c62828" },
])}
${durationChart(o.durations, o.threshold.target, o.threshold.alert)}
${barChart("failures and rollbacks per day", o.days, [
  { key: "failed", color: "#ef6c00" },
  { key: "bad", color: "#c62828" },
  { key: "rollbacks", color: "#6a1b9a" },
])}
</body></html>
`;
}
