// One bot process per database holds Discord's gateway (bot/discord/gateway-lease.ts), on SQLite and PostgreSQL
// through separate handles as separate processes would: a second start beside a live holder is refused with the
// holder named; one after a holder that died (no renewal) takes over once the lease runs out; a holder that froze
// past its lease and finds another holding it lets go.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../bot/config.js';
import { holdGatewayLease } from '../../../bot/discord/gateway-lease.js';
import type { Db } from '../../../db/connection.js';
import { holdLease, leaseRow } from '../../../db/leases.js';
import { STORES, sharedDatabase } from '../../support/stores.js';
import { waitFor } from '../../support/wait.js';

const silent = pino({ level: 'silent' });
const TTL = 900;

describe.each(STORES)('on %s', (dialect) => {
  let shared: Awaited<ReturnType<typeof sharedDatabase>>;
  let a: Db;
  let b: Db;
  beforeAll(async () => {
    shared = await sharedDatabase(dialect, 2);
    [a, b] = shared.handles as [Db, Db];
  });
  afterAll(() => shared.close());

  it('refused beside a live holder (named), taken over after a dead one, and let go when another took it', async () => {
    const first = await holdGatewayLease(a, silent, () => undefined, TTL);
    // A second start while the first keeps renewing: refused, naming the first.
    const refused = await holdGatewayLease(b, silent, () => undefined, TTL).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toContain(first.holder);
    expect((refused as Error).message).toMatch(/Stop it first: two would answer everything twice/);
    await first.release();

    // A holder that died (kill -9: the lease is left, never renewed): the next start waits it out and takes over.
    expect(await holdLease(a, 'discord-gateway', 'dead/pid 1/x', Date.now(), TTL)).toBe(true);
    const next = await holdGatewayLease(b, silent, () => undefined, TTL);
    expect((await leaseRow(b, 'discord-gateway'))?.holder).toBe(next.holder);

    // It froze past its lease and another took over: at its next renewal it lets go (and says who holds it).
    let lostTo: string | null | undefined;
    await next.release();
    const frozen = await holdGatewayLease(a, silent, (holder) => (lostTo = holder), TTL);
    expect(await holdLease(b, 'discord-gateway', 'thief/pid 2/y', Date.now() + 10 * TTL, TTL)).toBe(true);
    await waitFor(() => lostTo !== undefined, 5_000);
    expect(lostTo).toBe('thief/pid 2/y');
    await frozen.release();
    expect((await leaseRow(a, 'discord-gateway'))?.holder).toBe('thief/pid 2/y'); // its release took nothing
  });
});
