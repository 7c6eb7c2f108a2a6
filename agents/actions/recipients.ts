// A recipient as typed: an address, a name from the person's own address book, or "me" (their own other linked
// wallet). A name the book does not have is answered with the nearest saved name as a question ("did you mean
// alice?") and a button that repeats the request with it; "me" among several wallets asks which, with a button each.
import { parseAddressFor } from '../../pactus/address.js';
import { contactsOf, resolveContact, type Contact } from '../../wallet/contacts.js';
import { linkedAddressesOf, primaryAddressOf } from '../../wallet/accounts.js';
import { WalletError } from '../../wallet/errors.js';
import { knownAddressesOf, lookAlikeWarning, resemblance } from '../../wallet/look-alike.js';
import type { ActionContext } from '../context.js';
import { closest } from '../rules/typos.js';
import { isNameLike } from '../rules/vocabulary.js';

export { isNameLike } from '../rules/vocabulary.js';
import { notice, reply, type Block, type Button, type Reply } from '../reply.js';

/** A name the address book does not have, with the saved name it is nearest to, if one is near. */
export class UnknownContact extends WalletError {
  constructor(
    readonly typed: string,
    readonly nearest: Contact | null,
  ) {
    super(
      'unknown_contact',
      nearest
        ? `${typed} is not in your contacts. Did you mean ${nearest.name} (${nearest.address})?`
        : `${typed} is not in your contacts. Save the address first: "save tpc1... as ${typed}".`,
    );
  }
}

/** "me" when the person has several other wallets: which one. */
export class ChooseOwnWallet extends WalletError {
  constructor(readonly choices: string[]) {
    super('choose_wallet', 'Which of your wallets should receive it?');
  }
}

export interface ResolvedRecipient {
  address: string;
  /** The contact's name, when the recipient was typed as one. */
  name: string | null;
  notes: Block[];
}

/** The saved contact of this exact name, or UnknownContact with the nearest saved name. */
export async function contactByName(ctx: ActionContext, name: string): Promise<Contact> {
  const db = ctx.services.wallet.db;
  const address = await resolveContact(db, ctx.caller.chatAccountId, name);
  if (address) return { name, address };
  const book = await contactsOf(db, ctx.caller.chatAccountId);
  const near = closest(
    name,
    book.map((c) => c.name),
  );
  throw new UnknownContact(name, book.find((c) => c.name === near) ?? null);
}

/**
 * The person's own wallet other than the one sending (`from`, else their primary): the only such account, or
 * ChooseOwnWallet when there are several.
 */
async function ownOtherWallet(ctx: ActionContext, from: string | undefined): Promise<string> {
  const db = ctx.services.wallet.db;
  const network = ctx.services.network;
  const linked = (await linkedAddressesOf(db, ctx.caller.chatAccountId))
    .map((a) => a.address)
    .filter((a) => parseAddressFor(a, network).isAccount());
  if (linked.length === 0)
    throw new WalletError(
      'no_wallet',
      'You have no linked wallet, so I do not know which wallet is yours. Link it first: "link <your address>".',
    );
  const sender = from
    ? parseAddressFor(from, network).toString(network)
    : await primaryAddressOf(db, ctx.caller.chatAccountId);
  const others = linked.filter((a) => a !== sender);
  if (others.length === 0)
    throw new WalletError(
      'self_send',
      `Your only linked wallet (${sender}) is the one it would be sent from, so nothing would move. Link your other wallet first ("link tpc1..."), or give its address.`,
    );
  if (others.length > 1) throw new ChooseOwnWallet(others);
  return others[0]!;
}

/**
 * A recipient as typed, resolved: names come from the person's own book only; "me" is their other linked wallet.
 * Also what the person should hear about it: where the address came from, that it looks like an address they
 * know (a contact, their own wallet, one they paid) without being it, or that they never paid it before. A
 * contact is checked too: a look-alike saved as a contact (after the warning at saving) stays a look-alike.
 */
export async function recipientFor(
  ctx: ActionContext,
  typed: string,
  from?: string,
): Promise<ResolvedRecipient> {
  const lower = typed.trim().toLowerCase();
  const db = ctx.services.wallet.db;
  if (lower === 'me') {
    const address = await ownOtherWallet(ctx, from);
    return { address, name: null, notes: [notice('info', `To your own linked wallet ${address}.`)] };
  }
  // Anything that starts like an address is one (and gets the address checks), never a name.
  const contact = isNameLike(lower) ? await contactByName(ctx, lower) : null;
  const known = await knownAddressesOf(db, ctx.caller.chatAccountId, ctx.services.network);
  const address = contact?.address ?? lower;
  const notes: Block[] = [];
  if (contact) notes.push(notice('info', `${lower} is ${contact.address} (from your contacts).`));
  const similar = resemblance(address, known);
  if (similar)
    notes.push(
      notice('warning', lookAlikeWarning(contact ? `${lower}'s address` : 'this address', address, similar)),
    );
  else if (!contact && !known.some((k) => k.address === address))
    notes.push(notice('info', 'You have not paid this address before: check it against where you got it.'));
  return { address: contact ? contact.address : typed, name: contact ? lower : null, notes };
}

/**
 * Runs an action whose recipient may be a name or "me"; the questions those raise become a reply whose buttons
 * repeat the request with the answer filled in (`retry` builds the arguments for a chosen name or address).
 */
export async function askingAboutRecipients(
  action: string,
  retry: (replacement: string) => Record<string, string>,
  run: () => Promise<Reply>,
  label: (replacement: string) => string,
): Promise<Reply> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UnknownContact && error.nearest) {
      const r = reply('private', notice('warning', error.message));
      r.buttons.push(button(action, retry(error.nearest.name), label(error.nearest.name)));
      return r;
    }
    if (error instanceof ChooseOwnWallet) {
      const r = reply('private', notice('info', error.message));
      for (const address of error.choices.slice(0, 5))
        r.buttons.push(button(action, retry(address), label(`${address.slice(0, 10)}…${address.slice(-6)}`)));
      return r;
    }
    throw error;
  }
}

function button(action: string, args: Record<string, string>, label: string): Button {
  return { type: 'action', label: label.slice(0, 60), action, args, style: 'primary' };
}

/** An action's validated input as the strings a button carries. */
export function buttonArgs(input: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(input)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => [k, String(v)]),
  );
}
