import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { closeDatabase, openDatabase, type Db, type Dialect } from '../../db/connection.js';
import { newStore } from './stores.js';
import { PactusNodeClient } from '../../chain/client.js';
import { startDevnet, type Devnet, type DevnetOptions } from '../../devnet/index.js';
import { createSignerServer } from '../../signer-web/server/server.js';
import { DEFAULT_LINK_TTL_MS, createWallet, ensureChatAccount, type Wallet } from '../../wallet/index.js';

export interface Stack {
  devnet: Devnet;
  client: PactusNodeClient;
  db: Db;
  /** What DATABASE_URL is for this stack (another process can open the same database). */
  databaseUrl: string;
  dir: string;
  wallet: Wallet;
  server: FastifyInstance;
  url: string;
  logger: Logger;
  /** Every log line written, to check that secrets never reach the logs. */
  logs: string[];
  /** A chat account for tests (console platform). */
  account(userId?: string): Promise<{ chatAccountId: number; platform: string; chatId: null }>;
  close(): Promise<void>;
}

export function captureLogger(logs: string[]): Logger {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  return pino({ level: 'debug' }, sink);
}

/** Devnet + database (a SQLite file in a temp dir, or a PostgreSQL database) + wallet services + signer server on 127.0.0.1:0. */
export async function startStack(
  options: {
    devnet?: DevnetOptions;
    linkTtlMs?: number;
    now?: () => number;
    devnetInstance?: Devnet;
    /** The store under the wallet (SQLite unless a test runs on both). */
    database?: Dialect;
    /** The PostgreSQL server to make the database on, outside vitest (benchmarks). */
    postgresServer?: string;
  } = {},
): Promise<Stack> {
  const devnet =
    options.devnetInstance ?? (await startDevnet({ blockMs: 200, unbondInterval: 3, ...options.devnet }));
  const client = new PactusNodeClient({ endpoints: [devnet.endpoint], deadlineMs: 2000 });
  const dir = mkdtempSync(join(tmpdir(), 'pactus-bot-'));
  const store = options.database === 'postgres' ? await newStore('postgres', options.postgresServer) : null;
  const databaseUrl = store?.url ?? join(dir, 'bot.db');
  const db = await openDatabase(databaseUrl);
  const logs: string[] = [];
  const logger = captureLogger(logs);
  const config = {
    network: 'testnet' as const,
    publicUrl: 'http://127.0.0.1:0',
    linkTtlMs: options.linkTtlMs ?? DEFAULT_LINK_TTL_MS,
    blockIntervalMs: 200,
    unbondInterval: devnet.chain.unbondInterval,
    now: options.now ?? Date.now,
  };
  const wallet = createWallet({ db, node: client, config, logger, trackerPollMs: 100 });
  const server = await createSignerServer({ signing: wallet.signing, logger });
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  config.publicUrl = address;
  wallet.tracker.start();
  return {
    devnet,
    client,
    db,
    databaseUrl,
    dir,
    wallet,
    server,
    url: address,
    logger,
    logs,
    async account(userId = 'tester') {
      return {
        chatAccountId: await ensureChatAccount(db, { platform: 'console', userId }),
        platform: 'console',
        chatId: null,
      };
    },
    async close() {
      await wallet.tracker.stop();
      await server.close();
      client.close();
      await closeDatabase(db);
      await store?.drop();
      if (!options.devnetInstance) await devnet.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The token at the end of a signing URL. */
export function tokenOf(url: string): string {
  return url.split('/s/')[1]!;
}
