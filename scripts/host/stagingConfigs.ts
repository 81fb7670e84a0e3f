import { join } from "node:path";

/** sshd listening on loopback only, keys only, its own host key and authorized_keys. */
export function sshdConf(dir: string, port: number): string {
  const ssh = join(dir, "ssh");
  return [
    `Port ${port}`, "ListenAddress 127.0.0.1", `HostKey ${ssh}/host_key`, `PidFile ${ssh}/sshd.pid`, `AuthorizedKeysFile ${ssh}/authorized_keys`,
    "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no", "MaxStartups 50:30:100", "MaxSessions 50", "",
  ].join("\n");
}

/**
 * nginx in front of two instances each of frontend and backend. A request to an instance that is
 * restarting (connection refused or reset) is retried on the other one, so a rolling restart drops nothing.
 */
export function nginxConf(dir: string, publicPort: number, fe: number[], be: number[]): string {
  const ngx = join(dir, "nginx");
  const upstream = (name: string, ports: number[]) => `  upstream ${name} {\n${ports.map((p) => `    server 127.0.0.1:${p} max_fails=0;`).join("\n")}\n  }`;
  const proxy = (name: string) =>
    `proxy_pass http://${name}; proxy_next_upstream error timeout http_502 http_504; proxy_next_upstream_tries 6; proxy_connect_timeout 2s; proxy_set_header Host $host;`;
  return `user root;
worker_processes 1;
pid ${ngx}/nginx.pid;
error_log ${ngx}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${ngx}/tmp/body; proxy_temp_path ${ngx}/tmp/proxy; fastcgi_temp_path ${ngx}/tmp/fcgi; uwsgi_temp_path ${ngx}/tmp/uwsgi; scgi_temp_path ${ngx}/tmp/scgi;
${upstream("frontend", fe)}
${upstream("backend", be)}
  server {
    listen 127.0.0.1:${publicPort};
    location /api/ { ${proxy("backend")} }
    location / { ${proxy("frontend")} }
  }
}
`;
}
