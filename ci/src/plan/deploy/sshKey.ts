/**
 * SSH private keys as CI secrets give them: often without the trailing newline, sometimes with CRLF line ends or
 * trailing blanks, all of which OpenSSH refuses ("error in libcrypto"). Normalised before ssh reads the key, never in
 * argv and never in a cached layer: the host runner writes the normalised text to its 0700 temp dir, a container
 * normalises the mounted secret into a tmpfs inside the same exec as ssh. Pure.
 */

/** The tmpfs (withMountedTemp) a container normalises the key into; gone when the exec ends. */
export const SSH_KEY_TMPFS = "/run/ssh-key";
/** The normalised key ssh reads (`-i`) in a container. */
export const NORMALISED_KEY = `${SSH_KEY_TMPFS}/id`;

/** The key text as OpenSSH reads it: LF line ends, no trailing blanks on a line, one final newline. */
export function normalisePrivateKey(text: string): string {
  const lines = text.split(/\r?\n|\r/).map((l) => l.trimEnd());
  while (lines.length && lines.at(-1) === "") lines.pop();
  return `${lines.join("\n")}\n`;
}

/**
 * Run `argv` after normalising the mounted key at `given` into NORMALISED_KEY (0600), in one exec: the shell reads the
 * file, so the key is never in argv, and the tmpfs keeps it out of the layer. awk strips CRs and trailing blanks and
 * ends every line with a newline, as normalisePrivateKey does.
 */
export function withNormalisedKey(given: string, argv: string[]): string[] {
  const script = `umask 077 && awk '{ sub(/[ \\t\\r]+$/, ""); print }' "$1" > ${NORMALISED_KEY} && shift && exec "$@"`;
  return ["sh", "-c", script, "sh", given, ...argv];
}

/**
 * A pasted key that ssh would only call unusable ("error in libcrypto") or get refused with at the server: a file's
 * path instead of the key's text, or two keys one after the other (ssh reads the first). The fix says which variable
 * takes a path. undefined when the text is one key or something else for ssh-keygen to judge. Pure.
 */
export function pastedKeyProblem(text: string, pathVariable: string): { problem: string; fix: string } | undefined {
  const keys = text.match(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/g)?.length ?? 0;
  if (keys > 1)
    return { problem: `holds ${keys} private keys`, fix: "give the deploy key's alone, one BEGIN … END block" };
  const t = text.trim();
  if (keys === 0 && !/\s/.test(t) && /^(~|\.{0,2}\/)/.test(t))
    return { problem: "holds a file's path, not the key's text", fix: `set ${pathVariable} to the path instead` };
  return undefined;
}
