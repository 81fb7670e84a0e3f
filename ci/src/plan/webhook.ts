/**
 * One webhook POST for both runners and every sender (E2E notifications, alerts): the same timeout, the same body
 * handling, and a failure named by the channel's position, never by its URL (the URL is the secret).
 */

/**
 * Slack's message text with `&`, `<` and `>` escaped, as Slack asks: unescaped, repository text (a test's name, a
 * force reason) could ping a channel (`<!channel>`) or show a link that hides its target (`<url|label>`).
 */
export function slackText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** Discord's `allowed_mentions` that pings no one: a message's `@everyone` or `<@id>` stays text. */
export const NO_MENTIONS = { parse: [] as string[] };

/** How long one POST may take: a channel that hangs must not hold a stage. */
export const WEBHOOK_TIMEOUT_SECONDS = 10;

/** Where the Dagger runner writes the JSON body in the curl container. */
export const WEBHOOK_PAYLOAD = "/tmp/payload.json";

/** The variable holding the webhook URL(s), one a line, as a secret the shell reads: never in argv. */
export const WEBHOOK_URL_VARIABLE = "WEBHOOK_URL";

/** A POST that did not go through: the channel's 1-based position in its secret, and why. */
export interface FailedPost {
  index: number;
  why: string;
}

/**
 * The argv that POSTs the payload to every URL in $WEBHOOK_URL (blank lines skipped) with curl, and prints
 * `<position> curl exit <code>` for each that failed; curl's own messages, which can quote the URL, are dropped.
 * A redirect is a failure (`-L --max-redirs 0`: curl exit 47), never followed: without `-L` curl would count a 3xx as
 * taken though the channel got nothing.
 */
export function webhookPostArgv(payload = WEBHOOK_PAYLOAD): string[] {
  const curl = `curl -fsS -L --max-redirs 0 -m ${WEBHOOK_TIMEOUT_SECONDS} -X POST -H "content-type: application/json" --data @${payload}`;
  const script = [
    "i=0",
    `printf '%s\\n' "$${WEBHOOK_URL_VARIABLE}" | while IFS= read -r url; do`,
    `  url=$(printf '%s' "$url" | tr -d ' \\t\\r'); [ -n "$url" ] || continue; i=$((i+1))`,
    `  ${curl} "$url" >/dev/null 2>&1 || echo "$i curl exit $?"`,
    "done",
  ].join("\n");
  return ["sh", "-c", script];
}

/** The failed posts that script printed. */
export function parseFailedPosts(stdout: string): FailedPost[] {
  return [...stdout.matchAll(/^(\d+) (curl exit \d+)$/gm)].map((m) => ({ index: Number(m[1]), why: m[2] }));
}
