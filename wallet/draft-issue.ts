import type { Db } from '../db/connection.js';
import type { DraftKind } from '../db/schema.js';
import { txFingerprint } from '../pactus/fingerprint.js';
import { LOCK_TIME_WINDOW } from '../chain/watcher.js';
import { encodeTransactionHex, transactionId, type Transaction } from '../pactus/tx.js';
import { viewTransaction, type TransactionView } from '../pactus/view.js';
import type { WalletConfig } from './config.js';
import { createDraftWithLink, type Requester } from './drafts.js';

/** What a person gets back for a draft: the link, and the transaction to render (decoded, never paraphrased). */
export interface DraftResult {
  draftId: string;
  url: string;
  expiresAt: number;
  fingerprint: string;
  tx: Transaction;
  view: TransactionView;
  signer: string;
  /** True when the sender is not one of the requester's linked addresses. */
  signerUnlinked: boolean;
  /** Things to know before signing (e.g. the validator is in the committee, so the bond waits). */
  notes: string[];
}

/**
 * Stores an unsigned transaction as a draft with its one-time signing link. The link dies with the transaction's
 * lock-time window or the configured link lifetime, whichever comes first.
 */
export async function issueTransactionDraft(
  db: Db,
  config: WalletConfig,
  requester: Requester,
  draft: { kind: DraftKind; tx: Transaction; signer: string; signerUnlinked: boolean; notes: string[] },
): Promise<DraftResult> {
  const { tx } = draft;
  const id = transactionId(tx);
  const windowMs = LOCK_TIME_WINDOW * config.blockIntervalMs;
  const expiresAt = config.now() + Math.min(config.linkTtlMs, windowMs);
  const issued = await createDraftWithLink(
    db,
    requester,
    {
      kind: draft.kind,
      network: config.network,
      signer: draft.signer,
      unsignedTx: encodeTransactionHex(tx),
      txId: id,
      lockTime: tx.lockTime,
      expiresAt,
    },
    config.publicUrl,
  );
  return {
    draftId: issued.draft.id,
    url: issued.url,
    expiresAt,
    fingerprint: txFingerprint(id),
    tx,
    view: viewTransaction(tx, config.network),
    signer: draft.signer,
    signerUnlinked: draft.signerUnlinked,
    notes: draft.notes,
  };
}
