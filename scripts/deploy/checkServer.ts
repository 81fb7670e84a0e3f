import { InputError } from "../../ci/src/plan/errors";
import {
  LAYOUT_SCRIPT,
  layoutProblem,
  parseLayout,
  parseServerInfo,
  SERVER_INFO_SCRIPT,
} from "../../ci/src/plan/deploy/serverInfo";
import { shStoppable, type DeployContext } from "./context";

const SEPARATOR = "@@layout@@";

/**
 * Before the lock: reach the server over SSH, read shared/server.json and check the base's layout (`current` a link,
 * `releases` a folder). A missing or bad one is an input error, so a deploy or rollback stops here with nothing
 * changed, instead of holding a lock it cannot use or failing at the switch after the upload and the migration.
 */
export async function checkServer(ctx: DeployContext): Promise<void> {
  // It only reads: a signal stops it at once (a host that never answers would hold it for ConnectTimeout).
  const out = await shStoppable(
    ctx,
    "check server",
    `${SERVER_INFO_SCRIPT}; printf '\\n%s\\n' ${SEPARATOR}; ${LAYOUT_SCRIPT}`,
    [],
    "nothing was changed on the server",
  );
  const at = out.lastIndexOf(`\n${SEPARATOR}\n`);
  const [text, layout] = at < 0 ? [out, ""] : [out.slice(0, at), out.slice(at + SEPARATOR.length + 2)];
  ctx.server = parseServerInfo(text, `${ctx.remote.where}:${ctx.base}`);
  const bad = layoutProblem(parseLayout(layout), ctx.base);
  if (bad)
    throw new InputError(
      `${ctx.remote.where}:${ctx.base}: ${bad.problem} (edited by hand?); nothing was changed on the server. Fix: look at what it holds, move it aside with ${ctx.remote.typed(bad.fix)}, then run the deploy or rollback again`,
    );
}
