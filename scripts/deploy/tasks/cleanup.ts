import { passedHealth, unaccounted } from "../../../ci/src/plan/deploy/releaseLog";
import { chooseCleanup, chooseRollbackTarget } from "../../../ci/src/plan/deploy/stage";
import { readReleaseState, sh, type DeployContext } from "../context";

/**
 * Delete release dirs beyond the newest `keep` that passed health; never current, the rollback target or a release a
 * slot still runs (a BAD one may still finish requests there, unrouted).
 */
export async function cleanup(ctx: DeployContext): Promise<void> {
  const st = await readReleaseState(ctx);
  const target = chooseRollbackTarget(st.log, st.existing, st.current);
  const protect = [st.current, target, ...(ctx.state.slots?.releases ?? [])];
  // Releases the log cannot account for (it was lost) are neither counted nor removed.
  const lost = unaccounted(st.existing, st.log, st.recorded);
  const ours = st.existing.filter((id) => !lost.has(id));
  const remove = chooseCleanup(ours, ctx.plan.keep, protect, passedHealth(st.log), st.log);
  if (remove.length) await sh(ctx, "cleanup", 'for id in "$@"; do rm -rf -- "releases/$id"; done', remove);
  ctx.log(`cleanup: ${remove.length} removed, ${st.existing.length - remove.length} kept (keep ${ctx.plan.keep} good)`);
}
