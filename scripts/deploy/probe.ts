import { healthDelays } from "../../ci/src/plan/deploy/stage";
import type { DeployContext } from "./context";

/** The bash probe loop: every URL must answer 200; `$2` consecutive failed rounds or `$1` rounds in all give up. */
export const PROBE = `attempts=$1; maxfail=$2; IFS=, read -ra delays <<< "$3"; shift 3
fails=0; last=""
for ((i=0; i<attempts; i++)); do
  ok=1
  for u in "$@"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$u" || true)
    if [ "$code" != 200 ]; then ok=0; last="$u answered \${code/000/no connection}"; fi
  done
  if [ $ok = 1 ]; then exit 0; fi
  fails=$((fails+1))
  if [ $fails -ge $maxfail ]; then echo "unhealthy: $fails consecutive failed checks, last: $last" >&2; exit 7; fi
  if [ $i -lt $((attempts-1)) ]; then sleep "\${delays[$i]}"; fi
done
echo "unhealthy after $attempts checks, last: $last" >&2; exit 7`;

/** Args for PROBE: attempts, failures allowed in a row, backoff delays. */
export function probeArgs(ctx: DeployContext, maxFail: number): string[] {
  const h = ctx.plan.health;
  return [String(h.attempts), String(maxFail), healthDelays(h).join(",") || "0"];
}

/** A cold Next.js or uvicorn start on a busy 2-core server takes seconds; never wait less than this for one. */
export const MIN_STARTUP_SECONDS = 20;

/**
 * Args for waiting on a starting instance: polls every 0.2 s for the health policy's whole backoff, and at least
 * MIN_STARTUP_SECONDS.
 */
export function startupProbeArgs(ctx: DeployContext): string[] {
  const budget = Math.max(
    MIN_STARTUP_SECONDS,
    healthDelays(ctx.plan.health).reduce((a, b) => a + b, 0),
  );
  const n = Math.max(1, Math.ceil(budget / 0.2));
  return [String(n), String(n), Array(n).fill("0.2").join(",")];
}

/** Args for one quick check (is a warm instance still answering?). */
export const ONCE = ["1", "1", "0"];

/** The health URLs of a set of ports: frontend root and backend /api/v1/health. */
export function healthUrls(ports: { frontendPorts: number[]; backendPorts: number[] }): string[] {
  return [
    ...ports.frontendPorts.map((p) => `http://127.0.0.1:${p}/`),
    ...ports.backendPorts.map((p) => `http://127.0.0.1:${p}/api/v1/health`),
  ];
}
