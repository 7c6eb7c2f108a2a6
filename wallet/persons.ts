import { inArray } from 'drizzle-orm';
import { type Sql, tables } from '../db/connection.js';

export interface Person {
  /** The lowest chat account id of the group: stable while the group only grows. */
  id: number;
  chatAccountIds: number[];
  addresses: string[];
}

/**
 * The person behind a chat account: every chat account linked to an address this one linked, and so on (one
 * person with a Discord and a Telegram account, or someone who shares a wallet). Caps count per person, so
 * more accounts or more addresses do not mean more rewards; limits a person sets (wallet/limits) hold on every
 * account of theirs.
 */
export async function personOf(db: Sql, chatAccountId: number): Promise<Person> {
  const { linkedAddresses } = tables(db);
  const accounts = new Set([chatAccountId]);
  const addresses = new Set<string>();
  let frontier = [chatAccountId];
  while (frontier.length) {
    const rows = await db
      .select({ chatAccountId: linkedAddresses.chatAccountId, address: linkedAddresses.address })
      .from(linkedAddresses)
      .where(inArray(linkedAddresses.chatAccountId, frontier));
    const fresh = rows.map((r) => r.address).filter((a) => !addresses.has(a));
    fresh.forEach((a) => addresses.add(a));
    frontier = [];
    if (fresh.length === 0) break;
    const sharing = await db
      .select({ chatAccountId: linkedAddresses.chatAccountId })
      .from(linkedAddresses)
      .where(inArray(linkedAddresses.address, fresh));
    for (const { chatAccountId: id } of sharing)
      if (!accounts.has(id)) {
        accounts.add(id);
        frontier.push(id);
      }
  }
  const ids = [...accounts].sort((a, b) => a - b);
  return { id: ids[0]!, chatAccountIds: ids, addresses: [...addresses] };
}
