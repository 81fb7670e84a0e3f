import { healthDelays } from "../../../ci/src/deployPlan";
import { sh, type DeployContext } from "../context";

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

/** Args for waiting on a starting instance: polls every 0.2 s for as long as the health policy's whole backoff. */
export function startupProbeArgs(ctx: DeployContext): string[] {
  const budget = healthDelays(ctx.plan.health).reduce((a, b) => a + b, 0);
  const n = Math.max(1, Math.ceil(budget / 0.2));
  return [String(n), String(n), Array(n).fill("0.2").join(",")];
}

/** Restart the app instances pair by pair (frontend-i ‖ backend-i), each pair healthy before the next: nginx keeps serving from the other pair. */
export async function reload(ctx: DeployContext): Promise<void> {
  const s = ctx.server!;
  for (let i = 0; i < Math.max(s.frontendPorts.length, s.backendPorts.length); i++) {
    const urls = [`http://127.0.0.1:${s.frontendPorts[i]}/`, `http://127.0.0.1:${s.backendPorts[i]}/api/v1/health`];
    await sh(
      ctx,
      "reload",
      `${s.pm2} startOrRestart "$BASE/current/ecosystem.config.cjs" --only "frontend-${i},backend-${i}" --update-env >/dev/null\n${PROBE}`,
      [...startupProbeArgs(ctx), ...urls],
      undefined,
      `instance pair ${i} of the new release did not turn healthy; its log: PM2_HOME=${s.pm2Home} ${s.pm2} logs backend-${i} --lines 50`,
    );
  }
  ctx.log("reload: every instance restarted on current and healthy");
}
