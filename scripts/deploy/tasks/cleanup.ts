import { chooseCleanup, chooseRollbackTarget } from "../../../ci/src/plan/deploy/stage";
import { readReleaseState, sh, type DeployContext } from "../context";

/** Delete old release dirs beyond `keep`, never current, the previous good release or the rollback target. */
export async function cleanup(ctx: DeployContext): Promise<void> {
  const st = await readReleaseState(ctx);
  const target = chooseRollbackTarget(st.log, st.existing, st.current);
  const remove = chooseCleanup(st.existing, ctx.plan.keep, [st.current, target, ctx.state.previous]);
  if (remove.length) await sh(ctx, "cleanup", 'for id in "$@"; do rm -rf -- "releases/$id"; done', remove);
  ctx.log(`cleanup: ${remove.length} removed, ${st.existing.length - remove.length} kept (keep ${ctx.plan.keep})`);
}
