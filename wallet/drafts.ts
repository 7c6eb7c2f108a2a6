import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { type Sql, first, tables, transaction } from '../db/connection.js';
import { type DraftKind, type DraftStatus, type drafts as DraftsTable } from '../db/schema.js';
import type { Network } from '../pactus/network.js';
import { newLinkToken, signingUrl } from './tokens.js';

export type DraftRow = typeof DraftsTable.$inferSelect;

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
export async function createDraftWithLink(
  db: Sql,
  requester: Requester,
  draft: NewDraft,
  publicUrl: string,
): Promise<IssuedLink> {
  const { drafts, linkTokens } = tables(db);
  const { token, hash } = newLinkToken();
  const id = randomUUID();
  const row = await transaction(db, async (tx) => {
    const inserted = await first(
      tx
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
        .returning(),
    );
    await tx.insert(linkTokens).values({ tokenHash: hash, draftId: id, expiresAt: draft.expiresAt });
    return inserted!;
  });
  return { draft: row, token, url: signingUrl(publicUrl, token) };
}

export async function draftById(db: Sql, id: string): Promise<DraftRow | undefined> {
  const { drafts } = tables(db);
  return first(db.select().from(drafts).where(eq(drafts.id, id)).limit(1));
}

export async function draftByTokenHash(
  db: Sql,
  tokenHash: string,
): Promise<{ draft: DraftRow; usedAt: number | null; expiresAt: number } | undefined> {
  const { drafts, linkTokens } = tables(db);
  const row = await first(
    db
      .select({ draft: drafts, usedAt: linkTokens.usedAt, expiresAt: linkTokens.expiresAt })
      .from(linkTokens)
      .innerJoin(drafts, eq(drafts.id, linkTokens.draftId))
      .where(eq(linkTokens.tokenHash, tokenHash))
      .limit(1),
  );
  return row;
}

/** A person's drafts still waiting for a signature, newest first. */
export async function pendingDraftsOf(db: Sql, chatAccountId: number): Promise<DraftRow[]> {
  const { drafts } = tables(db);
  return db
    .select()
    .from(drafts)
    .where(and(eq(drafts.chatAccountId, chatAccountId), eq(drafts.status, 'pending')))
    .orderBy(desc(drafts.createdAt));
}

export async function draftsByTxId(db: Sql, txId: string): Promise<DraftRow[]> {
  const { drafts } = tables(db);
  return db.select().from(drafts).where(eq(drafts.txId, txId));
}

export async function draftsWithStatus(db: Sql, statuses: DraftStatus[]): Promise<DraftRow[]> {
  const { drafts } = tables(db);
  return db.select().from(drafts).where(inArray(drafts.status, statuses));
}

/**
 * Consumes a link: succeeds for exactly one caller, only while the token is unused and unexpired and the draft
 * still pending. Runs inside the caller's transaction.
 */
export async function consumeLink(
  tx: Sql,
  tokenHash: string,
  draftId: string,
  now: number,
): Promise<boolean> {
  const { drafts, linkTokens } = tables(tx);
  const used = await tx
    .update(linkTokens)
    .set({ usedAt: now })
    .where(and(eq(linkTokens.tokenHash, tokenHash), isNull(linkTokens.usedAt), gt(linkTokens.expiresAt, now)))
    .returning({ one: sql`1` });
  if (used.length !== 1) return false;
  const moved = await tx
    .update(drafts)
    .set({ status: 'submitted', submittedAt: now })
    .where(and(eq(drafts.id, draftId), eq(drafts.status, 'pending')))
    .returning({ one: sql`1` });
  return moved.length === 1;
}

export async function setDraftStatus(
  tx: Sql,
  id: string,
  from: DraftStatus[],
  values: Partial<Pick<DraftRow, 'status' | 'signedTx' | 'failureReason' | 'blockHeight' | 'finishedAt'>>,
): Promise<boolean> {
  const { drafts } = tables(tx);
  return (
    (
      await tx
        .update(drafts)
        .set(values)
        .where(and(eq(drafts.id, id), inArray(drafts.status, from)))
        .returning({ one: sql`1` })
    ).length === 1
  );
}

/** Marks pending drafts whose link has expired; returns how many. */
export async function expireStaleDrafts(db: Sql, now: number): Promise<number> {
  const { drafts } = tables(db);
  return (
    await db
      .update(drafts)
      .set({ status: 'expired', finishedAt: now })
      .where(and(eq(drafts.status, 'pending'), lt(drafts.expiresAt, now)))
      .returning({ one: sql`1` })
  ).length;
}

/** A person can cancel their own pending draft from chat; its link stops working. */
export async function cancelDraft(db: Sql, id: string, chatAccountId: number, now: number): Promise<boolean> {
  const { drafts } = tables(db);
  return (
    (
      await db
        .update(drafts)
        .set({ status: 'cancelled', finishedAt: now })
        .where(and(eq(drafts.id, id), eq(drafts.chatAccountId, chatAccountId), eq(drafts.status, 'pending')))
        .returning({ one: sql`1` })
    ).length === 1
  );
}
