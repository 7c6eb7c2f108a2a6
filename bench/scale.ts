// Past one machine: the rules-path conversation on SQLite and on PostgreSQL (one process, 100 concurrent users),
// notification delivery by 1, 2 and 3 processes sharing one PostgreSQL database against 1 on SQLite, and the same
// for Telegram webhook workers behind nginx.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { closeDatabase, openDatabase, type Dialect } from '../db/connection.js';
import { writeOutbox } from '../wallet/outbox.js';
import { conversationFor, dm } from '../test/support/app.js';
import { startPostgresServer } from '../test/support/postgres-server.js';
import { startStack } from '../test/support/stack.js';
import { newStore } from '../test/support/stores.js';
import { devnetAccount } from '../test/support/txs.js';
import { linkBenchUsers } from './conversation.js';
import { heading, summarizeLatencies } from './harness.js';
import { webhookWorkers } from './scale-webhook.js';
import { startDevnet } from '../devnet/index.js';

async function conversationOn(dialect: Dialect, postgresServer: string): Promise<void> {
  const s = await startStack({ devnet: { blockMs: 1000 }, database: dialect, postgresServer });
  const { conversation } = conversationFor(s);
  const t = (k: { address: { toString(n: 'testnet'): string } }) => k.address.toString('testnet');
  const to = t(devnetAccount(s.devnet, 'ed25519-account', 1));
  const messages = ["what's my balance", `send 1.5 PAC to ${to} memo bench`, 'help', `balance of ${to}`];
  await linkBenchUsers(s, 100);
  for (let i = 0; i < 40; i++) await conversation.handle(dm(messages[i % messages.length]!, 'u0'));
  const total = 2000;
  let sent = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 100 }, async (_, u) => {
      while (sent < total) {
        const i = sent++;
        const begun = performance.now();
        await conversation.handle(dm(messages[i % messages.length]!, `u${u}`));
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const rate = total / ((performance.now() - started) / 1000);
  summarizeLatencies(`${dialect}: 100 users at once, per message`, latencies);
  console.log(
    `${`${dialect}: throughput`.padEnd(44)} ${Math.round(rate).toLocaleString('en-US')} messages/s`,
  );
  await s.close();
}

async function deliveryBy(processes: number, dialect: Dialect, postgresServer: string): Promise<void> {
  const store = await newStore(dialect, postgresServer);
  const db = await openDatabase(store.url);
  const rows = 3000;
  for (let i = 0; i < rows; i++)
    await writeOutbox(db, {
      dedupeKey: `b${i}`,
      platform: 'bench',
      recipient: 'r',
      kind: 'k',
      payload: { i },
    });
  const started = performance.now();
  const counts = await Promise.all(
    Array.from({ length: processes }, (_, p) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/scale-worker.ts', store.url, `w${p}`]),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const delivered = counts.reduce((n, c) => n + Number(c.stdout.trim()), 0);
  if (delivered !== rows) throw new Error(`delivered ${delivered} of ${rows}`);
  console.log(
    `${`${dialect}, ${processes} process(es): ${rows} notifications`.padEnd(44)} ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s (each exactly once; includes process start)`,
  );
  await closeDatabase(db);
  await store.drop();
}

export async function run(): Promise<void> {
  const server = await startPostgresServer();
  try {
    heading('conversation, rules path, one process: SQLite vs PostgreSQL');
    await conversationOn('sqlite', server.url);
    await conversationOn('postgres', server.url);
    heading('notification delivery (claim + mark sent) by several processes on one database');
    await deliveryBy(1, 'sqlite', server.url);
    for (const n of [1, 2, 3]) await deliveryBy(n, 'postgres', server.url);
    heading('Telegram webhook workers (npm start processes) behind nginx, 200 people x 5 messages at once');
    const devnet = await startDevnet({ blockMs: 1000 });
    try {
      await webhookWorkers(1, 'sqlite', devnet, server.url);
      for (const n of [1, 2, 3]) await webhookWorkers(n, 'postgres', devnet, server.url);
    } finally {
      await devnet.stop();
    }
  } finally {
    await server.stop();
  }
}
