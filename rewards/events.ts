import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Sql } from '../db/connection.js';
import { rewardEvents, type RewardKind } from '../db/schema.js';

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
export function recordRewardEvent(db: Sql, event: Omit<RewardEvent, 'id'>): boolean {
  return (
    db
      .insert(rewardEvents)
      .values({ ...event, subject: event.subject ?? null })
      .onConflictDoNothing()
      .run().changes === 1
  );
}

export function pendingRewardEvents(db: Sql, limit: number): RewardEvent[] {
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
    .limit(limit)
    .all();
}

export function settleRewardEvent(db: Sql, id: number, outcome: string, now: number): void {
  db.update(rewardEvents).set({ processedAt: now, outcome }).where(eq(rewardEvents.id, id)).run();
}

/** When this chat account last asked something that might earn: repeats inside the cooldown are not noted. */
export function lastQuestionAt(db: Sql, chatAccountId: number): number | null {
  return (
    db
      .select({ createdAt: rewardEvents.createdAt })
      .from(rewardEvents)
      .where(and(eq(rewardEvents.chatAccountId, chatAccountId), eq(rewardEvents.kind, 'question')))
      .orderBy(desc(rewardEvents.id))
      .limit(1)
      .get()?.createdAt ?? null
  );
}
