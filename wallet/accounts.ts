import { and, asc, eq } from 'drizzle-orm';
import { type Sql, first, tables, transaction } from '../db/connection.js';
import { WalletError } from './errors.js';

export interface ChatIdentity {
  platform: string;
  userId: string;
  displayName?: string;
}

export interface LinkedAddress {
  address: string;
  isPrimary: boolean;
  linkedAt: number;
}

/** Finds or creates the chat account of a platform user; returns its id. */
export async function ensureChatAccount(db: Sql, identity: ChatIdentity): Promise<number> {
  const { chatAccounts } = tables(db);
  const existing = await first(
    db
      .select({ id: chatAccounts.id })
      .from(chatAccounts)
      .where(
        and(eq(chatAccounts.platform, identity.platform), eq(chatAccounts.platformUserId, identity.userId)),
      )
      .limit(1),
  );
  if (existing) return existing.id;
  const row = await first(
    db
      .insert(chatAccounts)
      .values({
        platform: identity.platform,
        platformUserId: identity.userId,
        displayName: identity.displayName ?? null,
      })
      .onConflictDoUpdate({
        target: [chatAccounts.platform, chatAccounts.platformUserId],
        set: { platform: identity.platform },
      })
      .returning({ id: chatAccounts.id }),
  );
  return row!.id;
}

export async function chatAccountById(db: Sql, id: number) {
  const { chatAccounts } = tables(db);
  return first(db.select().from(chatAccounts).where(eq(chatAccounts.id, id)).limit(1));
}

export async function linkedAddressesOf(db: Sql, chatAccountId: number): Promise<LinkedAddress[]> {
  const { linkedAddresses } = tables(db);
  return db
    .select({
      address: linkedAddresses.address,
      isPrimary: linkedAddresses.isPrimary,
      linkedAt: linkedAddresses.linkedAt,
    })
    .from(linkedAddresses)
    .where(eq(linkedAddresses.chatAccountId, chatAccountId))
    .orderBy(asc(linkedAddresses.id));
}

export async function primaryAddressOf(db: Sql, chatAccountId: number): Promise<string | null> {
  const all = await linkedAddressesOf(db, chatAccountId);
  return (all.find((a) => a.isPrimary) ?? all[0])?.address ?? null;
}

/** Adds a proven address; the first one becomes primary. Idempotent. */
export async function addLinkedAddress(db: Sql, chatAccountId: number, address: string): Promise<void> {
  const { linkedAddresses } = tables(db);
  await transaction(db, async (tx) => {
    const hasAny = await first(
      tx
        .select({ id: linkedAddresses.id })
        .from(linkedAddresses)
        .where(eq(linkedAddresses.chatAccountId, chatAccountId))
        .limit(1),
    );
    await tx
      .insert(linkedAddresses)
      .values({ chatAccountId, address, isPrimary: !hasAny })
      .onConflictDoNothing();
  });
}

export async function setPrimaryAddress(db: Sql, chatAccountId: number, address: string): Promise<void> {
  const { linkedAddresses } = tables(db);
  await transaction(db, async (tx) => {
    const row = await first(
      tx
        .select({ id: linkedAddresses.id })
        .from(linkedAddresses)
        .where(and(eq(linkedAddresses.chatAccountId, chatAccountId), eq(linkedAddresses.address, address)))
        .limit(1),
    );
    if (!row) throw new WalletError('not_linked', `${address} is not linked to your account.`);
    await tx
      .update(linkedAddresses)
      .set({ isPrimary: false })
      .where(eq(linkedAddresses.chatAccountId, chatAccountId));
    await tx.update(linkedAddresses).set({ isPrimary: true }).where(eq(linkedAddresses.id, row.id));
  });
}

/** Removes a link; if it was primary, the oldest remaining address becomes primary. */
export async function unlinkAddress(db: Sql, chatAccountId: number, address: string): Promise<void> {
  const { linkedAddresses } = tables(db);
  await transaction(db, async (tx) => {
    const removed = await first(
      tx
        .delete(linkedAddresses)
        .where(and(eq(linkedAddresses.chatAccountId, chatAccountId), eq(linkedAddresses.address, address)))
        .returning({ isPrimary: linkedAddresses.isPrimary }),
    );
    if (!removed) throw new WalletError('not_linked', `${address} is not linked to your account.`);
    if (removed.isPrimary) {
      const next = await first(
        tx
          .select({ id: linkedAddresses.id })
          .from(linkedAddresses)
          .where(eq(linkedAddresses.chatAccountId, chatAccountId))
          .orderBy(asc(linkedAddresses.id))
          .limit(1),
      );
      if (next)
        await tx.update(linkedAddresses).set({ isPrimary: true }).where(eq(linkedAddresses.id, next.id));
    }
  });
}
