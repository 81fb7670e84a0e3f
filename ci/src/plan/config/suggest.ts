/** "Did you mean": the option a mistyped word is closest to, within two edits. */

/** ` (did you mean \`x\`?)` for the first option within two edits of `word`, else "". */
export function suggest(word: string, options: readonly string[]): string {
  const close = options.find((o) => distance(o.toLowerCase(), word.toLowerCase()) <= 2);
  return close ? ` (did you mean \`${close}\`?)` : "";
}

/** Levenshtein distance; words whose lengths differ by more than two are not compared, so a huge key stays cheap. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}
