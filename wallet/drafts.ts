import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, lt } from 'drizzle-orm';
import type { Sql } from '../db/connection.js';
import { drafts, linkTokens, type DraftKind, type DraftStatus } from '../db/schema.js';
import type { Network } from '../pactus/network.js';
import { newLinkToken, signingUrl } from './tokens.js';

export type DraftRow = typeof drafts.$inferSelect;

export interface Requester {
  chatAccountId: number;
  platform: string;
  /** The chat the request came from (for replies in context); null for DMs. */
  chatId?: string | null;
}

export interface NewDraft {
  kind: DraftKind;
  network: Network;
  signer: string;
  expiresAt: number;
  unsignedTx?: string;
  txId?: string;
  lockTime?: number;
  message?: string;
  meta?: Record<string, unknown>;
}

export interface IssuedLink {
  draft: DraftRow;
  token: string;
  url: string;
}

/** Persists a draft and its one-time link token in one transaction; the token itself is returned, never stored. */
export function createDraftWithLink(
  db: Sql,
  requester: Requester,
  draft: NewDraft,
  publicUrl: string,
): IssuedLink {
  const { token, hash } = newLinkToken();
  const id = randomUUID();
  const row = db.transaction((tx) => {
    const inserted = tx
      .insert(drafts)
      .values({
        id,
        chatAccountId: requester.chatAccountId,
        platform: requester.platform,
        chatId: requester.chatId ?? null,
        kind: draft.kind,
        network: draft.network,
        signer: draft.signer,
        unsignedTx: draft.unsignedTx ?? null,
        txId: draft.txId ?? null,
        lockTime: draft.lockTime ?? null,
        message: draft.message ?? null,
        meta: draft.meta ?? null,
        expiresAt: draft.expiresAt,
      })
      .returning()
      .get();
    tx.insert(linkTokens).values({ tokenHash: hash, draftId: id, expiresAt: draft.expiresAt }).run();
    return inserted;
  });
  return { draft: row, token, url: signingUrl(publicUrl, token) };
}

export function draftById(db: Sql, id: string): DraftRow | undefined {
  return db.select().from(drafts).where(eq(drafts.id, id)).get();
}

export function draftByTokenHash(
  db: Sql,
  tokenHash: string,
): { draft: DraftRow; usedAt: number | null; expiresAt: number } | undefined {
  const row = db
    .select({ draft: drafts, usedAt: linkTokens.usedAt, expiresAt: linkTokens.expiresAt })
    .from(linkTokens)
    .innerJoin(drafts, eq(drafts.id, linkTokens.draftId))
    .where(eq(linkTokens.tokenHash, tokenHash))
    .get();
  return row;
}

/** A person's drafts still waiting for a signature, newest first. */
export function pendingDraftsOf(db: Sql, chatAccountId: number): DraftRow[] {
  return db
    .select()
    .from(drafts)
    .where(and(eq(drafts.chatAccountId, chatAccountId), eq(drafts.status, 'pending')))
    .orderBy(desc(drafts.createdAt))
    .all();
}

export function draftsByTxId(db: Sql, txId: string): DraftRow[] {
  return db.select().from(drafts).where(eq(drafts.txId, txId)).all();
}

export function draftsWithStatus(db: Sql, statuses: DraftStatus[]): DraftRow[] {
  return db.select().from(drafts).where(inArray(drafts.status, statuses)).all();
}

/**
 * Consumes a link: succeeds for exactly one caller, only while the token is unused and unexpired and the draft
 * still pending. Runs inside the caller's transaction.
 */
export function consumeLink(tx: Sql, tokenHash: string, draftId: string, now: number): boolean {
  const used = tx
    .update(linkTokens)
    .set({ usedAt: now })
    .where(and(eq(linkTokens.tokenHash, tokenHash), isNull(linkTokens.usedAt), gt(linkTokens.expiresAt, now)))
    .run();
  if (used.changes !== 1) return false;
  const moved = tx
    .update(drafts)
    .set({ status: 'submitted', submittedAt: now })
    .where(and(eq(drafts.id, draftId), eq(drafts.status, 'pending')))
    .run();
  return moved.changes === 1;
}

export function setDraftStatus(
  tx: Sql,
  id: string,
  from: DraftStatus[],
  values: Partial<Pick<DraftRow, 'status' | 'signedTx' | 'failureReason' | 'blockHeight' | 'finishedAt'>>,
): boolean {
  return (
    tx
      .update(drafts)
      .set(values)
      .where(and(eq(drafts.id, id), inArray(drafts.status, from)))
      .run().changes === 1
  );
}

/** Marks pending drafts whose link has expired; returns how many. */
export function expireStaleDrafts(db: Sql, now: number): number {
  return db
    .update(drafts)
    .set({ status: 'expired', finishedAt: now })
    .where(and(eq(drafts.status, 'pending'), lt(drafts.expiresAt, now)))
    .run().changes;
}

/** A person can cancel their own pending draft from chat; its link stops working. */
export function cancelDraft(db: Sql, id: string, chatAccountId: number, now: number): boolean {
  return (
    db
      .update(drafts)
      .set({ status: 'cancelled', finishedAt: now })
      .where(and(eq(drafts.id, id), eq(drafts.chatAccountId, chatAccountId), eq(drafts.status, 'pending')))
      .run().changes === 1
  );
}
