// Address poisoning: an attacker generates keys until one gives an address whose ends match an address the
// victim uses, then sends a little from it so that it sits in the victim's history, next to the real one, and
// waits for the victim to copy the wrong one. This module finds an address that resembles one the person knows
// (a contact, their own linked wallet, an address they paid) without being it.
//
// What is compared. A Pactus address is `<hrp>1<type><32 hash characters><6 checksum characters>` (pactus
// crypto/address.go, Address.String: bech32m.EncodeFromBase256WithType(hrp, type, hash)). The prefix ("pc1",
// "tpc1") and the type character ("z" BLS account, "r" Ed25519 account, "p" validator) are the same for millions
// of addresses and cost an attacker nothing, so they are left out; what is compared are the 38 characters after
// them. The hash is RIPEMD160(BLAKE2b256(public key)) and the checksum a function of it, so an attacker cannot
// choose any of the 38: each one matched is 5 bits (bech32 characters are 5 bits) found by trying keys.
//
// The rule: warn when the characters shared at the start of that random part plus those shared at its end come
// to LOOK_ALIKE_MIN_SHARED (5) or more, in any split (5+0, 2+3, 0+5, 4+4, ...). Why 5:
// - Wallets show few of them. The Pactus web wallet's send preview shows the first 6 and last 6 characters
//   (pactus-wallet src/components/send/SendPreviewModal.tsx: "pc1z" + 2 random, then 6), its address dropdown
//   the first 10 and last 8 (common/AddressDropdown.tsx), its settings the first 10 and last 6 (utils/common.ts,
//   truncateAddress), its history a prefix cut by CSS; wallets of other chains show 4 and 4. Poisoners match
//   what is shown, 3 to 5 characters at each end.
// - It is cheap. n characters cost 2^(5n) tries on average: 5 are 2^25 (3.4e7 keys, well under a second on a
//   GPU, minutes on one CPU core), 6 are 2^30 (1.1e9, seconds on a GPU), 8 (the web wallet preview's 2+6) are
//   2^40 (1.1e12, tens of minutes to hours on one GPU), 10 are 2^50 (1.1e15, weeks per address: the old rule,
//   4-5 after the prefix and the last 6, needed that, so no real attack ever met it).
// - It stays quiet for honest addresses. For two random addresses, with L and T the shared runs at the start and
//   the end, P(L = l) = (31/32)·32^-l and P(T >= t) = 32^-t, so P(L + T >= n) = (1 + 31n/32)·32^-n: for n = 5
//   that is 1.74e-7 per pair of addresses, so 1 false warning in about 11,000 payments for someone who knows 500
//   addresses (n = 4 would be 4.6e-6: 1 in 430, enough to teach people to ignore the warning).
// - Fewer than 5 shared characters do not pass for the other in a Pactus wallet: the shortest display, the web
//   wallet's send preview, shows 8 random characters of a mainnet address (2 + 6; 7 on testnet), so at least 3
//   or 4 of them differ. What is not caught: a 4-character match (2^20 keys) would fool a display of only the
//   fixed prefix and the last 4 characters; no Pactus wallet shows that little, and catching it costs the false
//   alarms above.
// Vanity addresses (chosen prefixes) are not random: two of them may share more, and then the person is warned,
// which is the safe side. Addresses of the same key (a BLS key's validator and account addresses share the hash)
// are not look-alikes of each other.
import type { Sql } from '../db/connection.js';
import type { Network } from '../pactus/network.js';
import { linkedAddressesOf } from './accounts.js';
import { contactsOf } from './contacts.js';
import { paidAddressesOf } from './history.js';

/** Shared characters (start + end of the random part) from which an address counts as a look-alike. */
export const LOOK_ALIKE_MIN_SHARED = 5;

/** Hash characters in an address's random part (160 bits / 5); the checksum's 6 follow them. */
const HASH_CHARS = 32;

export type KnownKind = 'contact' | 'own_wallet' | 'paid';

/** An address the person knows, and how: a contact carries its name. */
export interface KnownAddress {
  address: string;
  kind: KnownKind;
  name?: string;
}

/** How many characters of the random part two addresses share at its start and at its end. */
export interface SharedEnds {
  leading: number;
  trailing: number;
}

export interface Resemblance extends SharedEnds {
  known: KnownAddress;
}

/** An address cut where people read it: "tpc" | "z" | the 38 characters an attacker has to search for. */
interface AddressParts {
  hrp: string;
  type: string;
  random: string;
}

