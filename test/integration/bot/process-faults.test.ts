// Faults between bot processes sharing one database, on SQLite and PostgreSQL, through separate handles as
// separate processes would: a process stalled past its outbox claim mid-batch (another takes over; the stalled one
// sends none of the rows it lost, at any point of the batch); one chat rate-limited (it waits alone, in order); and
// the Discord gateway lease (a second start beside a live holder is refused with the holder named; one after a
// holder that died takes over once the lease runs out; a holder that froze past its lease and finds another
// holding it lets go).
import fc from 'fast-check';
import pino from 'pino';
import { ConfigError } from '../../../bot/config.js';
import { holdGatewayLease } from '../../../bot/discord/gateway-lease.js';
import { holdLease, leaseRow } from '../../../db/leases.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notice, reply } from '../../../agents/reply.js';
import { CHATS_AT_ONCE, DeliveryError, OutboxDelivery, type Deliver } from '../../../bot/core/delivery.js';
import { Notifications } from '../../../bot/core/notifications.js';
import type { Db } from '../../../db/connection.js';
import { writeOutbox, type OutboxRow } from '../../../wallet/outbox.js';
import { STORES, sharedDatabase } from '../../support/stores.js';
import { rows } from '../../support/db.js';
import { waitFor } from '../../support/wait.js';

const silent = pino({ level: 'silent' });
const LEASE_TTL = 900;
const notifications = new Notifications({
  note: (row) => reply('private', notice('info', String(row.payload.text))),
});
let batch = 0;

async function write(db: Db, platform: string, chats: number[]): Promise<string[]> {
  const keys: string[] = [];
  batch++;
  for (const [i, chat] of chats.entries()) {
    const key = `b${batch}-n${i}`;
    keys.push(key);
    await writeOutbox(db, {
      dedupeKey: key,
      platform,
      recipient: String(chat),
      kind: 'note',
      payload: { text: key },
    });
  }
  return keys;
}

