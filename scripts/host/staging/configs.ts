import { join } from "node:path";
import { WATCH_LOG_FORMAT } from "../../../ci/src/plan/deploy/watch";

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
