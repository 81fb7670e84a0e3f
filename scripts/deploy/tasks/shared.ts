import { isAppSecretName } from "../../../ci/src/plan/deploy/request";
import { sh, type DeployContext } from "../context";

/**
 * Write each app secret byte for byte to shared/env/NAME (mode 600, via stdin), and link shared/env into the release.
 */
export async function shared(ctx: DeployContext): Promise<void> {
  for (const [name, value] of Object.entries(ctx.secrets)) {
    if (!isAppSecretName(name)) throw new Error(`secret name "${name}" is not an env var name (A-Z, 0-9, _)`);
    await sh(
      ctx,
      "shared",
      'mkdir -p shared/env && chmod 700 shared/env && umask 077 && cat > "shared/env/.$1.tmp" && mv -f "shared/env/.$1.tmp" "shared/env/$1"',
      [name],
      value,
    );
  }
  await sh(ctx, "shared", 'mkdir -p shared/env && ln -sfn ../../shared/env "releases/$1/env"', [ctx.plan.releaseId]);
}
