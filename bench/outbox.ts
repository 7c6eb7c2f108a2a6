// Notifications through the outbox (issue 32): how many per second 1 and 4 bot processes send on one PostgreSQL
// database (the real OutboxDelivery: claim, fence, send to the Telegram emulator with a 20 ms round trip, mark),
// and how long other chats wait while one chat is under Telegram's flood control: deferring that chat (now)
// against waiting out its 429 inside the delivery loop (before).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { notice, reply } from '../agents/reply.js';
import { DeliveryError, OutboxDelivery } from '../bot/core/delivery.js';
import { Notifications } from '../bot/core/notifications.js';
import { closeDatabase, openDatabase, tables } from '../db/connection.js';
import { TelegramEmulator } from '../test/support/emulators/telegram.js';
import { startPostgresServer } from '../test/support/postgres-server.js';
import { newStore } from '../test/support/stores.js';
import { writeOutbox } from '../wallet/outbox.js';
import { heading, summarizeLatencies } from './harness.js';
import { sendToEmulator } from './outbox-send.js';

const CHATS = 200;

async function throughput(processes: number, tg: TelegramEmulator, server: string): Promise<void> {
  const store = await newStore('postgres', server);
  const db = await openDatabase(store.url);
  const total = 2000;
  const platform = `bench-${processes}`;
  const workers = Array.from({ length: processes }, () =>
    spawn(process.execPath, ['--import', 'tsx', 'bench/outbox-worker.ts', store.url, tg.apiRoot, platform], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const outputs = workers.map((w) => createInterface({ input: w.stdout })[Symbol.asyncIterator]());
  for (const lines of outputs) await lines.next(); // "ready": started, delivering, nothing to send yet
  const before = tg.sent().length;
  const started = performance.now();
  // Written in one statement, so the clock measures delivery rather than the writing.
  await db.insert(tables(db).outbox).values(
    Array.from({ length: total }, (_, i) => ({
      dedupeKey: `t${processes}-${i}`,
      platform,
      recipient: String(700_000 + (i % CHATS)),
      kind: 'note',
      payload: { text: `t${processes}-${i}` },
    })),
  );
  for (const w of workers) w.stdin.write('go\n');
  while (tg.sent().length - before < total) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  const sent = (await Promise.all(outputs.map(async (lines) => Number((await lines.next()).value)))).reduce(
    (a, b) => a + b,
    0,
  );
  const received = tg.sent().length - before;
  console.log(
    `${`${processes} process(es), ${total} to ${CHATS} chats`.padEnd(44)} ${Math.round(total / seconds).toLocaleString('en-US')} notifications/s (sent ${sent}, received ${received}, each once: ${sent === total && received === total})`,
  );
  await closeDatabase(db);
  await store.drop();
}

/** Other chats' delay (written -> received by Telegram) while one chat is limited for 5 s. */
async function othersWhileOneLimited(
  mode: 'defer' | 'wait in loop',
  tg: TelegramEmulator,
  server: string,
): Promise<void> {
  const store = await newStore('postgres', server);
  const db = await openDatabase(store.url);
  const platform = `limited-${mode.replaceAll(' ', '-')}`;
  const limited = 799_999;
  tg.rateLimitChat(limited, 5);
  const written = new Map<string, number>();
  const delays: number[] = [];
  const delivery = new OutboxDelivery(
    db,
    platform,
    new Notifications({ note: (row) => reply('private', notice('info', String(row.payload.text))) }),
    async (row, rendered) => {
      for (;;) {
        const outcome = await sendToEmulator(tg.apiRoot, row.recipient, rendered);
        if (outcome.retryAfterMs === undefined) break;
        if (mode === 'defer') throw new DeliveryError('Too Many Requests', false, outcome.retryAfterMs);
        await new Promise((r) => setTimeout(r, outcome.retryAfterMs)); // as the loop did before issue 32
      }
      if (Number(row.recipient) !== limited) delays.push(performance.now() - written.get(row.dedupeKey)!);
    },
    pino({ level: 'silent' }),
    { pollMs: 100, chatsAtOnce: mode === 'defer' ? undefined : 1 },
  );
  delivery.start();
  for (let i = 0; i < 200; i++) {
    const key = `${platform}-${i}`;
    written.set(key, performance.now());
    await writeOutbox(db, {
      dedupeKey: key,
      platform,
      recipient: String(i % 10 === 0 ? limited : 710_000 + i),
      kind: 'note',
      payload: { text: key },
    });
    await new Promise((r) => setTimeout(r, 10));
  }
  while (delays.length < 180) await new Promise((r) => setTimeout(r, 50));
  await delivery.stop();
  summarizeLatencies(`${mode}: other chats while one waits 5 s`, delays);
  await closeDatabase(db);
  await store.drop();
}

export async function run(): Promise<void> {
  const server = await startPostgresServer();
  const tg = new TelegramEmulator();
  await tg.start();
  tg.latencyMs = 20; // a Bot API round trip
  for (let id = 700_000; id < 720_000; id++) tg.started.add(id);
  tg.started.add(799_999);
  try {
    heading('notifications through the outbox to Telegram (20 ms round trip), PostgreSQL');
    for (const n of [1, 4]) await throughput(n, tg, server.url);
    heading('one chat under flood control (429, 5 s): delay of the other chats, written -> received');
    await othersWhileOneLimited('wait in loop', tg, server.url);
    await othersWhileOneLimited('defer', tg, server.url);
  } finally {
    await tg.stop();
    await server.stop();
  }
}
