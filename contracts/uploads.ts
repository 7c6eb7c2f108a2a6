import { and, eq, gt, isNull } from 'drizzle-orm';
import { tables, type Sql } from '../db/connection.js';

/** How long an upload link works. */
export const UPLOAD_TTL_MS = 15 * 60 * 1000;

/** Stores a new upload link (its token's hash) for the person. */
export async function storeUploadToken(
  db: Sql,
  tokenHash: string,
  chatAccountId: number,
  now: number,
): Promise<void> {
  const { uploadTokens: u } = tables(db);
  await db.insert(u).values({ tokenHash, chatAccountId, expiresAt: now + UPLOAD_TTL_MS });
}

/** Whom an upload link is for while it can still be used (not used, not expired), without using it. */
export async function uploadTokenOwner(db: Sql, tokenHash: string, now: number): Promise<number | null> {
  const { uploadTokens: u } = tables(db);
  const [row] = await db
    .select({ chatAccountId: u.chatAccountId })
    .from(u)
    .where(and(eq(u.tokenHash, tokenHash), isNull(u.usedAt), gt(u.expiresAt, now)))
    .limit(1);
  return row?.chatAccountId ?? null;
}

/**
 * Uses an upload link: the person it was made for, or null when it is unknown, expired or used. One statement, so
 * of two uploads through one link only one gets through.
 */
export async function takeUploadToken(db: Sql, tokenHash: string, now: number): Promise<number | null> {
  const { uploadTokens: u } = tables(db);
  const [row] = await db
    .update(u)
    .set({ usedAt: now })
    .where(and(eq(u.tokenHash, tokenHash), isNull(u.usedAt), gt(u.expiresAt, now)))
    .returning({ chatAccountId: u.chatAccountId });
  return row?.chatAccountId ?? null;
}
