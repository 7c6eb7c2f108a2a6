import { and, eq, gt, inArray, or, sql as raw } from 'drizzle-orm';
import { type Sql, first, tables, transaction } from '../db/connection.js';
import { type RewardKind } from '../db/schema.js';
import { utcDay, type RewardsConfig } from './config.js';

export type AccrualResult =
  | { granted: bigint; status: 'granted' | 'partial' }
  | {
      granted: 0n;
      status: 'duplicate' | 'cooldown' | 'address_cap' | 'person_cap' | 'budget' | 'disabled';
    };

export interface Accrual {
  address: string;
  chatAccountId: number | null;
  /**
   * The person this chat account belongs to (every chat account sharing a linked address with it, now or by a
   * link seen today: rewards/persons.ts identityOf): the person cap and the question cooldown count across all of
   * them, and the cooldown across their addresses too. Without it the chat account alone is the person.
   */
  person?: { id: number; chatAccountIds: number[]; addresses?: string[] };
  kind: RewardKind;
  /** Identifies the interaction (a draft, a ballot, a question): the same one never earns twice. */
  dedupeKey: string;
  /** Keys of the same interaction by the person's other chat accounts (one vote per proposal per person). */
  sameAs?: string[];
  /**
   * What this reward uses up for good, whoever earns it: `vote:<proposal>:address:<address>` for each address the
   * ballot was signed with, so one voting address earns one vote reward per proposal however chat accounts relink.
   */
  claims?: string[];
  now: number;
}

/** The running total of one chat account for one day; a person's total is the sum over their accounts. */
const accountScope = (chatAccountId: number, day: string) => `account:${chatAccountId}:${day}`;

async function sumWhere(db: Sql, where: ReturnType<typeof and>): Promise<bigint> {
  const { rewards } = tables(db);
  const row = await first(
    db
      .select({ total: raw<string | null>`CAST(SUM(CAST(${rewards.amount} AS INTEGER)) AS TEXT)` })
      .from(rewards)
      .where(where)
      .limit(1),
  );
  return BigInt(row?.total ?? '0');
}

async function totalOf(db: Sql, scope: string): Promise<bigint> {
  const { rewardTotals } = tables(db);
  const row = await first(
    db.select({ total: rewardTotals.total }).from(rewardTotals).where(eq(rewardTotals.scope, scope)).limit(1),
  );
  return row?.total ?? 0n;
}

async function setTotal(db: Sql, scope: string, total: bigint): Promise<void> {
  const { rewardTotals } = tables(db);
  await db
    .insert(rewardTotals)
    .values({ scope, total })
    .onConflictDoUpdate({ target: rewardTotals.scope, set: { total } });
}

/** What one person (all their chat accounts together) earned on a day. */
export async function personTotal(db: Sql, chatAccountIds: number[], day: string): Promise<bigint> {
  let sum = 0n;
  for (const id of chatAccountIds) sum += await totalOf(db, accountScope(id, day));
  return sum;
}

export async function addressTotal(db: Sql, address: string, day: string): Promise<bigint> {
  return await totalOf(db, `address:${address}:${day}`);
}

const smallest = (...values: bigint[]) => values.reduce((a, b) => (a < b ? a : b));

/**
 * Records one reward, never exceeding the per-address cap, the per-person cap or the global daily budget by a
 * single NanoPAC, even with other processes writing the same database: the check and the insert run in one
 * IMMEDIATE transaction, which takes SQLite's write lock before reading. The last reward of a day may be partial.
 */
