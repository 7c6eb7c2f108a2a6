import { type Db, type Sql, transaction } from '../db/connection.js';
import { chatAccountById } from './accounts.js';
import { setDraftStatus, type DraftRow } from './drafts.js';
import { writeOutbox } from './outbox.js';
import { LOCK_TIME_WINDOW } from '../chain/watcher.js';

/** Runs inside the confirming transaction, e.g. so a reward is accrued atomically with the confirmation. */
export type ConfirmationHook = (tx: Sql, draft: DraftRow, blockHeight: number) => Promise<void>;

/** Tells the person who asked, in a direct message, what became of their draft. */
export async function notifyDraftOutcome(
  db: Sql,
  draft: DraftRow,
  outcome: { status: 'confirmed' | 'failed'; blockHeight?: number; reason?: string },
): Promise<void> {
  const account = await chatAccountById(db, draft.chatAccountId);
  if (!account) return;
  await writeOutbox(db, {
    dedupeKey: `draft:${draft.id}:outcome`,
    chatAccountId: draft.chatAccountId,
    platform: draft.platform,
    recipient: account.platformUserId,
    kind: 'draft_outcome',
    payload: {
      draftId: draft.id,
      draftKind: draft.kind,
      status: outcome.status,
      txId: draft.txId,
      blockHeight: outcome.blockHeight ?? null,
      reason: outcome.reason ?? null,
      chatId: draft.chatId,
    },
  });
}

export async function confirmDraft(
  db: Db,
  draft: DraftRow,
  blockHeight: number,
  now: number,
  hooks: ConfirmationHook[],
): Promise<boolean> {
  return await transaction(db, async (tx) => {
    if (
      !(await setDraftStatus(tx, draft.id, ['submitted'], {
        status: 'confirmed',
        blockHeight,
        finishedAt: now,
      }))
    )
      return false;
    await notifyDraftOutcome(tx, draft, { status: 'confirmed', blockHeight });
    for (const hook of hooks) await hook(tx, draft, blockHeight);
    return true;
  });
}

export async function failDraft(db: Db, draft: DraftRow, reason: string, now: number): Promise<boolean> {
  return await transaction(db, async (tx) => {
    if (
      !(await setDraftStatus(tx, draft.id, ['submitted', 'pending', 'held'], {
        status: 'failed',
        failureReason: reason,
        finishedAt: now,
      }))
    )
      return false;
    await notifyDraftOutcome(tx, draft, { status: 'failed', reason });
    return true;
  });
}

/**
 * Tells the person, once, that their signed transaction is not being mined: the node accepted the broadcast
 * but holds it in neither its pool nor a block. The bot keeps sending it until its lock time passes.
 */
export async function notifyDraftStalled(
  db: Sql,
  draft: DraftRow,
  /** `fee` and `minimumFee` when the fee is known to be below the node's minimum (NanoPAC). */
  detail: { sinceHeight: number; lockTime: number | null; fee?: bigint; minimumFee?: bigint },
): Promise<void> {
  const account = await chatAccountById(db, draft.chatAccountId);
  if (!account) return;
  await writeOutbox(db, {
    dedupeKey: `draft:${draft.id}:stalled`,
    chatAccountId: draft.chatAccountId,
    platform: draft.platform,
    recipient: account.platformUserId,
    kind: 'draft_stalled',
    payload: {
      draftId: draft.id,
      draftKind: draft.kind,
      txId: draft.txId,
      sinceHeight: detail.sinceHeight,
      // The last block that can still include it (the lock-time window: chain/watcher.ts).
      lastHeight: detail.lockTime === null ? null : detail.lockTime + LOCK_TIME_WINDOW - 1,
      ...(detail.minimumFee !== undefined
        ? { fee: String(detail.fee), minimumFee: String(detail.minimumFee) }
        : {}),
    },
  });
}
