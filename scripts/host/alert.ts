/**
 * `alert --event KIND --text TEXT`: send one pipeline event to its severity's webhooks (docs/requirements.md#R-alerts),
 * for the stages and workflows that raise events outside a deploy (e2e-failed, coverage-drop).
 * A channel that is down is a warning; the command still exits 0.
 */
import { SEVERITY_OF, type AlertKind } from "../../ci/src/plan/deploy/alerts";
import { InputError } from "../../ci/src/plan/errors";
import { alertSender } from "../deploy/alerts";
import { deployEnv } from "./target";

/** An event name the routing does not know. */
export class AlertInputError extends InputError {}

/** Send the event; the webhook values come from the environment or `.env`. */
export async function alertCommand(f: Record<string, unknown>): Promise<number> {
  const kind = f.event as string | undefined;
  if (!kind || !(kind in SEVERITY_OF))
    throw new AlertInputError(
      `--event "${kind ?? ""}" is not a pipeline event; use one of: ${Object.keys(SEVERITY_OF).join(", ")}`,
    );
  const text = (f.text as string | undefined) ?? "";
  if (!text.trim())
    throw new AlertInputError(`--text is empty; say what happened, e.g. --text "E2E failed on abc1234"`);
  await alertSender(deployEnv("alerts"), (l) => console.log(`[alert] ${l}`))({ kind: kind as AlertKind, text });
  return 0;
}
