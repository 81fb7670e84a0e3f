/**
 * The one redaction every runner's output goes through (deploy logs, alerts, E2E notifications): a secret is
 * removed whole, in its plain, trimmed, per-line and URL-encoded forms, the longest form first so a secret that
 * holds a shorter one is never half-shown.
 */

/** Remove every secret (and its URL-encoded forms, and each of its lines) from a text. */
export function redactAll(text: string, secrets: string[]): string {
  const forms = new Set<string>();
  for (const s of secrets) {
    for (const part of [s, ...s.split(/\r?\n/)].map((x) => x.trim()).filter((x) => x.length >= 4)) {
      for (const f of [part, encodeURI(part), encodeURIComponent(part)]) forms.add(f);
    }
  }
  let out = text;
  for (const f of [...forms].sort((a, b) => b.length - a.length)) out = out.split(f).join("***");
  return out;
}
