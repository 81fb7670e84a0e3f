/** One word quoted for any POSIX shell (sh, dash, bash): plain as it is when it can be, else single-quoted. Pure. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}
