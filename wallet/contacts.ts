import { and, asc, eq } from 'drizzle-orm';
import { tables, type Sql } from '../db/connection.js';
import { WalletError } from './errors.js';

/** A contact name: a letter, then up to 31 of a-z 0-9 _ - (case does not matter). */
export const CONTACT_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/**
 * Words that mean something else in a request ("send all to me", "pay the rest to everyone", "help"), never names:
 * pronouns, articles, amount words, units, fillers and the bot's command words. A name that is one of them could
 * not be told apart from what the sentence says around it.
 */
const RESERVED = new Set(
  [
    'a an the this that these those it its them they their there here what which who whom whose',
    'me my mine myself i im you your yours yourself u ur us we our ours him her his hers she he',
    'everyone everybody anyone anybody someone somebody nobody people all everything nothing',
    'max maximum min minimum whole entire rest remaining half double twice total',
    'to from for with without of on at in into onto by via and or but then also each both either',
    'over across back out up down off away along through between about around than like only exactly',
    'draft drafts request requests transaction transactions tx payment payments link links message',
    'please pls plz kindly thanks thank thx ty now later asap today tomorrow yesterday ok okay yes no yeah nope',
    'hey hi hello yo bot admin',
    'pac pacs pactus coin coins nanopac nanopacs npac token tokens money funds cash amount',
    'help start menu commands command cancel abort undo stop balance send pay give tip move wire transfer',
    'stake unstake bond unbond withdraw vote veto propose proposal proposals link unlink primary default',
    'save forget remove delete contact contacts alerts alert history schedule schedules memo note ref',
    'wallet wallets account accounts address addresses validator validators fee fees status rewards',
    'every daily weekly monthly null undefined none',
    // Hedges, negations and conditions: a name must never hide one ("send 5 PAC to should I").
    'not never dont cannot cant wont if when unless whether maybe perhaps should would could can shall must might',
    'suppose supposing imagine pretend hypothetically example eg jk lol joking kidding what how why where who',
    'wait actually hold nevermind nvm refuse once whenever provided assuming after before',
  ]
    .join(' ')
    .split(' '),
);

/** A word the address book refuses as a name (it means something else in a request). */
export function isReservedName(word: string): boolean {
  return RESERVED.has(word.toLowerCase());
}

export interface Contact {
  name: string;
  address: string;
}

/** Why a name cannot be saved, in plain words, or null when it can. */
export function contactNameProblem(text: string): string | null {
  const name = text.trim().toLowerCase();
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  if (!name) return 'Give the contact a name, like "save tpc1... as alice".';
  if (/\s/.test(name))
    return `"${shown}" is several words; a contact name is one word (join words with "-", like "${name.split(/\s+/).slice(0, 3).join('-').slice(0, 32)}").`;
  if (name.length > 32) return `"${shown}" is ${name.length} characters long; a contact name has at most 32.`;
  if (/^t?(pc|public)1/.test(name)) return `A contact name cannot start like an address ("${shown}").`;
  if (!/^[a-z]/.test(name)) return `"${shown}" does not start with a letter; a contact name must.`;
  if (!CONTACT_NAME.test(name))
    return `"${shown}" has characters a contact name cannot have: use letters, digits, "_" and "-" only.`;
  if (RESERVED.has(name))
    return `"${name}" means something else in a request (like "send all to me" or "help"), so it cannot be a contact name. Choose another, like "${name}-1".`;
  return null;
}

export function contactName(text: string): string {
  const problem = contactNameProblem(text);
  if (problem) throw new WalletError('bad_contact_name', problem);
  return text.trim().toLowerCase();
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
