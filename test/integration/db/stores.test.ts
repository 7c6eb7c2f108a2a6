// What several bot processes rely on, on SQLite and PostgreSQL: the two schema definitions are one schema, an
// outbox row is claimed by one process, and one process at a time holds the leader lease.
import { getTableConfig as pgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { closeDatabase, openDatabase, tables, type Db } from '../../../db/connection.js';
import { holdLease, leaseHolder, releaseLease } from '../../../db/leases.js';
import * as schema from '../../../db/schema.js';
import * as pgSchema from '../../../db/schema-pg.js';
import { claimOutbox, markOutboxSent, withdrawOutbox, writeOutbox } from '../../../wallet/outbox.js';
import { rows } from '../../support/db.js';
import { STORES, newStore, type TestStore } from '../../support/stores.js';

describe('schema.ts and schema-pg.ts', () => {
  const shape = (config: {
    name: string;
    columns: { name: string; notNull: boolean; primary: boolean; hasDefault: boolean; isUnique: boolean }[];
    indexes: { config: { name: string; unique: boolean; columns: unknown[] } }[];
    primaryKeys: { columns: { name: string }[] }[];
    foreignKeys: { reference(): { columns: { name: string }[]; foreignTable: unknown } }[];
  }) => ({
    name: config.name,
    columns: config.columns
      .map(
        (c) =>
          `${c.name}${c.notNull ? ' not null' : ''}${c.primary ? ' primary' : ''}${c.hasDefault ? ' default' : ''}${c.isUnique ? ' unique' : ''}`,
      )
      .sort(),
    indexes: config.indexes.map((i) => `${i.config.name}${i.config.unique ? ' unique' : ''}`).sort(),
    primaryKeys: config.primaryKeys.map((k) => k.columns.map((c) => c.name).join(',')),
    foreignKeys: config.foreignKeys
      .map((f) =>
        f
          .reference()
          .columns.map((c) => c.name)
          .join(','),
      )
      .sort(),
  });

  it('define the same tables, columns, keys and indexes', () => {
    const names = Object.keys(schema).filter(
      (k) => typeof (schema as Record<string, unknown>)[k] === 'object',
    );
    const tables = names.filter((k) => k in pgSchema);
    expect(tables.length).toBeGreaterThanOrEqual(14);
    expect(Object.keys(pgSchema).sort()).toEqual(tables.sort());
    for (const name of tables) {
      const lite = shape(sqliteTable((schema as never)[name]) as never);
      const pg = shape(pgTable((pgSchema as never)[name]) as never);
      // Identity columns are "generated" in PostgreSQL and "autoincrement" in SQLite, and any INTEGER PRIMARY KEY
      // is SQLite's rowid (which drizzle reports as having a default): only the key itself is compared.
      const withoutIdDefault = (s: ReturnType<typeof shape>) => ({
        ...s,
        columns: s.columns.map((c) => c.replace(/ not null primary default$/, ' not null primary')),
      });
      expect(withoutIdDefault(pg), name).toEqual(withoutIdDefault(lite));
    }
  });
});

describe.each(STORES)('on %s', (dialect) => {
  let store: TestStore;
  /** Three handles, as three bot processes would have (each its own connection or pool). */
  let handles: Db[];
  beforeAll(async () => {
    store = await newStore(dialect);
    handles = [];
    for (let i = 0; i < 3; i++) handles.push(await openDatabase(store.url));
  });
  afterAll(async () => {
    for (const db of handles) await closeDatabase(db);
    await store.drop();
  });

  it('600 outbox rows claimed by three processes at once: each row by exactly one, and a lapsed claim is taken over', async () => {
    const [a] = handles as [Db];
    for (let i = 0; i < 600; i++)
      await writeOutbox(a, {
        dedupeKey: `claim-${i}`,
        platform: 'console',
        recipient: 'r',
        kind: 'k',
        payload: { i },
      });
    const now = Date.now();
    const seen = new Map<number, string>();
    await Promise.all(
      handles.map(async (db, p) => {
        for (;;) {
          const rows = await claimOutbox(db, 'console', `process-${p}`, now, { limit: 25 });
          if (!rows.length) return;
          for (const row of rows) {
            expect(seen.has(row.id), `row ${row.id} claimed twice`).toBe(false);
            seen.set(row.id, `process-${p}`);
          }
        }
      }),
    );
    expect(seen.size).toBe(600);
    expect(new Set(seen.values()).size).toBe(3); // all three took part
    // Nothing left to claim while the claims last; once they lapse, the rows are claimable again.
    expect(await claimOutbox(handles[1]!, 'console', 'late', now + 1000)).toEqual([]);
    const retaken = await claimOutbox(handles[1]!, 'console', 'late', now + 61_000, { limit: 1000 });
    expect(retaken).toHaveLength(600);
    for (const row of retaken) await markOutboxSent(handles[1]!, row.id, now);
    expect(await claimOutbox(handles[2]!, 'console', 'later', now + 200_000)).toEqual([]);
  });

  it('a withdrawn note goes only while nobody delivers it: unsent and unclaimed or lapsed rows go, claimed and sent stay; racing a claim, each row is claimed or withdrawn, never both', async () => {
    const [a, b] = handles as [Db, Db];
    const now = Date.now();
    const states = ['unclaimed', 'claimed', 'lapsed', 'sent'] as const;
    const key = (i: number) => `withdraw-${i}`;
    for (let i = 0; i < 40; i++)
      await writeOutbox(a, {
        dedupeKey: key(i),
        platform: 'withdraw',
        recipient: 'r',
        kind: 'k',
        payload: { i },
      });
    const rowsNow = await rows<{ id: number; dedupe_key: string }>(
      a,
      "SELECT id, dedupe_key FROM outbox WHERE platform = 'withdraw'",
    );
    const idOf = new Map(rowsNow.map((r) => [r.dedupe_key, Number(r.id)]));
    const state = (i: number) => states[(i * 7 + 3) % 4]!;
    for (let i = 0; i < 40; i++) {
      const id = idOf.get(key(i))!;
      if (state(i) !== 'unclaimed')
        await a
          .update(tables(a).outbox)
          .set({ claimedBy: 'p', claimedUntil: state(i) === 'lapsed' ? now - 1 : now + 60_000 })
          .where(eq(tables(a).outbox.id, id));
      if (state(i) === 'sent') await markOutboxSent(a, id, now);
    }
    for (let i = 0; i < 40; i++) await withdrawOutbox(b, key(i), now);
    const left = new Set(
      (
        await rows<{ dedupe_key: string }>(a, "SELECT dedupe_key FROM outbox WHERE platform = 'withdraw'")
      ).map((r) => r.dedupe_key),
    );
    for (let i = 0; i < 40; i++)
      expect(left.has(key(i)), `${state(i)} row`).toBe(state(i) === 'claimed' || state(i) === 'sent');

    // A delivery pass claiming while the notes are withdrawn: whatever it claimed is still there, the rest is gone.
    for (let i = 0; i < 60; i++)
      await writeOutbox(a, {
        dedupeKey: `race-${i}`,
        platform: 'race',
        recipient: 'r',
        kind: 'k',
        payload: { i },
      });
    const [claimed] = await Promise.all([
      claimOutbox(a, 'race', 'deliverer', now, { limit: 30 }),
      (async () => {
        for (let i = 59; i >= 0; i--) await withdrawOutbox(b, `race-${i}`, now);
      })(),
    ]);
    const remaining = await rows<{ id: number }>(b, "SELECT id FROM outbox WHERE platform = 'race'");
    expect(new Set(remaining.map((r) => Number(r.id)))).toEqual(new Set(claimed.map((r) => r.id)));
  });

  it('one holder of the leader lease at a time; it is taken over when it lapses, or at once when released', async () => {
    const now = Date.now();
    const tries = await Promise.all(handles.map((db, i) => holdLease(db, 'leader-test', `p${i}`, now, 1000)));
    expect(tries.filter(Boolean)).toHaveLength(1);
    const holder = `p${tries.indexOf(true)}`;
    const other = holder === 'p0' ? 'p1' : 'p0';
    expect(await leaseHolder(handles[0]!, 'leader-test', now)).toBe(holder);
    expect(await holdLease(handles[1]!, 'leader-test', holder, now + 500, 1000)).toBe(true); // renewed
    expect(await holdLease(handles[2]!, 'leader-test', other, now + 1400, 1000)).toBe(false); // not lapsed yet
    expect(await holdLease(handles[2]!, 'leader-test', other, now + 1600, 1000)).toBe(true); // lapsed: taken over
    expect(await holdLease(handles[0]!, 'leader-test', holder, now + 1700, 1000)).toBe(false);
    await releaseLease(handles[2]!, 'leader-test', other);
    expect(await holdLease(handles[0]!, 'leader-test', holder, now + 1800, 1000)).toBe(true);
  });
});
