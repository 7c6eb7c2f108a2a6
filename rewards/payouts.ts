import { and, eq, inArray, sql as raw } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { drafts, rewards } from '../db/schema.js';
import { MAX_BATCH_RECIPIENTS } from '../pactus/tx.js';
import type { DraftingService, DraftResult } from '../wallet/drafting.js';
import type { Requester } from '../wallet/drafts.js';
import { WalletError } from '../wallet/errors.js';

export interface PlannedPayout {
  recipients: { address: string; amount: bigint; rewardIds: number[] }[];
  total: bigint;
}

/** Unpaid rewards grouped per address, in batches of at most 8 recipients (PIP batch transfer limit). */
export function planPayouts(db: Db): PlannedPayout[] {
  const rows = db
    .select({ id: rewards.id, address: rewards.address, amount: rewards.amount })
    .from(rewards)
    .where(eq(rewards.status, 'unpaid'))
    .orderBy(rewards.address, rewards.id)
    .all();
  const byAddress = new Map<string, { amount: bigint; rewardIds: number[] }>();
  for (const r of rows) {
    const entry = byAddress.get(r.address) ?? { amount: 0n, rewardIds: [] };
    entry.amount += r.amount;
    entry.rewardIds.push(r.id);
    byAddress.set(r.address, entry);
  }
  const recipients = [...byAddress.entries()].map(([address, e]) => ({ address, ...e }));
  const batches: PlannedPayout[] = [];
  for (let i = 0; i < recipients.length; i += MAX_BATCH_RECIPIENTS) {
    const chunk = recipients.slice(i, i + MAX_BATCH_RECIPIENTS);
    batches.push({ recipients: chunk, total: chunk.reduce((s, r) => s + r.amount, 0n) });
  }
  return batches;
}

export interface CreatedPayout {
  plan: PlannedPayout;
  draft: DraftResult;
}

/**
 * Drafts payout transfers from the pool (a batch transfer per 8 recipients, a single transfer for a lone one)
 * for the pool operator to sign; the bot never holds the pool key. The rewards in a draft become `pending`
 * with it, in one transaction per draft, so a crash leaves each reward either unpaid or with exactly one payout.
 */
export async function createPayouts(
  db: Db,
  drafting: DraftingService,
  requester: Requester,
  poolAddress: string,
): Promise<CreatedPayout[]> {
  const created: CreatedPayout[] = [];
  for (const plan of planPayouts(db)) {
    const memo = `PIP-44 interaction rewards`;
    const draft =
      plan.recipients.length === 1
        ? await drafting.transfer(requester, {
            from: poolAddress,
            to: plan.recipients[0]!.address,
            amount: plan.recipients[0]!.amount,
            memo,
          })
        : await drafting.batchTransfer(requester, {
            from: poolAddress,
            recipients: plan.recipients.map((r) => ({ to: r.address, amount: r.amount })),
            memo,
          });
    const ids = plan.recipients.flatMap((r) => r.rewardIds);
    const claimed = db.transaction((tx) => {
      tx.update(drafts)
        .set({ meta: { payout: true } })
        .where(eq(drafts.id, draft.draftId))
        .run();
      return tx
        .update(rewards)
        .set({ status: 'pending', payoutDraftId: draft.draftId })
        .where(and(inArray(rewards.id, ids), eq(rewards.status, 'unpaid')))
        .run().changes;
    });
    if (claimed !== ids.length) {
      // Another payout run took some of these rewards meanwhile: this draft must not be signed.
      db.update(drafts).set({ status: 'cancelled' }).where(eq(drafts.id, draft.draftId)).run();
      db.update(rewards)
        .set({ status: 'unpaid', payoutDraftId: null })
        .where(eq(rewards.payoutDraftId, draft.draftId))
        .run();
      throw new WalletError('payout_race', 'Another payout run is in progress; try again.');
    }
    created.push({ plan, draft });
  }
  return created;
}

/**
 * Settles pending rewards against their payout drafts: paid when confirmed, back to unpaid when the draft failed,
 * expired or was cancelled. Idempotent; runs at start-up and on a timer (the confirmation hook does the same
 * atomically when the tracker confirms).
 */
export function reconcilePayouts(db: Db, now: number): { paid: number; returned: number } {
  const paid = db
    .update(rewards)
    .set({ status: 'paid', paidAt: now })
    .where(
      and(
        eq(rewards.status, 'pending'),
        raw`${rewards.payoutDraftId} IN (SELECT id FROM drafts WHERE status = 'confirmed')`,
      ),
    )
    .run().changes;
  const returned = db
    .update(rewards)
    .set({ status: 'unpaid', payoutDraftId: null })
    .where(
      and(
        eq(rewards.status, 'pending'),
        raw`${rewards.payoutDraftId} IN (SELECT id FROM drafts WHERE status IN ('failed', 'expired', 'cancelled'))`,
      ),
    )
    .run().changes;
  return { paid, returned };
}
