import { join } from "node:path";
import { WATCH_LOG_FORMAT } from "../../../ci/src/plan/deploy/watch";
import { shellQuote } from "../../deploy/remote";

/**
 * sshd listening on loopback only, keys only, its own host key and authorized_keys, and a home of its own
 * (`<dir>/home`) for every session.
 */
export function sshdConf(dir: string, port: number, env: NodeJS.ProcessEnv = {}): string {
  const ssh = join(dir, "ssh");
  // The server shares this machine's trust store: behind an egress proxy with its own CA, uv on the
  // "server" needs the same SSL_CERT_FILE the host's uv uses, and sshd sessions start with a bare env.
  const certs = ["SSL_CERT_FILE", "SSL_CERT_DIR"].filter((k) => env[k]).map((k) => `${k}=${env[k]}`);
  // It stands for another machine but runs as this user: in the user's home, its deploys would read what repository
  // commands confined on this runner may write there (a ~/.curlrc for the health probes, uv's cache and managed
  // Pythons for \`uv sync\`). Its own home is in its folder, which the sandbox keeps read-only (under .pipeline).
  const home = `HOME=${join(dir, "home")}`;
  return [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${ssh}/host_key`,
    `PidFile ${ssh}/sshd.pid`,
    `AuthorizedKeysFile ${ssh}/authorized_keys`,
    "PermitRootLogin prohibit-password",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    "StrictModes no",
    "MaxStartups 50:30:100",
    "MaxSessions 50",
    `SetEnv ${[home, ...certs].join(" ")}`,
    "",
  ].join("\n");
}

/**
 * nginx in front of the app's blue/green slots. The upstreams live in an include the deploy
 * rewrites (ci/src/plan/deploy/slots.ts upstreamsConf) before a graceful `nginx -s reload`; every
 * response carries X-Release, the release that served it. The access log (status, $request_time,
 * release) is what the deploy's watch window reads (ci/src/plan/deploy/watch.ts).
 */
export function nginxConf(dir: string, publicPort: number): string {
  const ngx = join(dir, "nginx");
  const proxy = (name: string) =>
    `proxy_pass http://${name}; proxy_next_upstream error timeout http_502 http_504; proxy_next_upstream_tries 6; proxy_connect_timeout 2s; proxy_set_header Host $host;`;
  return `user root;
worker_processes 1;
pid ${ngx}/nginx.pid;
error_log ${ngx}/error.log warn;
events { worker_connections 1024; }
http {
  log_format deploy_watch '${WATCH_LOG_FORMAT}';
  access_log ${ngx}/access.log deploy_watch;
  client_body_temp_path ${ngx}/tmp/body; proxy_temp_path ${ngx}/tmp/proxy; fastcgi_temp_path ${ngx}/tmp/fcgi; uwsgi_temp_path ${ngx}/tmp/uwsgi; scgi_temp_path ${ngx}/tmp/scgi;
  include ${ngx}/upstreams.conf;
  server {
    listen 127.0.0.1:${publicPort};
    add_header X-Release $deploy_release always;
    location /api/ { ${proxy("backend")} }
    location / { ${proxy("frontend")} }
  }
}
`;
}

/**
 * Where the confined PM2 daemon's bwrap pid is kept, the lock its start takes and the log its output goes to: in the
 * server's folder, which the app cannot write, never in PM2_HOME, which it can (a link it left there would be followed
 * by the wrapper, which runs outside the sandbox).
 */
export function pm2DaemonFiles(dir: string): { pidFile: string; lockFile: string; logFile: string } {
  return {
    pidFile: join(dir, "pm2-daemon.pid"),
    lockFile: join(dir, "pm2-daemon.lock"),
    logFile: join(dir, "pm2-daemon.log"),
  };
}

/**
 * The bundled staging server's `pm2` (shared/server.json "pm2", which every deploy task runs): its PM2 daemon is
 * started confined by `flags` (scripts/host/sandbox.ts stagingAppFlags), once, detached, with only the allow-listed
 * environment, so every app a deploy starts runs in the daemon's PID namespace and mount view; and each `pm2` command
 * (`pm2 start` evaluates the release's ecosystem file, repository code) runs confined too, ended with its caller. A
 * real server has its own `pm2` in server.json: nothing of this runs there. What runs here outside the sandbox opens,
 * reads and runs nothing in PM2_HOME, which the daemon and its apps write: it only removes the sockets and tests that
 * they are there.
 */
export function pm2Wrapper(o: {
  dir: string;
  pm2Home: string;
  flags: string[];
  node: string;
  pm2: string;
  daemon: string;
  repositoryEnv: string;
}): string {
  const { pidFile, lockFile, logFile } = pm2DaemonFiles(o.dir);
  return `#!/usr/bin/env bash
# The bundled staging server's pm2: written by scripts/host/staging/server.ts (configs.ts pm2Wrapper).
set -euo pipefail
export PM2_HOME=${shellQuote(o.pm2Home)}
confine=(${o.flags.map(shellQuote).join(" ")})
${o.repositoryEnv}
alive() { local p; p=$(cat ${shellQuote(pidFile)} 2>/dev/null) && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = bwrap ]; }
# Every bwrap of this server's daemon: the one the pid file names and the init of its namespace, and those of a daemon
# that was killed (its bwrap gone, its namespace's init left with the apps that outlived it).
daemons() {
  local f a x
  for f in /proc/[0-9]*/cmdline; do
    [ "$(cat "\${f%cmdline}comm" 2>/dev/null)" = bwrap ] || continue
    mapfile -d '' a < "$f" 2>/dev/null || continue
    [ \${#a[@]} -gt 0 ] && [ "\${a[-1]}" = ${shellQuote(o.daemon)} ] || continue
    for x in "\${a[@]}"; do [ "$x" = "$PM2_HOME" ] && { f=\${f#/proc/}; echo "\${f%/cmdline}"; break; }; done
  done
  return 0
}
if ! alive; then
  exec 9>${shellQuote(lockFile)}
  flock 9
  if ! alive; then
    # A killed daemon's namespace still runs the apps that outlived it (a Python app keeps its port, and answers the
    # health checks of the release started on it next): ended with its init before a new daemon starts.
    for p in $(daemons); do kill -KILL "$p" 2>/dev/null || true; done
    rm -f "$PM2_HOME/rpc.sock" "$PM2_HOME/pub.sock"
    rm -f ${shellQuote(pidFile)}
    # bwrap's own pid in the pid file (the shell that writes it becomes bwrap), in a session of its own, in / so that
    # bwrap (which stays outside its namespace) holds no folder of the server's busy, a test's tmpfs DEPLOY_BASE too.
    repository_env PM2_HOME="$PM2_HOME" setsid bash -c 'echo $$ > "$0"; cd /; exec "$@"' ${shellQuote(pidFile)} \
      "\${confine[@]}" --chdir / -- ${shellQuote(o.node)} ${shellQuote(o.daemon)} </dev/null >>${shellQuote(logFile)} 2>&1 9>&- &
    for ((i = 0; i < 400; i++)); do [ -S "$PM2_HOME/rpc.sock" ] && [ -S "$PM2_HOME/pub.sock" ] && break; kill -0 $! 2>/dev/null || break; sleep 0.025; done
    [ -S "$PM2_HOME/rpc.sock" ] || { echo "the staging server's confined PM2 daemon did not start; see "${shellQuote(logFile)} >&2; exit 1; }
  fi
  exec 9>&-
fi
rc=0
"\${confine[@]}" --die-with-parent --chdir "$PWD" -- ${shellQuote(o.node)} ${shellQuote(o.pm2)} "$@" || rc=$?
# PM2 ends an app's process tree; what an app double-forked is the namespace's init's child, not the daemon's, and would
# outlive its slot (taking the slot's ports, answering the next release's health checks). The init's only child that
# should be there is the daemon (pid 2 in the init's own namespace): once a command that ends apps has, every other is
# killed. The init's children are read from the kernel's list of them, with no program run between reading and killing
# (a process that forks itself anew and ends the old one must not have moved on by then), and read again until only
# the daemon is left.
kids() {
  local f=/proc/$1/task/$1/children s p; KIDS=()
  if [ -e "$f" ]; then read -r -a KIDS < "$f" 2>/dev/null || true; return 0; fi
  for f in /proc/[0-9]*/stat; do
    { read -r s < "$f"; } 2>/dev/null || continue; read -r _ p _ <<< "\${s##*) }"
    [ "$p" = "$1" ] && { f=\${f#/proc/}; KIDS+=("\${f%/stat}"); }
  done
  return 0
}
nspid() { local k v; NSPID=(); { while read -r k v; do [ "$k" = NSpid: ] && { read -r -a NSPID <<< "$v"; break; }; done < "/proc/$1/status"; } 2>/dev/null || true; }
bw=$(cat ${shellQuote(pidFile)} 2>/dev/null || true)
case "\${1-}" in delete | del | stop | restart | reload | kill) ;; *) bw="" ;; esac
if [ -n "$bw" ] && [ "$(cat "/proc/$bw/comm" 2>/dev/null)" = bwrap ]; then
  kids "$bw"
  for init in "\${KIDS[@]}"; do
    nspid "$init"; level=\${#NSPID[@]}; daemon=""
    kids "$init"
    for c in "\${KIDS[@]}"; do nspid "$c"; [ "\${#NSPID[@]}" = "$level" ] && [ "\${NSPID[*]: -1}" = 2 ] && daemon=$c; done
    for ((i = 0; i < 2000; i++)); do
      left=0
      kids "$init"
      for c in "\${KIDS[@]}"; do [ "$c" = "$daemon" ] || { kill -KILL "$c" 2>/dev/null || true; left=1; }; done
      [ "$left" = 0 ] && break
      [ "$i" -lt 100 ] || sleep 0.01
    done
    if [ "$left" != 0 ]; then
      echo "an app's process outside PM2 could not be ended; restart the bundled staging server (staging-server stop, then start)" >&2
      [ "$rc" != 0 ] || rc=1
    fi
  done
fi
exit "$rc"
`;
}

/**
 * The bundled staging server's `confine` (shared/server.json "confine"): the prefix the deploy's install (`uv sync`,
 * which may build the project) and deploy.migrate put before their command, inside `repository_env`. It runs the
 * command under bubblewrap with `flags` (scripts/host/sandbox.ts stagingRepositoryFlags), ended with its caller, in
 * the folder it was called in, which must lie in a release under `releases`: that release stays writable (its
 * backend/.venv, what a migration writes beside it), the rest of the server's folder read-only. A real server has
 * no "confine" in server.json: the commands run as they did.
 */
export function confineWrapper(o: { releases: string; flags: string[] }): string {
  return `#!/usr/bin/env bash
# The bundled staging server's confine: written by scripts/host/staging/server.ts (configs.ts confineWrapper).
set -euo pipefail
releases=${shellQuote(o.releases)}
here=$(pwd -P)
rel=\${here#"$releases/"}
id=\${rel%%/*}
if [ "$rel" = "$here" ] || [ -z "$id" ] || [ "$id" = . ] || [ "$id" = .. ]; then
  echo "confine: $here is not in a release under $releases" >&2
  exit 2
fi
exec ${o.flags.map(shellQuote).join(" ")} --bind "$releases/$id" "$releases/$id" --die-with-parent --chdir "$here" -- "$@"
`;
}
