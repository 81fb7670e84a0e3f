const COLORS = [36, 35, 33, 32, 34, 31];

/** A line-buffered writer that prefixes each line with `[job]`, so parallel output stays readable. */
export function prefixedWriter(
  job: string,
  index: number,
  out: NodeJS.WritableStream = process.stdout,
): { write(chunk: string): void; flush(): void } {
  const tag = (out as { isTTY?: boolean }).isTTY
    ? `\x1b[${COLORS[index % COLORS.length]}m[${job}]\x1b[0m `
    : `[${job}] `;
  let pending = "";
  return {
    write(chunk: string) {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const l of lines) out.write(`${tag}${l}\n`);
    },
    flush() {
      if (pending) out.write(`${tag}${pending}\n`);
      pending = "";
    },
  };
}
