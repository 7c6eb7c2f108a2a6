import { and, asc, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { type Sql, dialectOf, first, tables } from '../db/connection.js';
import type { outbox as OutboxTable } from '../db/schema.js';

export interface OutboxMessage {
  dedupeKey: string;
  chatAccountId?: number | null;
  platform: string;
  recipient: string;
  audience?: 'user' | 'channel';
  kind: string;
  payload: Record<string, unknown>;
  /** The dedupe key of an earlier post that this row edits in place (e.g. a proposal's tally). */
  editOf?: string;
}

/**
 * Withdraws a notification that has not gone out: unsent and not claimed by a delivery pass right now (one being
 * sent still goes). For a note the state it describes has overtaken, e.g. a Cancel button for a cancelled draft.
 */
export async function withdrawOutbox(db: Sql, dedupeKey: string, now: number): Promise<void> {
  const { outbox } = tables(db);
  await db
    .delete(outbox)
    .where(
      and(
        eq(outbox.dedupeKey, dedupeKey),
        isNull(outbox.sentAt),
        or(isNull(outbox.claimedBy), lt(outbox.claimedUntil, now)),
      ),
    );
}

/** Writes a notification once (by dedupe key); call it inside the transaction that changes the state. */
export async function writeOutbox(db: Sql, message: OutboxMessage): Promise<void> {
  const { outbox } = tables(db);
  await db
    .insert(outbox)
    .values({
      ...message,
      chatAccountId: message.chatAccountId ?? null,
      audience: message.audience ?? 'user',
      editOf: message.editOf ?? null,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey });
}

export type OutboxRow = typeof OutboxTable.$inferSelect;

/** Unsent rows for a platform that are due now, oldest first (rows refused for good are not retried). */
export async function dueOutbox(db: Sql, platform: string, now: number, limit = 50): Promise<OutboxRow[]> {
  const { outbox } = tables(db);
  return db
    .select()
    .from(outbox)
    .where(dueFor(db, platform, now))
    .orderBy(asc(outbox.id))
    .limit(limit);
}

function dueFor(db: Sql, platform: string, now: number) {
  const { outbox } = tables(db);
  return and(
    eq(outbox.platform, platform),
    isNull(outbox.sentAt),
    isNull(outbox.failedAt),
    lte(outbox.nextAttemptAt, now),
    or(isNull(outbox.claimedUntil), lt(outbox.claimedUntil, now)),
  );
}

/**
 * Claims due rows for one bot process until `now + leaseMs`, so that with several processes on one database each
 * row is delivered by one of them. One UPDATE whose condition is checked again row by row (PostgreSQL locks the
 * rows FOR UPDATE SKIP LOCKED and re-reads them, SQLite has one writer): two processes never hold the same row. A process that
 * dies holding rows loses them when the lease runs out, and another delivers them.
 */
export async function claimOutbox(
  db: Sql,
  platform: string,
  owner: string,
  now: number,
  options: { leaseMs?: number; limit?: number } = {},
): Promise<OutboxRow[]> {
  const { outbox } = tables(db);
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(dueFor(db, platform, now))
    .orderBy(asc(outbox.id))
    .limit(options.limit ?? 50);
  // On PostgreSQL the rows another process is claiming right now are skipped rather than waited for, so
  // concurrent claimers take different rows instead of queueing behind each other's locks. (The builder is typed
  // as SQLite's, which has no FOR UPDATE; on a PostgreSQL handle it is pg-core's select.)
  const candidates =
    dialectOf(db) === 'postgres'
      ? (due as unknown as { for(strength: 'update', config: { skipLocked: boolean }): typeof due }).for(
          'update',
          {
            skipLocked: true,
          },
        )
      : due;
  // A CTE, so PostgreSQL locks the candidate rows once (FOR UPDATE in an IN subquery may be run again per row).
  const picked = db.$with('picked').as(candidates);
  const claimed = await db
    .with(picked)
    .update(outbox)
    .set({ claimedBy: owner, claimedUntil: now + (options.leaseMs ?? 60_000) })
    .where(and(inArray(outbox.id, db.select({ id: picked.id }).from(picked)), dueFor(db, platform, now)))
    .returning();
  return claimed.sort((a, b) => a.id - b.id);
}

/**
 * Extends the claims `owner` still holds on unsent rows (a delivery pass renews the rows it is sending), only those
 * of `ids` when given, and returns the ids renewed. A claim another process took over is not touched.
 */
export async function renewOutboxClaims(
  db: Sql,
  owner: string,
  until: number,
  ids?: number[],
): Promise<number[]> {
  const { outbox } = tables(db);
  if (ids && ids.length === 0) return [];
  const renewed = await db
    .update(outbox)
    .set({ claimedUntil: until })
    .where(
      and(
        eq(outbox.claimedBy, owner),
        isNull(outbox.sentAt),
        isNull(outbox.failedAt),
        ids ? inArray(outbox.id, ids) : undefined,
      ),
    )
    .returning({ id: outbox.id });
  return renewed.map((r) => r.id);
}

/**
 * The fence before a send: true, with the claim extended to `now + leaseMs`, only while the row is still claimed
 * by `owner` and unsent. The check and the extension are one statement, so a process that stalled past its claim
 * (and whose rows another process has since claimed, sent or given back) learns it here and sends nothing.
 */
export async function fenceOutboxClaim(
  db: Sql,
  id: number,
  owner: string,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const { outbox } = tables(db);
  const held = await db
    .update(outbox)
    .set({ claimedUntil: now + leaseMs })
    .where(
      and(eq(outbox.id, id), eq(outbox.claimedBy, owner), isNull(outbox.sentAt), isNull(outbox.failedAt)),
    )
    .returning({ one: sql`1` });
  return held.length === 1;
}

/** The row's claim, when `owner` is given: a process only gives back, fails or defers what it still holds. */
const heldBy = (db: Sql, owner: string | undefined) =>
  owner === undefined ? undefined : eq(tables(db).outbox.claimedBy, owner);

/** Gives a claimed row back without delivering it (it waits for something, such as the post it edits). */
export async function releaseOutbox(db: Sql, id: number, owner?: string): Promise<void> {
  const { outbox } = tables(db);
  await db
    .update(outbox)
    .set({ claimedBy: null, claimedUntil: null })
    .where(and(eq(outbox.id, id), heldBy(db, owner)));
}

/**
 * The platform asked to wait (a rate limit, e.g. 429 retry_after): the row is given back, due again at `until`.
 * Not a failed attempt, so it does not lengthen the row's backoff.
 */
export async function deferOutbox(
  db: Sql,
  id: number,
  owner: string,
  until: number,
  reason: string,
): Promise<void> {
  const { outbox } = tables(db);
  await db
    .update(outbox)
    .set({ nextAttemptAt: until, lastError: reason.slice(0, 500), claimedBy: null, claimedUntil: null })
    .where(and(eq(outbox.id, id), eq(outbox.claimedBy, owner), isNull(outbox.sentAt)));
}

/**
 * Records that the row was sent (true when this call recorded it). Whoever claims it, a send that happened is a
 * fact worth keeping: a process whose claim was taken over while it sent still records it, so the other process's
 * fence then stops a second send.
 */
export async function markOutboxSent(
  db: Sql,
  id: number,
  now: number,
  deliveredRef?: string | null,
): Promise<boolean> {
  const { outbox } = tables(db);
  return (
    (
      await db
        .update(outbox)
        .set({ sentAt: now, deliveredRef: deliveredRef ?? null })
        .where(and(eq(outbox.id, id), isNull(outbox.sentAt)))
        .returning({ one: sql`1` })
    ).length === 1
  );
}

/** What a delivered row posted (e.g. a message id), to edit it later; undefined until it is delivered. */
export async function deliveredRefOf(
  db: Sql,
  dedupeKey: string,
): Promise<{ sent: boolean; ref: string | null } | undefined> {
  const { outbox } = tables(db);
  const row = await first(
    db
      .select({ sentAt: outbox.sentAt, ref: outbox.deliveredRef })
      .from(outbox)
      .where(eq(outbox.dedupeKey, dedupeKey))
      .limit(1),
  );
  return row && { sent: row.sentAt !== null, ref: row.ref };
}

/**
 * Edits of one post are last-writer-wins: an edit with a newer edit of the same post behind it is never sent, so a
 * retried old tally cannot overwrite a newer one.
 */
export async function isSupersededEdit(db: Sql, row: OutboxRow): Promise<boolean> {
  const { outbox } = tables(db);
  if (!row.editOf) return false;
  return (
    (await first(
      db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.editOf, row.editOf), gt(outbox.id, row.id)))
        .limit(1),
    )) !== undefined
  );
}

/** The platform refused the row for good: it is kept (with the reason) but never tried again. */
export async function markOutboxUndeliverable(
  db: Sql,
  id: number,
  now: number,
  error: string,
  owner?: string,
): Promise<void> {
  const { outbox } = tables(db);
  await db
    .update(outbox)
    .set({ failedAt: now, lastError: error.slice(0, 500), attempts: sql`${outbox.attempts} + 1` })
    .where(and(eq(outbox.id, id), heldBy(db, owner)));
}

/** Backs off exponentially (1 s after the first failure, doubling, at most 10 minutes) after a failed delivery. */
export async function markOutboxFailed(
  db: Sql,
  row: Pick<OutboxRow, 'id' | 'attempts'>,
  now: number,
  error: string,
  owner?: string,
): Promise<void> {
  const { outbox } = tables(db);
  const backoffMs = Math.min(600_000, 1000 * 2 ** Math.min(row.attempts, 10));
  await db
    .update(outbox)
    .set({
      attempts: row.attempts + 1,
      lastError: error.slice(0, 500),
      nextAttemptAt: now + backoffMs,
      claimedBy: null,
      claimedUntil: null,
    })
    .where(and(eq(outbox.id, row.id), heldBy(db, owner)));
}
