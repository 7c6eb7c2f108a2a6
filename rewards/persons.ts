import { and, gte, inArray, sql } from 'drizzle-orm';
import { type Sql, tables } from '../db/connection.js';
import { personOf } from '../wallet/persons.js';
import { Address, AddressType, parseAddressAnyNetwork } from '../pactus/address.js';

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

/**
 * The address itself and the other address of the same key: a BLS key's validator address and its account address
 * share the key's address hash and differ only in type (pactus/keys.ts validatorAddress and accountAddress, as the
 * node's crypto/bls PublicKey.ValidatorAddress and AccountAddress), so one key is one chain identity whichever of
 * the two is linked or signs. Other addresses (Ed25519, secp256k1 accounts) stand alone; text that is not an
 * address is kept as it is.
 */
export function sameKey(address: string): string[] {
  let parsed;
  try {
    parsed = parseAddressAnyNetwork(address);
  } catch {
    return [address];
  }
  const type = parsed.address.type;
  if (type !== AddressType.Validator && type !== AddressType.BlsAccount) return [address];
  const other = type === AddressType.Validator ? AddressType.BlsAccount : AddressType.Validator;
  return [address, Address.fromHash(other, parsed.address.hash).toString(parsed.network)];
}

/**
 * What a ballot's vote reward uses up for good: every signing address and the other address of its key, so a
 * validator and the account of the same key earn one vote reward per proposal between them, however they are linked.
 */
export const voteClaims = (subject: string, addresses: string[]): string[] => [
  ...new Set(addresses.flatMap(sameKey).map((a) => `${subject}:address:${a}`)),
];

/** Everyone behind a chat account as far as limits go: its person, widened by links seen since `since`. */
export interface Identity {
  chatAccountIds: number[];
  addresses: string[];
}

/**
 * The chat accounts and addresses tied to this one by links now or by links seen since `since` (reward_links),
 * followed both ways until nothing new turns up; an address also ties in whoever linked the other address of its
 * key (sameKey). Caps, the cooldown and once-per-person rewards count over all of them, so moving an address to a
 * fresh chat account (on any platform), or linking the key's other address there, does not make a fresh person.
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
    // Chat accounts linked to these addresses, or to the other address of the same key.
    const keys = [...new Set(fresh.flatMap(sameKey))];
    const sharing = [
      ...(await db.select({ id: l.chatAccountId }).from(l).where(inArray(l.address, keys))),
      ...(await db
        .select({ id: r.chatAccountId })
        .from(r)
        .where(and(inArray(r.address, keys), gte(r.seenAt, since)))),
    ];
    for (const { id } of sharing)
      if (!accounts.has(id)) {
        accounts.add(id);
        frontier.push(id);
      }
  }
  return { chatAccountIds: [...accounts].sort((a, b) => a - b), addresses: [...addresses].sort() };
}
