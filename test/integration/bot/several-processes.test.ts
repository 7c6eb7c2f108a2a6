// Three bot processes (`npm start`) on one PostgreSQL database and one node: every notification is delivered
// by exactly one of them, one of them leads (tracker, governance tick), and when the leader is killed with
// SIGKILL another takes over within seconds and nothing is lost or sent twice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../db/connection.js';
import { leaseHolder } from '../../../db/leases.js';
import { startDevnet, type Devnet } from '../../../devnet/index.js';
import { writeOutbox } from '../../../wallet/outbox.js';
import { spawnBot, type BotProcess } from '../../support/bot-process.js';
import { newStore, type TestStore } from '../../support/stores.js';
import { waitFor } from '../../support/wait.js';

let devnet: Devnet;
let store: TestStore;
let db: Db;
beforeAll(async () => {
  devnet = await startDevnet({ blockMs: 500 });
  store = await newStore('postgres');
  db = await openDatabase(store.url);
});
afterAll(async () => {
  await closeDatabase(db);
  await store.drop();
  await devnet.stop();
});

/** Notifications each process printed, by dedupe key (the notice text carries it). */
function collect(bot: BotProcess, into: Map<string, number>): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const line = (await bot.next(200)) as { notification?: boolean; blocks?: unknown[] } | null;
      if (!line?.notification) continue;
      const key = /note-\d+/.exec(JSON.stringify(line.blocks))?.[0];
      if (key) into.set(key, (into.get(key) ?? 0) + 1);
    }
  })();
  return () => (stopped = true);
}

async function notify(from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++)
    await writeOutbox(db, {
      dedupeKey: `note-${i}`,
      platform: 'console',
      recipient: 'console',
      kind: 'proposal_notice',
      payload: { text: `note-${i}` },
    });
}

it('three processes: each notification once, one leader, and a new leader within seconds of a kill -9', async () => {
  const env = { DATABASE_URL: store.url, PACTUS_GRPC: devnet.endpoint, LOG_LEVEL: 'info' };
  const bots = [spawnBot(env), spawnBot(env), spawnBot(env)];
  const delivered = new Map<string, number>();
  const stops: (() => void)[] = [];
  try {
    for (const bot of bots) {
      bot.child.stdin.write('help\n');
      expect(JSON.stringify(await bot.line(60_000))).toMatch(/balance/i);
    }
    stops.push(...bots.map((bot) => collect(bot, delivered)));
    const holder = await waitFor(() => leaseHolder(db, 'leader', Date.now()), 15_000);
    const leader = bots.find((b) => holder.startsWith(`${b.child.pid}:`))!;
    expect(leader).toBeDefined();

    await notify(0, 300);
    await waitFor(() => delivered.size === 300, 30_000);

    const killedAt = Date.now();
    await leader.kill();
    const next = await waitFor(async () => {
      const now = await leaseHolder(db, 'leader', Date.now());
      return now && now !== holder ? now : null;
    }, 30_000);
    const takeoverMs = Date.now() - killedAt;
    expect(bots.some((b) => b !== leader && next.startsWith(`${b.child.pid}:`))).toBe(true);
    expect(takeoverMs).toBeLessThan(15_000); // the lease lasts 10 s without renewal

    await notify(300, 400);
    await waitFor(() => delivered.size === 400, 30_000);
    await new Promise((r) => setTimeout(r, 1500)); // anything sent twice would show up by now
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);
    expect(delivered.size).toBe(400);
  } finally {
    stops.forEach((stop) => stop());
    for (const bot of bots) await bot.kill();
  }
}, 120_000);

it('PostgreSQL without PACTUS_GRPC is refused at start-up: the embedded devnet is one process', async () => {
  const bot = spawnBot({ DATABASE_URL: store.url });
  expect(await bot.exited()).not.toBe(0);
  expect(bot.stderr()).toMatch(/Set PACTUS_GRPC to one node for all of them/);
});
