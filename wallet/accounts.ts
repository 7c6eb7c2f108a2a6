import { and, asc, eq } from 'drizzle-orm';
import type { Sql } from '../db/connection.js';
import { chatAccounts, linkedAddresses } from '../db/schema.js';
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
export function ensureChatAccount(db: Sql, identity: ChatIdentity): number {
  const existing = db
    .select({ id: chatAccounts.id })
    .from(chatAccounts)
    .where(
      and(eq(chatAccounts.platform, identity.platform), eq(chatAccounts.platformUserId, identity.userId)),
    )
    .get();
  if (existing) return existing.id;
  const row = db
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
    .returning({ id: chatAccounts.id })
    .get();
  return row.id;
}

export function chatAccountById(db: Sql, id: number) {
  return db.select().from(chatAccounts).where(eq(chatAccounts.id, id)).get();
}

export function linkedAddressesOf(db: Sql, chatAccountId: number): LinkedAddress[] {
  return db
    .select({
      address: linkedAddresses.address,
      isPrimary: linkedAddresses.isPrimary,
      linkedAt: linkedAddresses.linkedAt,
    })
    .from(linkedAddresses)
    .where(eq(linkedAddresses.chatAccountId, chatAccountId))
    .orderBy(asc(linkedAddresses.id))
    .all();
}

export function primaryAddressOf(db: Sql, chatAccountId: number): string | null {
  const all = linkedAddressesOf(db, chatAccountId);
  return (all.find((a) => a.isPrimary) ?? all[0])?.address ?? null;
}

/** Adds a proven address; the first one becomes primary. Idempotent. */
export function addLinkedAddress(db: Sql, chatAccountId: number, address: string): void {
  db.transaction((tx) => {
    const hasAny = tx
      .select({ id: linkedAddresses.id })
      .from(linkedAddresses)
      .where(eq(linkedAddresses.chatAccountId, chatAccountId))
      .get();
    tx.insert(linkedAddresses)
      .values({ chatAccountId, address, isPrimary: !hasAny })
      .onConflictDoNothing()
      .run();
  });
}

export function setPrimaryAddress(db: Sql, chatAccountId: number, address: string): void {
  db.transaction((tx) => {
    const row = tx
      .select({ id: linkedAddresses.id })
      .from(linkedAddresses)
      .where(and(eq(linkedAddresses.chatAccountId, chatAccountId), eq(linkedAddresses.address, address)))
      .get();
    if (!row) throw new WalletError('not_linked', `${address} is not linked to your account.`);
    tx.update(linkedAddresses)
      .set({ isPrimary: false })
      .where(eq(linkedAddresses.chatAccountId, chatAccountId))
      .run();
    tx.update(linkedAddresses).set({ isPrimary: true }).where(eq(linkedAddresses.id, row.id)).run();
  });
}

/** Removes a link; if it was primary, the oldest remaining address becomes primary. */
export function unlinkAddress(db: Sql, chatAccountId: number, address: string): void {
  db.transaction((tx) => {
    const removed = tx
      .delete(linkedAddresses)
      .where(and(eq(linkedAddresses.chatAccountId, chatAccountId), eq(linkedAddresses.address, address)))
      .returning({ isPrimary: linkedAddresses.isPrimary })
      .get();
    if (!removed) throw new WalletError('not_linked', `${address} is not linked to your account.`);
    if (removed.isPrimary) {
      const next = tx
        .select({ id: linkedAddresses.id })
        .from(linkedAddresses)
        .where(eq(linkedAddresses.chatAccountId, chatAccountId))
        .orderBy(asc(linkedAddresses.id))
        .get();
      if (next)
        tx.update(linkedAddresses).set({ isPrimary: true }).where(eq(linkedAddresses.id, next.id)).run();
    }
  });
}
