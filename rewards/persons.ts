import { and, gte, inArray, sql } from 'drizzle-orm';
import { type Sql, tables } from '../db/connection.js';
import { personOf } from '../wallet/persons.js';

// A person is a wallet notion (who controls which addresses); rewards caps and the wallet's limits count the same.
export { personOf, type Person } from '../wallet/persons.js';

/**
 * Notes every link of the chat account's person as seen now (reward_links). Called where an interaction that may
 * earn is recorded, so a link removed later still ties the two for that day (`identityOf`).
 */
export async function recordLinks(db: Sql, chatAccountId: number, now: number): Promise<void> {
  const { linkedAddresses, rewardLinks } = tables(db);
  const person = await personOf(db, chatAccountId);
  const links = await db
    .select({ chatAccountId: linkedAddresses.chatAccountId, address: linkedAddresses.address })
    .from(linkedAddresses)
    .where(inArray(linkedAddresses.chatAccountId, person.chatAccountIds));
  for (const link of links)
    await db
      .insert(rewardLinks)
      .values({ ...link, seenAt: now })
      .onConflictDoUpdate({
        target: [rewardLinks.chatAccountId, rewardLinks.address],
        set: {
          seenAt: sql`CASE WHEN ${rewardLinks.seenAt} > ${now} THEN ${rewardLinks.seenAt} ELSE ${now} END`,
        },
      });
}

/** Everyone behind a chat account as far as limits go: its person, widened by links seen since `since`. */
export interface Identity {
  chatAccountIds: number[];
  addresses: string[];
}

/**
 * The chat accounts and addresses tied to this one by links now or by links seen since `since` (reward_links),
 * followed both ways until nothing new turns up. Caps, the cooldown and once-per-person rewards count over all of
 * them, so moving an address to a fresh chat account (on any platform) does not make a fresh person.
 */
export async function identityOf(db: Sql, chatAccountId: number, since: number): Promise<Identity> {
  const { linkedAddresses: l, rewardLinks: r } = tables(db);
  const accounts = new Set([chatAccountId]);
  const addresses = new Set<string>();
  let frontier = [chatAccountId];
  while (frontier.length) {
    const found = [
      ...(await db.select({ address: l.address }).from(l).where(inArray(l.chatAccountId, frontier))),
      ...(await db
        .select({ address: r.address })
        .from(r)
        .where(and(inArray(r.chatAccountId, frontier), gte(r.seenAt, since)))),
    ]
      .map((row) => row.address)
      .filter((a) => !addresses.has(a));
    const fresh = [...new Set(found)];
    fresh.forEach((a) => addresses.add(a));
    frontier = [];
    if (!fresh.length) break;
    const sharing = [
      ...(await db.select({ id: l.chatAccountId }).from(l).where(inArray(l.address, fresh))),
      ...(await db
        .select({ id: r.chatAccountId })
        .from(r)
        .where(and(inArray(r.address, fresh), gte(r.seenAt, since)))),
    ];
    for (const { id } of sharing)
      if (!accounts.has(id)) {
        accounts.add(id);
        frontier.push(id);
      }
  }
  return { chatAccountIds: [...accounts].sort((a, b) => a - b), addresses: [...addresses].sort() };
}
