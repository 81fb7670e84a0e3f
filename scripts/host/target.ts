/**
 * Deploy settings for the host runner, from the environment, `.env` (dotenv) and, for staging,
 * the bundled staging server's deploy.env. Every missing or bad value fails here, before any side effect.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "dotenv";
import { DeployInputError, validateTarget, type DeployTarget } from "../../ci/src/plan/deploy/stage";
import { normalisePrivateKey } from "../../ci/src/plan/deploy/sshKey";
import { DEFAULT_STAGING_DIR } from "./staging/server";

const ROOT = resolve(import.meta.dirname, "../..");

/** A resolved target: where, how to log in, the app secrets, and temp files to delete afterwards. */
export interface TargetSettings {
  target: DeployTarget;
  keyFile: string;
  knownHostsFile: string;
  controlDir: string;
  publicUrl: string;
  secrets: Record<string, string>;
  dispose(): void;
}

/** process.env over .env over the staging server's deploy.env. */
export function deployEnv(name: string, env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const read = (f: string) => (existsSync(f) ? parse(readFileSync(f)) : {});
  const staging = name === "staging" ? read(join(env.STAGING_SERVER_DIR ?? DEFAULT_STAGING_DIR, "deploy.env")) : {};
  return { ...staging, ...read(join(ROOT, ".env")), ...env };
}

/** Read a target's settings; throws DeployInputError naming the variable and how to set it. */
export function resolveTarget(name: "staging" | "production", env: Record<string, string | undefined>): TargetSettings {
  const P = name.toUpperCase();
  const need = (key: string, what: string): string => {
    const v = env[`${P}_${key}`];
    if (v === undefined || v === "")
      throw new DeployInputError(
        `${P}_${key}`,
        `is not set (${what})`,
        `set it in the environment or in .env${name === "staging" ? ", or start the bundled one: npm run pipeline -- staging-server start" : ""}`,
      );
    return v;
  };
  const target = validateTarget({
    name,
    host: need("SSH_HOST", "the server"),
    port: Number(env[`${P}_SSH_PORT`] ?? "22"),
    user: need("SSH_USER", "the login"),
    basePath: need("DEPLOY_PATH", "DEPLOY_BASE on the server"),
  });
  const key =
    env[`${P}_SSH_KEY`] ??
    fileOf(need("SSH_KEY_FILE", `the SSH private key; or ${P}_SSH_KEY with the key itself`), `${P}_SSH_KEY_FILE`);
  const knownHosts =
    env[`${P}_KNOWN_HOSTS`] ??
    fileOf(need("KNOWN_HOSTS_FILE", `the server's pinned host key line; or ${P}_KNOWN_HOSTS`), `${P}_KNOWN_HOSTS_FILE`);
  const secrets = Object.fromEntries(
    Object.entries(env)
      .filter(([k, v]) => k.startsWith(`${P}_SECRET_`) && v !== undefined)
      .map(([k, v]) => [k.slice(`${P}_SECRET_`.length), v!]),
  );
  if (!secrets.DATABASE_URI) need("SECRET_DATABASE_URI", "the app's DATABASE_URI");
  const dir = mkdtempSync(join(tmpdir(), "deploy-ssh-"));
  chmodSync(dir, 0o700);
  // As CI secrets give it (no final newline, CRLF, trailing blanks), OpenSSH would say "error in libcrypto".
  writeFileSync(join(dir, "key"), normalisePrivateKey(key), { mode: 0o600 });
  writeFileSync(join(dir, "known_hosts"), `${knownHosts.trim()}\n`, { mode: 0o600 });
  const publicUrl = env[`${P}_PUBLIC_URL`] ?? `http://${target.host}`;
  return {
    target,
    keyFile: join(dir, "key"),
    knownHostsFile: join(dir, "known_hosts"),
    controlDir: dir,
    publicUrl,
    secrets,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function fileOf(path: string, key: string): string {
  if (!existsSync(path))
    throw new DeployInputError(key, `points at ${path}, which does not exist`, "give the path of an existing file");
  return readFileSync(path, "utf8");
}

/** Replace every secret's text (and each of its lines) in a message with ***. */
export function redact(text: string, secrets: string[]): string {
  const parts = secrets
    .flatMap((s) => [s, ...s.split("\n")])
    .filter((s) => s.trim().length >= 4)
    .sort((a, b) => b.length - a.length);
  return parts.reduce((t, s) => t.split(s).join("***"), text);
}
