import { and, eq, inArray, sql as raw } from 'drizzle-orm';
import { type Db, tables, transaction } from '../db/connection.js';
import { pacText } from '../pactus/amount.js';
import { MAX_BATCH_RECIPIENTS } from '../pactus/tx.js';
import type { DraftingService, DraftResult } from '../wallet/drafting.js';
import type { Requester } from '../wallet/drafts.js';
import { WalletError } from '../wallet/errors.js';
import { payableAddress, type ChainReader } from './weight.js';

export interface PayoutRecipient {
  /** The account paid: the address the rewards were earned on, or for a validator, an account its owner holds. */
  address: string;
  amount: bigint;
  rewardIds: number[];
  /** The ledger addresses whose rewards this pays, when they differ from `address` (validators). */
  earnedOn: string[];
}

export interface PlannedPayout {
  recipients: PayoutRecipient[];
  total: bigint;
}

export interface HeldReward {
  address: string;
  amount: bigint;
  reason: string;
}

export interface PayoutPlan {
  batches: PlannedPayout[];
  /** Unpaid rewards that wait: below the minimum payout, or with nowhere they can be paid yet. */
  held: HeldReward[];
}

/**
 * Unpaid rewards per payable account, in batches of at most 8 recipients (the batch transfer limit). The dry run
 * and the real run both use this, so what the dry run lists is exactly what would be drafted: validator
 * addresses are mapped to accounts, and an account whose unpaid total is below the minimum payout is held,
 * since paying 0.002 PAC with a 0.01 PAC fee costs more than it pays.
 */
export async function planPayouts(
  db: Db,
  chain: ChainReader,
  options: { minPayout: bigint; poolAddress: string | null },
): Promise<PayoutPlan> {
  const { rewards } = tables(db);
  const rows = await db
    .select({
      id: rewards.id,
      address: rewards.address,
      amount: rewards.amount,
      chatAccountId: rewards.chatAccountId,
    })
    .from(rewards)
    .where(eq(rewards.status, 'unpaid'))
    .orderBy(rewards.address, rewards.id);
  const byLedgerAddress = new Map<string, { amount: bigint; rewardIds: number[]; accounts: Set<number> }>();
  for (const r of rows) {
    const entry = byLedgerAddress.get(r.address) ?? { amount: 0n, rewardIds: [], accounts: new Set() };
    entry.amount += r.amount;
    entry.rewardIds.push(r.id);
    if (r.chatAccountId !== null) entry.accounts.add(r.chatAccountId);
    byLedgerAddress.set(r.address, entry);
  }
  const byAccount = new Map<string, PayoutRecipient>();
  for (const [ledgerAddress, entry] of byLedgerAddress) {
    const account = await payableAddress(db, chain, ledgerAddress, [...entry.accounts]);
    const recipient = byAccount.get(account) ?? { address: account, amount: 0n, rewardIds: [], earnedOn: [] };
    recipient.amount += entry.amount;
    recipient.rewardIds.push(...entry.rewardIds);
    if (ledgerAddress !== account) recipient.earnedOn.push(ledgerAddress);
    byAccount.set(account, recipient);
  }
  const held: HeldReward[] = [];
  const due: PayoutRecipient[] = [];
  for (const recipient of byAccount.values()) {
    if (recipient.address === options.poolAddress)
      held.push({ ...recipient, reason: 'it is the reward pool itself' });
    else if (recipient.amount < options.minPayout)
      held.push({ ...recipient, reason: `below the minimum payout of ${pacText(options.minPayout)}` });
    else due.push(recipient);
  }
  const batches: PlannedPayout[] = [];
  for (let i = 0; i < due.length; i += MAX_BATCH_RECIPIENTS) {
    const chunk = due.slice(i, i + MAX_BATCH_RECIPIENTS);
    batches.push({ recipients: chunk, total: chunk.reduce((sum, r) => sum + r.amount, 0n) });
  }
  return { batches, held: held.map(({ address, amount, reason }) => ({ address, amount, reason })) };
}

export interface CreatedPayout {
  plan: PlannedPayout;
  draft: DraftResult;
}

/**
 * Drafts payout transfers from the pool (one per batch of up to 8 recipients, DraftingService.payout)
 * for the pool operator to sign; the bot never holds the pool key. The rewards in a draft become `pending`
 * with it, in one transaction per draft, so a crash leaves each reward either unpaid or with exactly one payout.
 */
export async function createPayouts(
  db: Db,
  drafting: DraftingService,
  requester: Requester,
  poolAddress: string,
  plan: PayoutPlan,
): Promise<CreatedPayout[]> {
  const { drafts, rewards } = tables(db);
  const created: CreatedPayout[] = [];
  for (const batch of plan.batches) {
    const draft = await drafting.payout(requester, {
      from: poolAddress,
      recipients: batch.recipients.map((r) => ({ to: r.address, amount: r.amount })),
      memo: 'PIP-44 interaction rewards',
    });
    const ids = batch.recipients.flatMap((r) => r.rewardIds);
    const claimed = await transaction(db, async (tx) => {
      await tx
        .update(drafts)
        .set({ meta: { payout: true } })
        .where(eq(drafts.id, draft.draftId));
      return (
        await tx
          .update(rewards)
          .set({ status: 'pending', payoutDraftId: draft.draftId })
          .where(and(inArray(rewards.id, ids), eq(rewards.status, 'unpaid')))
          .returning({ one: raw`1` })
      ).length;
    });
    if (claimed !== ids.length) {
      // Another payout run took some of these rewards meanwhile: this draft must not be signed.
      await db.update(drafts).set({ status: 'cancelled' }).where(eq(drafts.id, draft.draftId));
      await db
        .update(rewards)
        .set({ status: 'unpaid', payoutDraftId: null })
        .where(eq(rewards.payoutDraftId, draft.draftId));
      throw new WalletError('payout_race', 'Another payout run is in progress; try again.');
    }
    created.push({ plan: batch, draft });
  }
  return created;
}

/**
 * Settles pending rewards against their payout drafts: paid when confirmed, back to unpaid when the draft failed,
 * expired or was cancelled. Idempotent; runs at start-up and on a timer (the confirmation hook does the same
 * atomically when the tracker confirms).
 */
export async function reconcilePayouts(db: Db, now: number): Promise<{ paid: number; returned: number }> {
  const { rewards } = tables(db);
  const paid = (
    await db
      .update(rewards)
      .set({ status: 'paid', paidAt: now })
      .where(
        and(
          eq(rewards.status, 'pending'),
          raw`${rewards.payoutDraftId} IN (SELECT id FROM drafts WHERE status = 'confirmed')`,
        ),
      )
      .returning({ one: raw`1` })
  ).length;
  const returned = (
    await db
      .update(rewards)
      .set({ status: 'unpaid', payoutDraftId: null })
      .where(
        and(
          eq(rewards.status, 'pending'),
          raw`${rewards.payoutDraftId} IN (SELECT id FROM drafts WHERE status IN ('failed', 'expired', 'cancelled'))`,
        ),
      )
      .returning({ one: raw`1` })
  ).length;
  return { paid, returned };
}
