// A real nginx (Debian's package; .ci/run installs it) as the load balancer in front of bot processes: it runs in
// the foreground from a config written to a temp dir and listens on 127.0.0.1 only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { waitFor } from './wait.js';

export const NGINX = '/usr/sbin/nginx';

export interface Nginx {
  port: number;
  /** nginx's error log (a dead upstream shows here). */
  errors(): string;
  stop(): Promise<void>;
}

/**
 * nginx balancing `location` over the upstream ports, the way README "Running at scale" configures it for
 * Telegram webhook workers (without TLS, which a test has no certificate for).
 */
export async function startNginx(location: string, upstreamPorts: number[]): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'pactus-nginx-'));
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const port = await freePort();
  const servers = upstreamPorts
    .map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`)
    .join('\n');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream telegram_workers {
${servers}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    location = /nginx-ready { return 204; }
    location ${location} {
      proxy_pass http://telegram_workers;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_connect_timeout 2s;
      proxy_next_upstream error timeout http_502 http_503;
    }
  }
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const errors = () => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8') + stderr;
    } catch {
      return stderr;
    }
  };
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${errors()}`);
    return fetch(`http://127.0.0.1:${port}/nginx-ready`).then(
      (r) => r.status === 204,
      () => false,
    );
  }, 10_000);
  return {
    port,
    errors,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