export async function accrue(db: Sql, config: RewardsConfig, accrual: Accrual): Promise<AccrualResult> {
  const { rewards } = tables(db);
  const amount = config.amounts[accrual.kind];
  if (amount <= 0n) return { granted: 0n, status: 'disabled' };
  const day = utcDay(accrual.now);
  const accounts =
    accrual.person?.chatAccountIds ?? (accrual.chatAccountId === null ? [] : [accrual.chatAccountId]);
  const claims = accrual.claims ?? [];
  const addresses = accrual.person?.addresses ?? [];
  return transaction(db, async (t) => {
    const { rewardClaims } = tables(t);
    const keys = [accrual.dedupeKey, ...(accrual.sameAs ?? [])];
    if (
      (await first(
        t.select({ id: rewards.id }).from(rewards).where(inArray(rewards.dedupeKey, keys)).limit(1),
      )) ||
      (claims.length &&
        (await first(
          t
            .select({ claim: rewardClaims.claim })
            .from(rewardClaims)
            .where(inArray(rewardClaims.claim, claims))
            .limit(1),
        )))
    )
      return { granted: 0n, status: 'duplicate' } as const;
    if (accrual.kind === 'question' && (accounts.length || addresses.length)) {
      const recent = await first(
        t
          .select({ id: rewards.id })
          .from(rewards)
          .where(
            and(
              or(
                accounts.length ? inArray(rewards.chatAccountId, accounts) : undefined,
                addresses.length ? inArray(rewards.address, addresses) : undefined,
              ),
              eq(rewards.kind, 'question'),
              gt(rewards.createdAt, accrual.now - config.cooldownMs),
            ),
          )
          .limit(1),
      );
      if (recent) return { granted: 0n, status: 'cooldown' } as const;
    }
    const addressScope = `address:${accrual.address}:${day}`;
    const dayScope = `day:${day}`;
    const addressSoFar = await totalOf(t, addressScope);
    const dayTotal = await totalOf(t, dayScope);
    const addressLeft = config.dailyCap - addressSoFar;
    if (addressLeft <= 0n) return { granted: 0n, status: 'address_cap' } as const;
    const personLeft = accounts.length
      ? config.personDailyCap - (await personTotal(t, accounts, day))
      : config.personDailyCap;
    if (personLeft <= 0n) return { granted: 0n, status: 'person_cap' } as const;
    const budgetLeft = config.dailyBudget - dayTotal;
    if (budgetLeft <= 0n) return { granted: 0n, status: 'budget' } as const;
    const granted = smallest(amount, addressLeft, personLeft, budgetLeft);
    const [inserted] = await t
      .insert(rewards)
      .values({
        address: accrual.address,
        chatAccountId: accrual.chatAccountId,
        personId: accrual.person?.id ?? accrual.chatAccountId,
        kind: accrual.kind,
        amount: granted,
        day,
        dedupeKey: accrual.dedupeKey,
        createdAt: accrual.now,
      })
      .returning({ id: rewards.id });
    if (claims.length)
      await t
        .insert(rewardClaims)
        .values(claims.map((claim) => ({ claim, rewardId: inserted!.id, createdAt: accrual.now })));
    await setTotal(t, addressScope, addressSoFar + granted);
    await setTotal(t, dayScope, dayTotal + granted);
    if (accrual.chatAccountId !== null) {
      const scope = accountScope(accrual.chatAccountId, day);
      await setTotal(t, scope, (await totalOf(t, scope)) + granted);
    }
    return { granted, status: granted === amount ? 'granted' : 'partial' } as const;
  });
}

export interface RewardSummary {
  accrued: bigint;
  unpaid: bigint;
  pending: bigint;
  paid: bigint;
  /** What the person earned today, all their chat accounts and addresses together. */
  today: bigint;
  /** What the person can still earn today: the person cap, and no more than their addresses' caps allow. */
  todayLeft: bigint;
}

/** A person's rewards: those earned by any of their chat accounts or on any of their addresses. */
export async function summaryFor(
  db: Sql,
  config: RewardsConfig,
  person: { chatAccountIds: number[]; addresses: string[] },
  now: number,
): Promise<RewardSummary> {
  const { rewards } = tables(db);
  const day = utcDay(now);
  const summary: RewardSummary = { accrued: 0n, unpaid: 0n, pending: 0n, paid: 0n, today: 0n, todayLeft: 0n };
  const theirs = or(
    inArray(rewards.chatAccountId, person.chatAccountIds),
    inArray(rewards.address, person.addresses),
  );
  for (const status of ['unpaid', 'pending', 'paid'] as const) {
    const value = await sumWhere(db, and(theirs, eq(rewards.status, status)));
    summary[status] = value;
    summary.accrued += value;
  }
  summary.today = await personTotal(db, person.chatAccountIds, day);
  let addressesLeft = 0n;
  for (const address of person.addresses) {
    const left = config.dailyCap - (await addressTotal(db, address, day));
    addressesLeft += left > 0n ? left : 0n;
  }
  const personLeft = config.personDailyCap - summary.today;
  summary.todayLeft = smallest(personLeft > 0n ? personLeft : 0n, addressesLeft);
  return summary;
}

export async function reportFor(db: Sql, now: number) {
  const { rewards } = tables(db);
  const day = utcDay(now);
  const byStatus = await db
    .select({
      status: rewards.status,
      total: raw<string>`CAST(SUM(CAST(${rewards.amount} AS INTEGER)) AS TEXT)`,
      count: raw<number>`COUNT(*)`,
    })
    .from(rewards)
    .groupBy(rewards.status);
  const todayRows = await db
    .select({
      kind: rewards.kind,
      total: raw<string>`CAST(SUM(CAST(${rewards.amount} AS INTEGER)) AS TEXT)`,
      count: raw<number>`COUNT(*)`,
    })
    .from(rewards)
    .where(eq(rewards.day, day))
    .groupBy(rewards.kind);
  return {
    day,
    byStatus: byStatus.map((r) => ({ status: r.status, total: BigInt(r.total ?? '0'), count: r.count })),
    today: todayRows.map((r) => ({ kind: r.kind, total: BigInt(r.total ?? '0'), count: r.count })),
  };
}
