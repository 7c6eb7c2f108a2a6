import { and, eq, gt, sql as raw } from 'drizzle-orm';
import type { Sql } from '../db/connection.js';
import { rewardTotals, rewards, type RewardKind } from '../db/schema.js';
import { utcDay, type RewardsConfig } from './config.js';

export type AccrualResult =
  | { granted: bigint; status: 'granted' | 'partial' }
  | { granted: 0n; status: 'duplicate' | 'cooldown' | 'address_cap' | 'budget' | 'disabled' };

export interface Accrual {
  address: string;
  chatAccountId: number | null;
  kind: RewardKind;
  /** Identifies the interaction (a draft, a ballot, a question): the same one never earns twice. */
  dedupeKey: string;
  now: number;
}

function sumWhere(db: Sql, where: ReturnType<typeof and>): bigint {
  const row = db
    .select({ total: raw<string | null>`CAST(SUM(CAST(${rewards.amount} AS INTEGER)) AS TEXT)` })
    .from(rewards)
    .where(where)
    .get();
  return BigInt(row?.total ?? '0');
}

function totalOf(db: Sql, scope: string): bigint {
  return (
    db.select({ total: rewardTotals.total }).from(rewardTotals).where(eq(rewardTotals.scope, scope)).get()
      ?.total ?? 0n
  );
}

function setTotal(db: Sql, scope: string, total: bigint): void {
  db.insert(rewardTotals)
    .values({ scope, total })
    .onConflictDoUpdate({ target: rewardTotals.scope, set: { total } })
    .run();
}

/**
 * Records one reward, never exceeding the per-address daily cap or the global daily budget by a single NanoPAC,
 * even with other processes writing the same database: the check and the insert run in one IMMEDIATE
 * transaction, which takes SQLite's write lock before reading. The last reward of a day may be partial.
 */
export function accrue(db: Sql, config: RewardsConfig, accrual: Accrual): AccrualResult {
  const amount = config.amounts[accrual.kind];
  if (amount <= 0n) return { granted: 0n, status: 'disabled' };
  const day = utcDay(accrual.now);
  return db.transaction(
    (t) => {
      if (t.select({ id: rewards.id }).from(rewards).where(eq(rewards.dedupeKey, accrual.dedupeKey)).get())
        return { granted: 0n, status: 'duplicate' } as const;
      if (accrual.kind === 'question' && accrual.chatAccountId !== null) {
        const recent = t
          .select({ id: rewards.id })
          .from(rewards)
          .where(
            and(
              eq(rewards.chatAccountId, accrual.chatAccountId),
              eq(rewards.kind, 'question'),
              gt(rewards.createdAt, accrual.now - config.cooldownMs),
            ),
          )
          .get();
        if (recent) return { granted: 0n, status: 'cooldown' } as const;
      }
      const addressScope = `address:${accrual.address}:${day}`;
      const dayScope = `day:${day}`;
      const addressTotal = totalOf(t, addressScope);
      const dayTotal = totalOf(t, dayScope);
      const addressLeft = config.dailyCap - addressTotal;
      if (addressLeft <= 0n) return { granted: 0n, status: 'address_cap' } as const;
      const budgetLeft = config.dailyBudget - dayTotal;
      if (budgetLeft <= 0n) return { granted: 0n, status: 'budget' } as const;
      const granted = [amount, addressLeft, budgetLeft].reduce((a, b) => (a < b ? a : b));
      t.insert(rewards)
        .values({
          address: accrual.address,
          chatAccountId: accrual.chatAccountId,
          kind: accrual.kind,
          amount: granted,
          day,
          dedupeKey: accrual.dedupeKey,
          createdAt: accrual.now,
        })
        .run();
      setTotal(t, addressScope, addressTotal + granted);
      setTotal(t, dayScope, dayTotal + granted);
      return { granted, status: granted === amount ? 'granted' : 'partial' } as const;
    },
    { behavior: 'immediate' },
  );
}

export interface RewardSummary {
  accrued: bigint;
  unpaid: bigint;
  pending: bigint;
  paid: bigint;
  today: bigint;
  todayLeft: bigint;
}

export function summaryFor(db: Sql, config: RewardsConfig, addresses: string[], now: number): RewardSummary {
  const day = utcDay(now);
  const summary: RewardSummary = { accrued: 0n, unpaid: 0n, pending: 0n, paid: 0n, today: 0n, todayLeft: 0n };
  for (const address of addresses) {
    for (const status of ['unpaid', 'pending', 'paid'] as const) {
      const value = sumWhere(db, and(eq(rewards.address, address), eq(rewards.status, status)));
      summary[status] += value;
      summary.accrued += value;
    }
    const today = totalOf(db, `address:${address}:${day}`);
    summary.today += today;
    summary.todayLeft += today >= config.dailyCap ? 0n : config.dailyCap - today;
  }
  return summary;
}

export function reportFor(db: Sql, now: number) {
  const day = utcDay(now);
  const byStatus = db
    .select({
      status: rewards.status,
      total: raw<string>`CAST(SUM(CAST(${rewards.amount} AS INTEGER)) AS TEXT)`,
      count: raw<number>`COUNT(*)`,
    })
    .from(rewards)
    .groupBy(rewards.status)
    .all();
  const todayRows = db
    .select({
      kind: rewards.kind,
      total: raw<string>`CAST(SUM(CAST(${rewards.amount} AS INTEGER)) AS TEXT)`,
      count: raw<number>`COUNT(*)`,
    })
    .from(rewards)
    .where(eq(rewards.day, day))
    .groupBy(rewards.kind)
    .all();
  return {
    day,
    byStatus: byStatus.map((r) => ({ status: r.status, total: BigInt(r.total ?? '0'), count: r.count })),
    today: todayRows.map((r) => ({ kind: r.kind, total: BigInt(r.total ?? '0'), count: r.count })),
  };
}
