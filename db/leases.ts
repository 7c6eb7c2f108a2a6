import { and, eq, lt, or, sql } from 'drizzle-orm';
import { first, tables, type Sql } from './connection.js';

/**
 * Takes or renews the named lease for `holder` until `now + ttlMs`: true while it is theirs. A lease that ran out
 * (its holder died, or stalled past the TTL) is taken over by the next caller. On either store the check and the
 * write are one statement, so two processes never both hold it. `now` is each process's clock: run the hosts
 * with NTP, and keep the TTL well above any skew.
 */
export async function holdLease(
  db: Sql,
  name: string,
  holder: string,
  now: number,
  ttlMs: number,
): Promise<boolean> {
  const { leases } = tables(db);
  // Each statement decides alone: the UPDATE's condition is checked again on the row it locks (PostgreSQL) or
  // under the one writer (SQLite), and of two INSERTs of a missing lease one conflicts.
  const renewed = await db
    .update(leases)
    .set({ holder, expiresAt: now + ttlMs })
    .where(and(eq(leases.name, name), or(eq(leases.holder, holder), lt(leases.expiresAt, now))))
    .returning({ one: sql`1` });
  if (renewed.length) return true;
  const created = await db
    .insert(leases)
    .values({ name, holder, expiresAt: now + ttlMs })
    .onConflictDoNothing()
    .returning({ one: sql`1` });
  return created.length === 1;
}

/** Gives the lease up at once (a clean shutdown), so another process need not wait for it to run out. */
export async function releaseLease(db: Sql, name: string, holder: string): Promise<void> {
  const { leases } = tables(db);
  await db.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder)));
}

/** Who holds the lease now, if anyone. */
export async function leaseHolder(db: Sql, name: string, now: number): Promise<string | null> {
  const { leases } = tables(db);
  const row = await first(db.select().from(leases).where(eq(leases.name, name)).limit(1));
  return row && row.expiresAt >= now ? row.holder : null;
}

/** The lease row as it is (holder and expiry), expired or not; null when nobody ever took it or it was released. */
export async function leaseRow(db: Sql, name: string): Promise<{ holder: string; expiresAt: number } | null> {
  const { leases } = tables(db);
  const row = await first(
    db
      .select({ holder: leases.holder, expiresAt: leases.expiresAt })
      .from(leases)
      .where(eq(leases.name, name))
      .limit(1),
  );
  return row ?? null;
}
