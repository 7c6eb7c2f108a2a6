import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { type Sql, first, tables } from '../db/connection.js';
import { type RewardKind } from '../db/schema.js';

export interface RewardEvent {
  id: number;
  kind: RewardKind;
  chatAccountId: number;
  addresses: string[];
  dedupeKey: string;
  subject: string | null;
  createdAt: number;
}

/**
 * Notes an interaction that may earn. It is written where the interaction is recorded (inside the confirming or
 * ballot transaction), so it is never lost and never counted twice; whether it earns is decided later, once the
 * chain has been asked whether the person has real weight.
 */
export async function recordRewardEvent(db: Sql, event: Omit<RewardEvent, 'id'>): Promise<boolean> {
  const { rewardEvents } = tables(db);
  return (
    (
      await db
        .insert(rewardEvents)
        .values({ ...event, subject: event.subject ?? null })
        .onConflictDoNothing()
        .returning({ one: sql`1` })
    ).length === 1
  );
}

export async function pendingRewardEvents(db: Sql, limit: number): Promise<RewardEvent[]> {
  const { rewardEvents } = tables(db);
  return db
    .select({
      id: rewardEvents.id,
      kind: rewardEvents.kind,
      chatAccountId: rewardEvents.chatAccountId,
      addresses: rewardEvents.addresses,
      dedupeKey: rewardEvents.dedupeKey,
      subject: rewardEvents.subject,
      createdAt: rewardEvents.createdAt,
    })
    .from(rewardEvents)
    .where(isNull(rewardEvents.processedAt))
    .orderBy(asc(rewardEvents.id))
    .limit(limit);
}

export async function settleRewardEvent(db: Sql, id: number, outcome: string, now: number): Promise<void> {
  const { rewardEvents } = tables(db);
  await db.update(rewardEvents).set({ processedAt: now, outcome }).where(eq(rewardEvents.id, id));
}

/** When this chat account last asked something that might earn: repeats inside the cooldown are not noted. */
export async function lastQuestionAt(db: Sql, chatAccountId: number): Promise<number | null> {
  const { rewardEvents } = tables(db);
  return (
    (
      await first(
        db
          .select({ createdAt: rewardEvents.createdAt })
          .from(rewardEvents)
          .where(and(eq(rewardEvents.chatAccountId, chatAccountId), eq(rewardEvents.kind, 'question')))
          .orderBy(desc(rewardEvents.id))
          .limit(1),
      )
    )?.createdAt ?? null
  );
}
