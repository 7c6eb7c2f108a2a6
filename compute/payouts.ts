// An epoch on chain and paid: the deployment's operator signs a 0-PAC memo transaction that anchors the epoch's
// hash (compute/epoch.ts epochHash: every field of the bundle, the receipts by their root), then the pool's operator
// signs batch transfers of the shares. The bot only drafts; each payout is marked paid when its transaction confirms.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { anchorMemo } from '../deployment/anchors.js';
import { tables, transaction, type Sql } from '../db/connection.js';
import { holdLease, releaseLease } from '../db/leases.js';
import { MAX_BATCH_RECIPIENTS } from '../pactus/tx-types.js';
import type { DraftRow, Requester } from '../wallet/drafts.js';
import type { DraftResult } from '../wallet/draft-issue.js';
import type { DraftingService } from '../wallet/drafting.js';
import { WalletError } from '../wallet/errors.js';
import { epochHash, type EpochBundle } from './epoch.js';
import { epochRow } from './ledger.js';
import type { ComputeService } from './service.js';
import type { Network } from '../pactus/network.js';
import { parsePublicKey } from '../pactus/keys.js';

function poolOf(compute: ComputeService): string {
  const pool = compute.config.poolAddress;
  if (!pool)
    throw new WalletError(
      'no_pool',
      'No compute pool is configured (COMPUTE_POOL_ADDRESS), so nothing is paid.',
    );
  return pool;
}

/** Drafts still open to signing or on their way into a block: another of the same would be a second payment. */
const OPEN_DRAFTS = ['pending', 'held', 'submitted', 'confirmed'] as const;

/**
 * Drafts the anchor of a closed epoch for the deployment's operator (the one its bundle names), once: while one is
 * open to signing, another is refused (two signed would put the anchor on chain twice, and only the newer draft's
 * confirmation would be recorded).
 */
export const draftAnchor = (
  compute: ComputeService,
  drafting: DraftingService,
  requester: Requester,
  epoch: number,
): Promise<DraftResult> =>
  oneAtATime(compute.db, 'anchor', epoch, () => draftAnchorHeld(compute, drafting, requester, epoch));

async function draftAnchorHeld(
  compute: ComputeService,
  drafting: DraftingService,
  requester: Requester,
  epoch: number,
): Promise<DraftResult> {
  const row = await epochRow(compute.db, epoch);
  if (!row) throw new WalletError('not_closed', `Compute epoch ${epoch} is not closed yet.`);
  if (row.anchorTxId)
    throw new WalletError('anchored', `Epoch ${epoch} is already anchored in ${row.anchorTxId}.`);
  if (row.anchorDraftId) {
    const { drafts } = tables(compute.db);
    const open = await compute.db
      .select({ id: drafts.id })
      .from(drafts)
      .where(and(eq(drafts.id, row.anchorDraftId), inArray(drafts.status, [...OPEN_DRAFTS])));
    if (open.length)
      throw new WalletError(
        'anchor_drafted',
        `The anchor of epoch ${epoch} is already drafted: sign that link (or let it expire to draft another).`,
      );
  }
  const bundle = row.bundle as unknown as EpochBundle;
  if (!bundle.deployment)
    throw new WalletError(
      'no_operator',
      `Epoch ${epoch} is under no deployment (OPERATOR_ADDRESS is not set), so it cannot be anchored.`,
    );
  const manifest = await compute.config.deployment?.recordAt(bundle.startHeight);
  if (!manifest?.anchor)
    throw new WalletError(
      'manifest_unanchored',
      `This deployment's manifest is not anchored yet: anchor it first ("anchor deployment"), or no verifier can tell whose books these are.`,
    );
  const draft = await drafting.memoRecord(requester, {
    from: bundle.deployment.operator,
    memo: anchorMemo('epoch', epoch, epochHash(bundle)),
  });
  const { computeEpochs: e, drafts } = tables(compute.db);
  await transaction(compute.db, async (tx) => {
    await tx
      .update(drafts)
      .set({ meta: { computeAnchor: epoch } })
      .where(eq(drafts.id, draft.draftId));
    await tx.update(e).set({ anchorDraftId: draft.draftId }).where(eq(e.epoch, epoch));
  });
  return draft;
}

/** Each contributor's share, to the account of its key, in batches of at most 8. */
export function payoutPlan(bundle: EpochBundle): { address: string; amount: bigint }[][] {
  const keyOf = new Map(bundle.receipts.map((r) => [r.contributor, r.publicKey]));
  const due = Object.entries(bundle.shares)
    .filter(([, amount]) => BigInt(amount) > 0n)
    .map(([contributor, amount]) => ({
      address: payoutAccount(keyOf.get(contributor)!, bundle.network),
      amount: BigInt(amount),
    }));
  const batches: { address: string; amount: bigint }[][] = [];
  for (let i = 0; i < due.length; i += MAX_BATCH_RECIPIENTS)
    batches.push(due.slice(i, i + MAX_BATCH_RECIPIENTS));
  return batches;
}

