import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { tables, transaction, type Sql } from '../db/connection.js';
import { chatAccountById } from './accounts.js';
import { WalletError } from './errors.js';
import { writeOutbox } from './outbox.js';

export type Every = 'day' | 'week' | 'month';
const DAY = 24 * 60 * 60 * 1000;

/** The next due time after `due`: a day or a week later, or the same day of the next month (its last day if shorter). */
export function nextDue(due: number, every: Every): number {
  if (every === 'day') return due + DAY;
  if (every === 'week') return due + 7 * DAY;
  const d = new Date(due);
  const day = d.getUTCDate();
  const next = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, d.getUTCHours(), d.getUTCMinutes()),
  );
  const last = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(day, last));
  return next.getTime();
}

/** The first due time: now, or for a weekday ("every Friday") the next such day, now if it is today. */
export function firstDue(now: number, weekday: number | null): number {
  if (weekday === null) return now;
  const today = new Date(now).getUTCDay();
  return now + ((weekday - today + 7) % 7) * DAY;
}

export interface NewSchedule {
  chatAccountId: number;
  platform: string;
  toAddress: string;
  contactName: string | null;
  amount: bigint;
  memo: string | null;
  every: Every;
  firstDueAt: number;
}

/** At most this many active schedules per person. */
export const MAX_SCHEDULES = 20;

export async function createSchedule(db: Sql, s: NewSchedule, now: number): Promise<number> {
  const { schedules: t } = tables(db);
  return transaction(db, async (tx) => {
    const [{ n }] = (await tx
      .select({ n: sql<number>`count(*)` })
      .from(t)
      .where(and(eq(t.chatAccountId, s.chatAccountId), isNull(t.stoppedAt)))) as [{ n: number }];
    if (Number(n) >= MAX_SCHEDULES)
      throw new WalletError(
        'too_many_schedules',
        `You have ${MAX_SCHEDULES} schedules; stop one first ("my schedules").`,
      );
    const [row] = await tx
      .insert(t)
      .values({
        chatAccountId: s.chatAccountId,
        platform: s.platform,
        toAddress: s.toAddress,
        contactName: s.contactName,
        amount: s.amount,
        memo: s.memo,
        every: s.every,
        nextDueAt: s.firstDueAt,
        createdAt: now,
      })
      .returning({ id: t.id });
    return row!.id;
  });
}

export async function schedulesOf(db: Sql, chatAccountId: number) {
  const { schedules: t } = tables(db);
  return db
    .select()
    .from(t)
    .where(and(eq(t.chatAccountId, chatAccountId), isNull(t.stoppedAt)))
    .orderBy(asc(t.id));
}

export async function stopSchedule(
  db: Sql,
  chatAccountId: number,
  id: number,
  now: number,
): Promise<boolean> {
  const { schedules: t } = tables(db);
  const stopped = await db
    .update(t)
    .set({ stoppedAt: now })
    .where(and(eq(t.id, id), eq(t.chatAccountId, chatAccountId), isNull(t.stoppedAt)))
    .returning({ id: t.id });
  return stopped.length === 1;
}

/**
 * Writes the reminder of every due period, once: the period's row, its DM and the schedule's next due time are one
 * transaction, and the row's key is (schedule, period), so a restart or a second process never writes two. A bot
 * that was down sends one reminder for the latest missed period, not one per period.
 */
export async function remindDue(db: Sql, now: number): Promise<number> {
  const { schedules: t, scheduleRuns: r } = tables(db);
  const due = await db
    .select()
    .from(t)
    .where(and(isNull(t.stoppedAt), lte(t.nextDueAt, now)))
    .orderBy(asc(t.nextDueAt))
    .limit(100);
  let written = 0;
  for (const s of due) {
    let period = s.nextDueAt;
    while (nextDue(period, s.every) <= now) period = nextDue(period, s.every);
    written += await transaction(db, async (tx) => {
      const moved = await tx
        .update(t)
        .set({ nextDueAt: nextDue(period, s.every) })
        .where(and(eq(t.id, s.id), eq(t.nextDueAt, s.nextDueAt), isNull(t.stoppedAt)))
        .returning({ id: t.id });
      if (!moved.length) return 0; // another process took it
      const inserted = await tx
        .insert(r)
        .values({ scheduleId: s.id, dueAt: period })
        .onConflictDoNothing()
        .returning({ id: r.scheduleId });
      const account = await chatAccountById(tx, s.chatAccountId);
      if (!inserted.length || !account) return 0;
      await writeOutbox(tx, {
        dedupeKey: `schedule:${s.id}:${period}`,
        chatAccountId: s.chatAccountId,
        platform: s.platform,
        recipient: account.platformUserId,
        kind: 'schedule_due',
        payload: {
          scheduleId: s.id,
          dueAt: period,
          to: s.toAddress,
          name: s.contactName,
          amount: s.amount.toString(),
          memo: s.memo,
          every: s.every,
        },
      });
      return 1;
    });
  }
  return written;
}

/**
 * Takes a period's one link: true for the first caller (who then drafts), false when it was taken. `release` gives
 * it back when drafting failed, so the person can try again.
 */
export async function takeRun(
  db: Sql,
  chatAccountId: number,
  scheduleId: number,
  dueAt: number,
): Promise<boolean> {
  const { schedules: t, scheduleRuns: r } = tables(db);
  return transaction(db, async (tx) => {
    const [mine] = await tx
      .select({ id: t.id })
      .from(t)
      .where(and(eq(t.id, scheduleId), eq(t.chatAccountId, chatAccountId)))
      .limit(1);
    if (!mine) return false;
    const taken = await tx
      .update(r)
      .set({ draftId: 'pending' })
      .where(and(eq(r.scheduleId, scheduleId), eq(r.dueAt, dueAt), isNull(r.draftId)))
      .returning({ id: r.scheduleId });
    return taken.length === 1;
  });
}

export async function settleRun(
  db: Sql,
  scheduleId: number,
  dueAt: number,
  draftId: string | null,
): Promise<void> {
  const { scheduleRuns: r } = tables(db);
  await db
    .update(r)
    .set({ draftId })
    .where(and(eq(r.scheduleId, scheduleId), eq(r.dueAt, dueAt)));
}

export async function scheduleById(db: Sql, id: number) {
  const { schedules: t } = tables(db);
  const [row] = await db.select().from(t).where(eq(t.id, id)).limit(1);
  return row ?? null;
}
