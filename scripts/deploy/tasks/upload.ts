import { $ } from "zx";
import { throwIfInterrupted } from "../interrupted";
import { RemoteError } from "../remote";
import { diskFull, type DeployContext } from "../context";

import { UPLOAD_EXCLUDES } from "../../../ci/src/plan/deploy/artifact";

export { UPLOAD_EXCLUDES };

/**
 * rsync the built release into releases/<id>, hard-linking unchanged files to the current release; count bytes sent.
 */
export async function upload(ctx: DeployContext): Promise<void> {
  const id = ctx.plan.releaseId;
  // --no-D: a release holds files, folders and links; no device node or FIFO is ever made on the server.
  const argv = ["rsync", "-a", "--no-D", "--delete", "--stats", ...UPLOAD_EXCLUDES.map((e) => `--exclude=${e}`)];
  if (ctx.state.previous) argv.push(`--link-dest=../${ctx.state.previous}`);
  if (ctx.remote.rsync.shell) argv.push("-e", ctx.remote.rsync.shell);
  argv.push(`${ctx.artifactDir.replace(/\/$/, "")}/`, ctx.remote.rsync.dest(`${ctx.base}/releases/${id}/`));
  const r = await $({ quiet: true, nothrow: true, signal: ctx.abort })`${argv}`;
  throwIfInterrupted(ctx.abort);
  if (r.exitCode !== 0) {
    throw new RemoteError(
      "upload",
      ctx.remote.where,
      { code: r.exitCode ?? 1, stdout: "", stderr: r.stderr },
      diskFull(ctx, r.stderr) ?? "nothing was switched; re-run the deploy",
    );
  }
  ctx.state.bytesSent = Number(/Total bytes sent: ([\d,.]+)/.exec(r.stdout)?.[1].replace(/[,.]/g, "") ?? NaN);
  ctx.log(
    `upload: ${ctx.state.bytesSent} bytes sent${ctx.state.previous ? ` (unchanged files linked to ${ctx.state.previous})` : ""}`,
  );
}
