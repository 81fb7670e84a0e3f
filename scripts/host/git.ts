import { $ } from "zx";
import type { Git } from "../../ci/src/plan/triggers/diffBase";

/** Run git in a host directory for diffBase.ts; never prompts for credentials, never throws on exit codes. */
export function gitPort(cwd: string): Git {
  return async (args) => {
    const r = await $({
      cwd,
      quiet: true,
      nothrow: true,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
    })`git ${args}`;
    return { code: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
  };
}
