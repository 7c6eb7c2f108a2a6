import { and, asc, eq } from 'drizzle-orm';
import { tables, type Sql } from '../db/connection.js';
import { WalletError } from './errors.js';

/** A contact name: a letter, then up to 31 of a-z 0-9 _ - (case does not matter). */
export const CONTACT_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** Words that mean something else in a request ("send all to me"), never names. */
const RESERVED = new Set([
  'all',
  'me',
  'my',
  'myself',
  'everyone',
  'everything',
  'max',
  'pac',
  'nanopac',
  'it',
  'them',
]);

export interface Contact {
  name: string;
  address: string;
}

export function contactName(text: string): string {
  const name = text.trim().toLowerCase();
  if (!CONTACT_NAME.test(name) || RESERVED.has(name) || /^t?(pc|public)1/.test(name))
    throw new WalletError(
      'bad_contact_name',
      'A contact name is one word: a letter, then letters, digits, "_" or "-" (32 at most), and not "all", "me" or "max".',
    );
  return name;
}

/** Saves (or re-points) a name in the person's book. `address` must already be validated and canonical. */
export async function saveContact(
  db: Sql,
  chatAccountId: number,
  name: string,
  address: string,
  now: number,
) {
  const { contacts: c } = tables(db);
  const previous = await resolveContact(db, chatAccountId, name);
  await db
    .insert(c)
    .values({ chatAccountId, name, address, createdAt: now })
    .onConflictDoUpdate({ target: [c.chatAccountId, c.name], set: { address, createdAt: now } });
  return { previous };
}

export async function forgetContact(db: Sql, chatAccountId: number, name: string): Promise<boolean> {
  const { contacts: c } = tables(db);
  const gone = await db
    .delete(c)
    .where(and(eq(c.chatAccountId, chatAccountId), eq(c.name, name)))
    .returning({ name: c.name });
  return gone.length === 1;
}

export async function contactsOf(db: Sql, chatAccountId: number): Promise<Contact[]> {
  const { contacts: c } = tables(db);
  return db
    .select({ name: c.name, address: c.address })
    .from(c)
    .where(eq(c.chatAccountId, chatAccountId))
    .orderBy(asc(c.name));
}

/** The address saved under this name in the person's own book (nobody else's), or null. */
export async function resolveContact(db: Sql, chatAccountId: number, name: string): Promise<string | null> {
  const { contacts: c } = tables(db);
  const [row] = await db
    .select({ address: c.address })
    .from(c)
    .where(and(eq(c.chatAccountId, chatAccountId), eq(c.name, name.toLowerCase())))
    .limit(1);
  return row?.address ?? null;
}

/**
 * A saved contact whose address looks like this one without being it: the same first and last characters (what
 * people glance at) and a different middle. The classic address-poisoning trick sends from such an address so
 * that it shows up in a wallet's history.
 */
export function lookAlike(address: string, book: Contact[]): Contact | null {
  const ends = (a: string) => [a.slice(0, 9), a.slice(-6)].join('…');
  return book.find((c) => c.address !== address && ends(c.address) === ends(address)) ?? null;
}