/** The human-readable prefix, the type character and the random part, or null for what is not an address. */
export function addressParts(address: string): AddressParts | null {
  const lower = address.trim().toLowerCase();
  const separator = lower.lastIndexOf('1');
  if (separator < 1 || lower.length - separator !== HASH_CHARS + 6 + 2) return null;
  return {
    hrp: lower.slice(0, separator),
    type: lower[separator + 1]!,
    random: lower.slice(separator + 2),
  };
}

/**
 * The characters two addresses share at the start and the end of their random parts; null when they cannot be
 * mistaken for each other by their ends: another network, not addresses, the same address, or the same key
 * (same hash, another type).
 */
export function sharedEnds(a: string, b: string): SharedEnds | null {
  return sharedParts(addressParts(a), addressParts(b));
}

function sharedParts(x: AddressParts | null, y: AddressParts | null): SharedEnds | null {
  if (!x || !y || x.hrp !== y.hrp) return null;
  const n = x.random.length;
  let leading = 0;
  while (leading < n && x.random[leading] === y.random[leading]) leading++;
  if (leading >= HASH_CHARS) return null;
  let trailing = 0;
  while (trailing < n - leading && x.random[n - 1 - trailing] === y.random[n - 1 - trailing]) trailing++;
  return { leading, trailing };
}

export function isLookAlike(shared: SharedEnds | null): shared is SharedEnds {
  return shared !== null && shared.leading + shared.trailing >= LOOK_ALIKE_MIN_SHARED;
}

const RANK: Record<KnownKind, number> = { contact: 0, own_wallet: 1, paid: 2 };

/**
 * The known address this one most resembles without being it, or null. An address that is itself known (a
 * contact saved after a warning, a payee paid once by mistake) is still compared with the others: being known
 * does not make a look-alike safe.
 */
export function resemblance(address: string, known: KnownAddress[]): Resemblance | null {
  let best: Resemblance | null = null;
  const parts = addressParts(address);
  for (const k of known) {
    const shared = sharedParts(parts, addressParts(k.address));
    if (!isLookAlike(shared)) continue;
    const score = shared.leading + shared.trailing;
    const bestScore = best ? best.leading + best.trailing : -1;
    if (score > bestScore || (score === bestScore && RANK[k.kind] < RANK[best!.known.kind]))
      best = { known: k, ...shared };
  }
  return best;
}

/** Whose the resembled address is, in words: "your contact alice", "your own wallet", "an address you paid". */
export function knownWords(k: KnownAddress): string {
  switch (k.kind) {
    case 'contact':
      return `your contact ${k.name ?? ''}`.trim();
    case 'own_wallet':
      return 'your own wallet';
    case 'paid':
      return 'an address you paid before';
  }
}

/** What the two share, as people would check it: "both start tpc1zab3 and end 9xk4". */
export function sharedWords(address: string, r: Resemblance): string {
  const a = addressParts(address)!;
  const b = addressParts(r.known.address)!;
  const parts: string[] = [];
  if (r.leading > 0)
    parts.push(
      a.type === b.type
        ? `start ${a.hrp}1${a.type}${a.random.slice(0, r.leading)}`
        : `have ${a.random.slice(0, r.leading)} after the prefix`,
    );
  if (r.trailing > 0) parts.push(`end ${a.random.slice(-r.trailing)}`);
  return `both ${parts.join(' and ')}`;
}

/** The warning in chat, about `subject` ("this address", "bob's address"), which is `address`. */
export function lookAlikeWarning(subject: string, address: string, r: Resemblance): string {
  return `Careful: ${subject} looks like ${knownWords(r.known)} (${r.known.address}) but is a different address (${sharedWords(address, r)}). Address-poisoning scams rely on this; compare every character.`;
}

/**
 * Every address the person knows, each once, the strongest reason first (a contact's name over "paid before"):
 * their contacts, their own linked wallets, and the recipients of their confirmed payments. Per chat account, as
 * the address book is: contact names are never shown to anyone else who shares a wallet.
 */
export async function knownAddressesOf(
  db: Sql,
  chatAccountId: number,
  network: Network,
): Promise<KnownAddress[]> {
  const [book, linked, paid] = await Promise.all([
    contactsOf(db, chatAccountId),
    linkedAddressesOf(db, chatAccountId),
    paidAddressesOf(db, chatAccountId, network),
  ]);
  const known = new Map<string, KnownAddress>();
  const add = (k: KnownAddress) => {
    if (!known.has(k.address)) known.set(k.address, k);
  };
  book.forEach((c) => add({ address: c.address, kind: 'contact', name: c.name }));
  linked.forEach((a) => add({ address: a.address, kind: 'own_wallet' }));
  paid.forEach((address) => add({ address, kind: 'paid' }));
  return [...known.values()];
}
