import { parseServerInfo } from "../../ci/src/plan/deploy/serverInfo";
import { sh, type DeployContext } from "./context";

/**
 * Before the lock: reach the server over SSH and read shared/server.json. A missing or bad one is an input error, so
 * a deploy or rollback stops here with nothing changed, instead of holding a lock it cannot use.
 */
export async function checkServer(ctx: DeployContext): Promise<void> {
  const text = await sh(
    ctx,
    "check server",
    "cat shared/server.json 2>/dev/null || true",
    [],
    undefined,
    "nothing was changed on the server",
  );
  ctx.server = parseServerInfo(text, `${ctx.remote.where}:${ctx.base}`);
}
