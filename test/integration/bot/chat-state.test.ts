// The chat state any bot process may need for the next message, on SQLite and PostgreSQL, read and written
// through three handles as three processes would: rate-limit buckets, conversation memory, short ids (Telegram
// buttons and deep links) and the Telegram inbox.
import fc from 'fast-check';
import pino from 'pino';
import type { Update } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../../db/connection.js';
import { ConversationMemory } from '../../../bot/core/memory.js';
import { RateLimiter } from '../../../bot/core/rate-limit.js';
import { ShortIds } from '../../../bot/core/short-ids.js';
import { purgeChatState } from '../../../bot/core/chat-state.js';
import { TelegramInbox } from '../../../bot/telegram/inbox.js';
import { STORES, newStore, type TestStore } from '../../support/stores.js';
import { countRows, rows } from '../../support/db.js';
import { waitFor } from '../../support/wait.js';

const silent = pino({ level: 'silent' });
/** Update ids of the generated runs, apart from each other's and the other tests'. */
let nextUpdateId = 1_000;

describe.each(STORES)('on %s', (dialect) => {
  let store: TestStore;
  let handles: [Db, Db, Db];
  beforeAll(async () => {
    store = await newStore(dialect);
    handles = [await openDatabase(store.url), await openDatabase(store.url), await openDatabase(store.url)];
  });
  afterAll(async () => {
    for (const db of handles) await closeDatabase(db);
    await store.drop();
  });

  it('one rate-limit bucket per person across processes: a burst of 30 at once lets exactly 5 through', async () => {
    let now = 1_000_000;
    const limiters = handles.map((db) => new RateLimiter(db, 5, 60, () => now));
    const taken = await Promise.all(
      Array.from({ length: 30 }, (_, i) => limiters[i % 3]!.take('telegram:burst')),
    );
    expect(taken.filter(Boolean)).toHaveLength(5);
    expect(await limiters[0]!.take('telegram:burst')).toBe(false);
    expect(await limiters[1]!.take('telegram:someone-else')).toBe(true); // buckets are per person
    now += 1000; // 60 a minute: one more after a second, and only one
    expect(await limiters[2]!.take('telegram:burst')).toBe(true);
    expect(await limiters[0]!.take('telegram:burst')).toBe(false);
    now -= 5000; // a process whose clock is behind refills nothing, and takes nothing that is not there
    expect(await limiters[1]!.take('telegram:burst')).toBe(false);
    now += 10 * 60_000; // idle until full: the bucket is forgotten, which means the same
    await limiters[0]!.purge();
    expect(await countRows(handles[0], 'rate_buckets', `key = 'telegram:burst'`)).toBe(0);
    expect(await limiters[0]!.take('telegram:burst')).toBe(true);
  });

  it('conversation memory: the last four turns, seen by every process, forgotten after their time', async () => {
    let now = 5_000_000;
    const [a, b] = handles.map((db) => new ConversationMemory(db, 4, 60_000, () => now));
    for (let i = 1; i <= 6; i++) {
      now += 10;
      await (i % 2 ? a! : b!).remember('discord:42', `question ${i}`, `answer ${i}`);
    }
    const history = await b!.history('discord:42');
    expect(history.map((m) => m.content)).toEqual([
      'question 3',
      'answer 3',
      'question 4',
      'answer 4',
      'question 5',
      'answer 5',
      'question 6',
      'answer 6',
    ]);
    expect(await countRows(handles[0], 'conversation_turns', `key = 'discord:42'`)).toBe(4);
    expect(await a!.history('discord:43')).toEqual([]);
    now += 61_000;
    expect(await a!.history('discord:42')).toEqual([]);
    await b!.purge();
    expect(await countRows(handles[0], 'conversation_turns')).toBe(0);
  });

  it('a short id made by one process resolves in another, is taken once, and expires', async () => {
    let now = 9_000_000;
    const [a, b, c] = handles.map(
      (db) => new ShortIds<{ userId: string }>(db, 'deep-link', 60_000, () => now),
    );
    const id = await a!.put({ userId: '7' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await b!.get(id)).toEqual({ userId: '7' });
    expect(await new ShortIds(handles[1], 'button', 60_000, () => now).get(id)).toBeUndefined(); // another kind
    const takes = await Promise.all([a!.take(id), b!.take(id), c!.take(id)]);
    expect(takes.filter(Boolean)).toEqual([{ userId: '7' }]);
    expect(await b!.get(id)).toBeUndefined();
    const later = await a!.put({ userId: '8' });
    now += 60_001;
    expect(await c!.get(later)).toBeUndefined();
    expect(await c!.take(later)).toBeUndefined();
    await purgeChatState(handles[0], now);
    expect(await countRows(handles[0], 'short_ids')).toBe(0);
  });

  it('telegram inbox: an update delivered to three workers is answered once; one left by a dead worker is answered by another', async () => {
    const answered: { update: number; by: number }[] = [];
    const inboxes = handles.map(
      (db, i) =>
        new TelegramInbox(
          db,
          `worker-${i}`,
          async (update) => {
            answered.push({ update: update.update_id, by: i });
          },
          silent,
          { leaseMs: 600, sweepMs: 100 },
        ),
    );
    const update = (id: number) =>
      ({ update_id: id, message: { text: `m${id}`, chat: { id: 10_000 + id } } }) as unknown as Update;
    for (let id = 1; id <= 50; id++) {
      const accepted = await Promise.all(inboxes.map((inbox) => inbox.accept(update(id))));
      expect(accepted.filter(Boolean)).toHaveLength(1);
    }
    inboxes.forEach((inbox) => inbox.start());
    try {
      await waitFor(() => answered.length >= 50, 10_000);
      await Promise.all(inboxes.map((inbox) => inbox.idle()));
      expect(answered.map((a) => a.update).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      expect(
        await rows(handles[0], `SELECT payload FROM telegram_updates WHERE payload IS NOT NULL`),
      ).toEqual([]);

      // A worker stores update 100, claims it and dies before answering it (its claim is never renewed).
      await inboxes[0]!.stop();
      expect(await inboxes[0]!.accept(update(100))).toBe(true);
      await rows(
        handles[0],
        `UPDATE telegram_updates SET claimed_by = 'dead', claimed_until = ${Date.now() + 600}, attempts = 1 WHERE update_id = 100`,
      );
      await waitFor(() => answered.some((a) => a.update === 100), 10_000);
      await Promise.all([inboxes[1]!.idle(), inboxes[2]!.idle()]);
      await new Promise((r) => setTimeout(r, 1000)); // a few more sweeps: nobody takes it again
      expect(answered.filter((a) => a.update === 100)).toHaveLength(1);
      expect(answered.find((a) => a.update === 100)!.by).not.toBe(0);
    } finally {
      for (const inbox of inboxes) await inbox.stop();
    }
  });

  it('telegram inbox: a worker stalled past its lease does not send its answer once another took the update over; alone, it still answers', async () => {
    const sent: string[] = [];
    let skew = 0; // worker A's clock: set back, its renewals leave its claims lapsed, as a frozen process's would
    let open: () => void = () => undefined;
    const gate = () => new Promise<void>((resolve) => (open = resolve));
    const inbox = (name: string, db: Db, wait: boolean, now?: () => number): TelegramInbox => {
      const self: TelegramInbox = new TelegramInbox(
        db,
        name,
        async (update) => {
          if (wait) await gate();
          await self.held(); // what the bot does right before each message it sends
          sent.push(`${name}:${update.update_id}`);
        },
        silent,
        { leaseMs: 600, sweepMs: 100, ...(now && { now }) },
      );
      return self;
    };
    /** Once `owner` holds update `id`, its clock falls behind long enough for a renewal to leave its lease lapsed. */
    const stallOnceClaimed = async (id: number, owner: string) => {
      const held = `SELECT 1 FROM telegram_updates WHERE update_id = ${id} AND claimed_by = '${owner}'`;
      await waitFor(async () => (await rows(handles[0], held)).length === 1, 5_000);
      skew = -60_000;
      await new Promise((r) => setTimeout(r, 700));
    };
    const chat = nextUpdateId * 10;
    const first = nextUpdateId++;
    const second = nextUpdateId++;
    const update = (id: number) =>
      ({ update_id: id, message: { text: `m${id}`, chat: { id: chat } } }) as unknown as Update;
    const a = inbox('stall-a', handles[0], true, () => Date.now() + skew);
    const b = inbox('stall-b', handles[1], false);
    try {
      expect(await a.accept(update(first))).toBe(true);
      a.start();
      await stallOnceClaimed(first, 'stall-a');
      b.start();
      expect(await b.accept(update(second))).toBe(true);
      b.wake();
      // B takes the first update over and answers both, in order.
      await waitFor(() => sent.length >= 2, 10_000);
      open(); // A wakes up and would answer the first update now
      await a.idle();
      await b.idle();
      await new Promise((r) => setTimeout(r, 300));
      expect(sent).toEqual([`stall-b:${first}`, `stall-b:${second}`]);
      expect(
        await rows(
          handles[0],
          `SELECT update_id FROM telegram_updates WHERE update_id IN (${first}, ${second}) AND done_at IS NULL`,
        ),
      ).toEqual([]);
    } finally {
      await a.stop();
      await b.stop();
    }
    // Alone: A stalls past its lease but nobody takes the update: on waking it still answers it, once.
    skew = 0;
    const lone = nextUpdateId++;
    const c = inbox('stall-c', handles[2], true, () => Date.now() + skew);
    try {
      expect(
        await c.accept({
          ...update(lone),
          message: { text: 'x', chat: { id: chat + 1 } },
        } as unknown as Update),
      ).toBe(true);
      c.start();
      await stallOnceClaimed(lone, 'stall-c');
      skew = 0;
      open();
      await c.idle();
      expect(sent.filter((s) => s.endsWith(`:${lone}`))).toEqual([`stall-c:${lone}`]);
    } finally {
      await c.stop();
    }
  });

  it('telegram inbox: each chat answered one update at a time in update_id order, whichever worker stored them (generated)', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Per update: its chat (of 6), the worker that receives it, and how long its answer takes.
        fc.array(fc.tuple(fc.nat(5), fc.nat(2), fc.nat(8)), { minLength: 10, maxLength: 40 }),
        async (plan) => {
          const base = nextUpdateId;
          nextUpdateId += plan.length;
          const handled: { chat: number; update: number }[] = [];
          const busy = new Set<number>();
          let overlapped = 0;
          const inboxes = handles.map(
            (db, i) =>
              new TelegramInbox(
                db,
                `ordered-${i}`,
                async (update) => {
                  const chat = (update as Update.MessageUpdate).message.chat.id;
                  if (busy.has(chat)) overlapped++;
                  busy.add(chat);
                  await new Promise((r) => setTimeout(r, plan[update.update_id - base]![2]));
                  busy.delete(chat);
                  handled.push({ chat, update: update.update_id });
                },
                silent,
                { leaseMs: 5_000, sweepMs: 200, atOnce: 4 },
              ),
          );
          inboxes.forEach((inbox) => inbox.start());
          try {
            // Telegram posts a chat's next update once the previous one was stored (answered 2xx).
            for (const [i, [chat, worker]] of plan.entries()) {
              const id = base + i;
              const u = { update_id: id, message: { text: `m${id}`, chat: { id: base * 10 + chat } } };
              expect(await inboxes[worker]!.accept(u as unknown as Update)).toBe(true);
              inboxes[worker]!.wake();
            }
            await waitFor(() => handled.length === plan.length, 20_000);
            await Promise.all(inboxes.map((inbox) => inbox.idle()));
          } finally {
            for (const inbox of inboxes) await inbox.stop();
          }
          expect(overlapped).toBe(0);
          expect(new Set(handled.map((h) => h.update)).size).toBe(plan.length);
          for (const chat of new Set(handled.map((h) => h.chat))) {
            const order = handled.filter((h) => h.chat === chat).map((h) => h.update);
            expect(order).toEqual([...order].sort((a, b) => a - b));
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});