describe.each(STORES)('on %s', (dialect) => {
  let shared: Awaited<ReturnType<typeof sharedDatabase>>;
  let a: Db;
  let b: Db;
  beforeAll(async () => {
    shared = await sharedDatabase(dialect, 2);
    [a, b] = shared.handles as [Db, Db];
  });
  afterAll(() => shared.close());

  it('a process that stalls past its claim mid-batch sends none of the rows another took over (generated stall points)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 11 }), async (size, at) => {
        const stallAt = at % size;
        const platform = `stall-${batch + 1}`;
        const sent: { key: string; by: string }[] = [];
        /** What A had begun to send (on the wire) when it was frozen, and what it began after. */
        const onTheWire: string[] = [];
        const afterThaw: string[] = [];
        let thawed = false;
        let release!: () => void;
        const stalled = new Promise<void>((resolve) => (release = resolve));
        const deliver =
          (by: string): Deliver =>
          async (row: OutboxRow) => {
            // A freezes (with its claim renewal: it is not started) once it has sent `stallAt` rows, holding the
            // claims of the rest of its batch; the sends it has begun by then are on the wire.
            if (by === 'A') {
              (thawed ? afterThaw : onTheWire).push(row.dedupeKey);
              if (sent.filter((s) => s.by === 'A').length >= stallAt) await stalled;
            }
            sent.push({ key: row.dedupeKey, by });
          };
        const first = new OutboxDelivery(a, platform, notifications, deliver('A'), silent, {
          claimMs: 300,
          pollMs: 50,
        });
        const second = new OutboxDelivery(b, platform, notifications, deliver('B'), silent, {
          claimMs: 300,
          pollMs: 50,
        });
        const keys = await write(
          a,
          platform,
          Array.from({ length: size }, (_, i) => 700 + i),
        );
        const flushed = first.flush(); // A claims the whole batch and stalls at row `stallAt`
        await waitFor(
          async () =>
            (await rows(a, `SELECT id FROM outbox WHERE platform = '${platform}' AND claimed_by IS NOT NULL`))
              .length === size,
          5_000,
        );
        second.start();
        // B takes over once A's claims run out (A renews only the row it is sending).
        await waitFor(
          () => sent.filter((s) => s.by === 'B').length >= size - Math.min(size, stallAt + CHATS_AT_ONCE),
          10_000,
        );
        await new Promise((r) => setTimeout(r, 400)); // and whatever else of A's it could take
        thawed = true;
        release();
        await flushed;
        await second.stop();
        await first.stop();
        const counts = new Map<string, number>();
        for (const s of sent) counts.set(s.key, (counts.get(s.key) ?? 0) + 1);
        expect([...counts.keys()].sort()).toEqual([...keys].sort());
        // Only what A had on the wire when it froze can go twice (a few chats at once); after the thaw its fence
        // finds the claims taken over and it begins no send at all.
        const twice = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
        expect(twice.filter((k) => !onTheWire.includes(k))).toEqual([]);
        expect(twice.length).toBeLessThanOrEqual(CHATS_AT_ONCE);
        expect(afterThaw).toEqual([]);
      }),
      { numRuns: 4 },
    );
  });

  it('one chat rate-limited (429 retry_after): the others are delivered meanwhile, that chat after the wait and in order', async () => {
    const platform = `limited-${batch + 1}`;
    const limited = 9001;
    let limitedUntil = Date.now() + 1_500;
    const sent: { chat: number; key: string; at: number }[] = [];
    let refusals = 0;
    const deliver: Deliver = async (row) => {
      const chat = Number(row.recipient);
      if (chat === limited && Date.now() < limitedUntil) {
        refusals++;
        throw new DeliveryError('Too Many Requests: retry after 1', false, limitedUntil - Date.now());
      }
      sent.push({ chat, key: row.dedupeKey, at: Date.now() });
    };
    const delivery = new OutboxDelivery(a, platform, notifications, deliver, silent, { pollMs: 50 });
    // Interleaved: the limited chat's rows come first, as a serial loop would have been stuck behind them.
    const chats = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? limited : 9100 + i));
    const keys = await write(a, platform, chats);
    delivery.start();
    try {
      await waitFor(() => sent.length === chats.length, 10_000);
    } finally {
      await delivery.stop();
    }
    const firstLimited = sent.findIndex((s) => s.chat === limited);
    // Every other chat got its notification before the limited chat's first one went out...
    expect(sent.slice(0, firstLimited).every((s) => s.chat !== limited)).toBe(true);
    expect(firstLimited).toBe(chats.filter((c) => c !== limited).length);
    // ...which waited for the limit, in the order written, each once; the platform was asked once, not hammered.
    expect(sent.filter((s) => s.chat === limited).map((s) => s.key)).toEqual(
      keys.filter((_, i) => chats[i] === limited),
    );
    expect(new Set(sent.map((s) => s.key)).size).toBe(chats.length);
    expect(refusals).toBe(1);
    limitedUntil = 0;
  });

  it('the Discord gateway lease: refused beside a live holder (named), taken over after a dead one, let go when another took it', async () => {
    const first = await holdGatewayLease(a, silent, () => undefined, LEASE_TTL);
    // A second start while the first keeps renewing: refused, naming the first.
    const refused = await holdGatewayLease(b, silent, () => undefined, LEASE_TTL).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toContain(first.holder);
    expect((refused as Error).message).toMatch(/Stop it first: two would answer everything twice/);
    await first.release();

    // A holder that died (kill -9: the lease is left, never renewed): the next start waits it out and takes over.
    expect(await holdLease(a, 'discord-gateway', 'dead/pid 1/x', Date.now(), LEASE_TTL)).toBe(true);
    const next = await holdGatewayLease(b, silent, () => undefined, LEASE_TTL);
    expect((await leaseRow(b, 'discord-gateway'))?.holder).toBe(next.holder);

    // It froze past its lease and another took over: at its next renewal it lets go (and says who holds it).
    let lostTo: string | null | undefined;
    await next.release();
    const frozen = await holdGatewayLease(a, silent, (holder) => (lostTo = holder), LEASE_TTL);
    expect(
      await holdLease(b, 'discord-gateway', 'thief/pid 2/y', Date.now() + 10 * LEASE_TTL, LEASE_TTL),
    ).toBe(true);
    await waitFor(() => lostTo !== undefined, 5_000);
    expect(lostTo).toBe('thief/pid 2/y');
    await frozen.release();
    expect((await leaseRow(a, 'discord-gateway'))?.holder).toBe('thief/pid 2/y'); // its release took nothing
  });
});
