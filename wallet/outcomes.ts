import type { Db, Sql } from '../db/connection.js';
import { chatAccountById } from './accounts.js';
import { setDraftStatus, type DraftRow } from './drafts.js';
import { writeOutbox } from './outbox.js';
import { LOCK_TIME_WINDOW } from '../pactus/node/watcher.js';

/** Runs inside the confirming transaction, e.g. so a reward is accrued atomically with the confirmation. */
export type ConfirmationHook = (tx: Sql, draft: DraftRow, blockHeight: number) => void;

/** Tells the person who asked, in a direct message, what became of their draft. */
export function notifyDraftOutcome(
  db: Sql,
  draft: DraftRow,
  outcome: { status: 'confirmed' | 'failed'; blockHeight?: number; reason?: string },
): void {
  const account = chatAccountById(db, draft.chatAccountId);
  if (!account) return;
  writeOutbox(db, {
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

export function confirmDraft(
  db: Db,
  draft: DraftRow,
  blockHeight: number,
  now: number,
  hooks: ConfirmationHook[],
): boolean {
  return db.transaction((tx) => {
    if (!setDraftStatus(tx, draft.id, ['submitted'], { status: 'confirmed', blockHeight, finishedAt: now }))
      return false;
    notifyDraftOutcome(tx, draft, { status: 'confirmed', blockHeight });
    for (const hook of hooks) hook(tx, draft, blockHeight);
    return true;
  });
}

export function failDraft(db: Db, draft: DraftRow, reason: string, now: number): boolean {
  return db.transaction((tx) => {
    if (
      !setDraftStatus(tx, draft.id, ['submitted', 'pending'], {
        status: 'failed',
        failureReason: reason,
        finishedAt: now,
      })
    )
      return false;
    notifyDraftOutcome(tx, draft, { status: 'failed', reason });
    return true;
  });
}

/**
 * Tells the person, once, that their signed transaction is not being mined: the node accepted the broadcast
 * but holds it in neither its pool nor a block. The bot keeps sending it until its lock time passes.
 */
export function notifyDraftStalled(
  db: Sql,
  draft: DraftRow,
  detail: { sinceHeight: number; lockTime: number | null },
): void {
  const account = chatAccountById(db, draft.chatAccountId);
  if (!account) return;
  writeOutbox(db, {
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
      // The last block that can still include it (the lock-time window: pactus/node/watcher.ts).
      lastHeight: detail.lockTime === null ? null : detail.lockTime + LOCK_TIME_WINDOW - 1,
    },
  });
}
