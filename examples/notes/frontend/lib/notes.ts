export interface Note {
  title: string;
  tags: string[];
}

/** The tags used across notes, most used first, ties in alphabetical order. */
export function topTags(notes: Note[]): string[] {
  const counts = new Map<string, number>();
  for (const n of notes) for (const t of n.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
}
