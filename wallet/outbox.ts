import { and, asc, eq, gt, isNull, lte, sql } from 'drizzle-orm';
import type { Sql } from '../db/connection.js';
import { outbox } from '../db/schema.js';

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

/** Writes a notification once (by dedupe key); call it inside the transaction that changes the state. */
export function writeOutbox(db: Sql, message: OutboxMessage): void {
  db.insert(outbox)
    .values({
      ...message,
      chatAccountId: message.chatAccountId ?? null,
      audience: message.audience ?? 'user',
      editOf: message.editOf ?? null,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .run();
}

export type OutboxRow = typeof outbox.$inferSelect;

/** Unsent rows for a platform that are due now, oldest first (rows refused for good are not retried). */
export function dueOutbox(db: Sql, platform: string, now: number, limit = 50): OutboxRow[] {
  return db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.platform, platform),
        isNull(outbox.sentAt),
        isNull(outbox.failedAt),
        lte(outbox.nextAttemptAt, now),
      ),
    )
    .orderBy(asc(outbox.id))
    .limit(limit)
    .all();
}

export function markOutboxSent(db: Sql, id: number, now: number, deliveredRef?: string | null): boolean {
  return (
    db
      .update(outbox)
      .set({ sentAt: now, deliveredRef: deliveredRef ?? null })
      .where(and(eq(outbox.id, id), isNull(outbox.sentAt)))
      .run().changes === 1
  );
}

/** What a delivered row posted (e.g. a message id), to edit it later; undefined until it is delivered. */
export function deliveredRefOf(
  db: Sql,
  dedupeKey: string,
): { sent: boolean; ref: string | null } | undefined {
  const row = db
    .select({ sentAt: outbox.sentAt, ref: outbox.deliveredRef })
    .from(outbox)
    .where(eq(outbox.dedupeKey, dedupeKey))
    .get();
  return row && { sent: row.sentAt !== null, ref: row.ref };
}

/**
 * Edits of one post are last-writer-wins: an edit with a newer edit of the same post behind it is never sent, so a
 * retried old tally cannot overwrite a newer one.
 */
export function isSupersededEdit(db: Sql, row: OutboxRow): boolean {
  if (!row.editOf) return false;
  return (
    db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.editOf, row.editOf), gt(outbox.id, row.id)))
      .limit(1)
      .get() !== undefined
  );
}

/** The platform refused the row for good: it is kept (with the reason) but never tried again. */
export function markOutboxUndeliverable(db: Sql, id: number, now: number, error: string): void {
  db.update(outbox)
    .set({ failedAt: now, lastError: error.slice(0, 500), attempts: sql`${outbox.attempts} + 1` })
    .where(eq(outbox.id, id))
    .run();
}

/** Backs off exponentially (capped at 10 minutes) after a failed delivery. */
export function markOutboxFailed(db: Sql, id: number, now: number, error: string): void {
  db.update(outbox)
    .set({
      attempts: sql`${outbox.attempts} + 1`,
      lastError: error.slice(0, 500),
      nextAttemptAt: sql`${now} + min(600000, 1000 * (1 << min(${outbox.attempts}, 10)))`,
    })
    .where(eq(outbox.id, id))
    .run();
}
