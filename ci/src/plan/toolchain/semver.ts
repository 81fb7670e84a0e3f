/**
 * The part of node-semver's range grammar that `engines.node`, `.nvmrc` and `.node-version` use: `||`, space-joined
 * comparators, `^`, `~`, x-ranges (`22`, `22.x`, `*`), hyphen ranges (`20 - 22`) and a leading `v`. Kept here, not as
 * a dependency, because the Dagger module's own dependencies stay few; prereleases are not matched.
 */

/** A release version as three numbers. */
export type Version = [number, number, number];

/** `v24.1.0`, `24.1.0` → [24, 1, 0]; undefined for anything else (prereleases included). */
export function parseVersion(text: string): Version | undefined {
  const m = /^\s*v?(\d+)\.(\d+)\.(\d+)\s*$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

type Comparator = { op: "<" | "<=" | ">" | ">=" | "="; v: Version };

/** A partial version: missing or `x`/`*` parts are undefined. */
function partial(text: string): (number | undefined)[] | undefined {
  const m = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/.exec(text);
  if (!m) return undefined;
  const parts = [m[1], m[2], m[3]].map((p) => (p === undefined || /^[xX*]$/.test(p) ? undefined : Number(p)));
  // After the first wildcard every later part is a wildcard too (`22.x.5` means `22.x`).
  const first = parts.indexOf(undefined);
  return first < 0 ? parts : parts.map((p, i) => (i >= first ? undefined : p));
}

/** The smallest version above every version a partial matches ([22, undefined] → 23.0.0). */
function above(p: (number | undefined)[]): Version {
  if (p[1] === undefined) return [(p[0] ?? 0) + 1, 0, 0];
  if (p[2] === undefined) return [p[0] ?? 0, p[1] + 1, 0];
  return [p[0] ?? 0, p[1], p[2] + 1];
}

function floor(p: (number | undefined)[]): Version {
  return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
}

/** One comparator word (`>=22`, `^22.1`, `~22.1.0`, `22.x`) as the plain comparators it means. */
function expand(word: string): Comparator[] | undefined {
  const m = /^(\^|~>?|>=|<=|>|<|=)?\s*(.+)$/.exec(word);
  const p = m && partial(m[2]);
  if (!m || !p) return undefined;
  const op = m[1] ?? "";
  if (p[0] === undefined) return op === "<" || op === ">" ? [{ op: "<", v: [0, 0, 0] }] : [];
  const lo = floor(p);
  if (op === "^") {
    const caret = lo[0] > 0 ? [lo[0] + 1, 0, 0] : lo[1] > 0 || p[2] === undefined ? above([0, p[1]]) : above(p);
    return [
      { op: ">=", v: lo },
      { op: "<", v: caret as Version },
    ];
  }
  if (op.startsWith("~"))
    return [
      { op: ">=", v: lo },
      { op: "<", v: above([p[0], p[1] ?? undefined]) },
    ];
  if (op === ">=" || op === "<") return [{ op, v: lo }];
  if (op === ">") return [{ op: ">=", v: p.includes(undefined) ? above(p) : above([p[0], p[1], p[2]]) }];
  if (op === "<=") return [p.includes(undefined) ? { op: "<", v: above(p) } : { op: "<=", v: lo }];
  return p.includes(undefined)
    ? [
        { op: ">=", v: lo },
        { op: "<", v: above(p) },
      ]
    : [{ op: "=", v: lo }];
}

/** The range as alternatives of comparator sets; undefined when it is not a range this grammar knows. */
export function parseRange(range: string): Comparator[][] | undefined {
  const sets: Comparator[][] = [];
  for (const alt of range.trim().split("||")) {
    const text = alt.trim().replace(/(\^|~>?|>=|<=|>|<|=)\s+/g, "$1");
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    const words = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : text.split(/\s+/).filter(Boolean);
    const set: Comparator[] = [];
    for (const w of words.length ? words : ["*"]) {
      const c = expand(w);
      if (!c) return undefined;
      set.push(...c);
    }
    sets.push(set);
  }
  return sets;
}

function holds(c: Comparator, v: Version): boolean {
  const d = compare(v, c.v);
  return { "<": d < 0, "<=": d <= 0, ">": d > 0, ">=": d >= 0, "=": d === 0 }[c.op];
}

/** Whether `version` (e.g. "24.1.0" or "v20.20.2") is in `range`; false for an unknown range. */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  const sets = parseRange(range);
  return Boolean(v && sets?.some((set) => set.every((c) => holds(c, v))));
}

/** The highest of `versions` in `range`, or undefined. */
export function maxSatisfying(versions: string[], range: string): string | undefined {
  const ok = versions.filter((v) => satisfies(v, range));
  return ok.sort((a, b) => compare(parseVersion(b) as Version, parseVersion(a) as Version))[0];
}

/** Whether some release of `major` is in `range`: some comparator set leaves part of [major.0.0, major+1.0.0) open. */
export function allowsMajor(range: string, major: number): boolean {
  return (parseRange(range) ?? []).some((set) => {
    let lo: Version = [major, 0, 0];
    let hi: Version = [major + 1, 0, 0];
    for (const { op, v } of set) {
      const next: Version = [v[0], v[1], v[2] + 1];
      if ((op === ">=" || op === "=") && compare(v, lo) > 0) lo = v;
      if (op === ">" && compare(next, lo) > 0) lo = next;
      if (op === "<" && compare(v, hi) < 0) hi = v;
      if ((op === "<=" || op === "=") && compare(next, hi) < 0) hi = next;
    }
    return compare(lo, hi) < 0;
  });
}