/** How long one process may take to draft an epoch's anchor or payouts before another may try (released when done). */
const DRAFTING_LEASE_MS = 5 * 60_000;

/**
 * Runs `draft` while holding the epoch's drafting lease (db/leases.ts: both stores, across processes), or refuses:
 * a check for drafts already open and the drafts it allows are not one transaction (drafting asks the node for
 * fees), so without it two asks at once both found nothing open and both drafted.
 */
async function oneAtATime<T>(db: Sql, what: string, epoch: number, draft: () => Promise<T>): Promise<T> {
  const lease = `compute-${what}:${epoch}`;
  const holder = randomUUID();
  if (!(await holdLease(db, lease, holder, Date.now(), DRAFTING_LEASE_MS)))
    throw new WalletError(
      'drafting_busy',
      `The ${what} of epoch ${epoch} ${what === 'payouts' ? 'are' : 'is'} being drafted right now.`,
    );
  try {
    return await draft();
  } finally {
    await releaseLease(db, lease, holder);
  }
}

/**
 * Drafts the payouts of an anchored epoch, once: a second call while they are open or paid is refused, and so is one
 * made while another (in this process or another) is drafting them (pool.test.ts asks twice at once).
 */
export const draftPayouts = (
  compute: ComputeService,
  drafting: DraftingService,
  requester: Requester,
  epoch: number,
): Promise<DraftResult[]> =>
  oneAtATime(compute.db, 'payouts', epoch, () => draftPayoutsHeld(compute, drafting, requester, epoch));

async function draftPayoutsHeld(
  compute: ComputeService,
  drafting: DraftingService,
  requester: Requester,
  epoch: number,
): Promise<DraftResult[]> {
  const row = await epochRow(compute.db, epoch);
  if (!row) throw new WalletError('not_closed', `Compute epoch ${epoch} is not closed yet.`);
  if (!row.anchorTxId)
    throw new WalletError(
      'not_anchored',
      `Epoch ${epoch} is paid after its root is anchored on chain: anchor it first.`,
    );
  const { computePayouts: p, drafts } = tables(compute.db);
  // A payout whose draft failed, expired or was cancelled no longer counts: the epoch can be drafted again.
  const open = await compute.db
    .select({ id: p.id })
    .from(p)
    .innerJoin(drafts, eq(drafts.id, p.draftId))
    .where(
      and(
        eq(p.epoch, epoch),
        inArray(p.status, ['drafted', 'paid']),
        inArray(drafts.status, [...OPEN_DRAFTS]),
      ),
    );
  if (open.length)
    throw new WalletError('payouts_exist', `The payouts of epoch ${epoch} are already drafted.`);
  const pool = poolOf(compute);
  const memo = `PIP-44 compute epoch ${epoch}`;
  const created: DraftResult[] = [];
  for (const batch of payoutPlan(row.bundle as unknown as EpochBundle)) {
    const draft = await drafting.payout(requester, {
      from: pool,
      recipients: batch.map((r) => ({ to: r.address, amount: r.amount })),
      memo,
    });
    await transaction(compute.db, async (tx) => {
      await tx
        .update(drafts)
        .set({ meta: { computePayout: epoch } })
        .where(eq(drafts.id, draft.draftId));
      await tx.insert(p).values({
        epoch,
        draftId: draft.draftId,
        recipients: batch.map((r) => ({ address: r.address, amount: r.amount.toString() })),
        createdAt: Date.now(),
      });
    });
    created.push(draft);
  }
  return created;
}

/** Tracker hook, inside the confirming transaction: an anchor is recorded, a payout is paid, once. */
export async function onComputeConfirmed(tx: Sql, draft: DraftRow, blockHeight: number): Promise<void> {
  const { computeEpochs: e, computePayouts: p } = tables(tx);
  if (typeof draft.meta?.computeAnchor === 'number')
    await tx
      .update(e)
      .set({ status: 'anchored', anchorTxId: draft.txId, anchorHeight: blockHeight })
      .where(and(eq(e.epoch, draft.meta.computeAnchor), eq(e.anchorDraftId, draft.id)));
  if (typeof draft.meta?.computePayout === 'number')
    await tx
      .update(p)
      .set({ status: 'paid' })
      .where(and(eq(p.draftId, draft.id), eq(p.status, 'drafted')));
}

/** Where a contributor's share is paid: the account of the same BLS key that runs its validator. */
export function payoutAccount(receiptPublicKey: string, network: Network): string {
  return parsePublicKey(receiptPublicKey).key.accountAddress().toString(network);
}
