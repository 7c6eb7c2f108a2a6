import type { Sql } from '../db/connection.js';
import type { Network } from '../pactus/network.js';
import type { ChainType } from '../chain/types.js';
import { PayloadType, decodeTransactionHex } from '../pactus/tx.js';
import type { DraftRow } from './drafts.js';
import { knownAddressesOf, knownWords, resemblance, type KnownAddress } from './look-alike.js';

/**
 * What the page is told about an address of the transaction, from the requester's own address book and history.
 * These are annotations beside what the bytes say: the page shows them only next to an address it decoded itself.
 */
export interface AddressNote {
  address: string;
  /** The requester's own name for this exact address. */
  name?: string;
  /**
   * Never paid through the bot, not saved and not theirs; or, stronger, it looks like an address they know (a
   * contact, their own wallet, one they paid) without being it (wallet/look-alike.ts).
   */
  warning?: 'first_time' | 'look_alike';
  /** The address it looks like and whose it is, in words the page shows as they are ("your contact alice"). */
  looksLike?: { what: string; address: string };
  /**
   * The warning in a sentence, as the page shows it above the details. Written here rather than on the page: the
   * page's bundle has a 60 KiB gzip budget, and the words are the server's claim either way (the page still shows
   * a note only beside an address it decoded itself).
   */
  text?: string;
}

/** The chain the link is for, so the page can say "Devnet" and turn heights into times. */
export interface LinkChain {
  type: ChainType;
  /** The last block when the page loaded; null when the node could not be asked. */
  height: number | null;
  blockIntervalMs: number;
  unbondInterval: number;
}

/** Who receives the money a transaction moves to someone: a transfer's, a batch's, a withdrawal's recipients. */
function recipientsOf(unsignedTx: string, network: Network): string[] {
  const p = decodeTransactionHex(unsignedTx).payload;
  switch (p.type) {
    case PayloadType.Transfer:
    case PayloadType.Withdraw:
      return [p.to.toString(network)];
    case PayloadType.BatchTransfer:
      return p.recipients.map((r) => r.to.toString(network));
    default:
      return [];
  }
}

/**
 * Recipients of a transfer, batch transfer or withdrawal, each with its name and its warning: a recipient saved as
 * a contact keeps its name and is still warned about when it looks like another known address (a look-alike saved
 * after the warning at saving stays a look-alike).
 */
export async function addressNotes(db: Sql, draft: DraftRow, network: Network): Promise<AddressNote[]> {
  // A delegation hands voting power to its delegate (governance keeps it in the draft's meta; the page shows a
  // note only beside the delegate it read from the signed text itself). Paying is not the point there, so it
  // gets a name or a look-alike warning, never "not paid before".
  const delegate = draft.kind === 'delegation' ? draft.meta?.delegate : undefined;
  if (typeof delegate === 'string')
    return notesFor([delegate], await knownAddressesOf(db, draft.chatAccountId, network), false);
  if (!draft.unsignedTx) return [];
  const recipients = recipientsOf(draft.unsignedTx, network);
  if (!recipients.length) return [];
  const known = await knownAddressesOf(db, draft.chatAccountId, network);
  return notesFor(recipients, known, true);
}

/**
 * The notes for addresses that receive something (money, or voting power), against what the person knows;
 * `firstTime`: also say when an address was never paid (for payments).
 */
export function notesFor(recipients: string[], known: KnownAddress[], firstTime: boolean): AddressNote[] {
  const notes: AddressNote[] = [];
  for (const address of new Set(recipients)) {
    const itself = known.find((k) => k.address === address);
    const similar = resemblance(address, known);
    const note: AddressNote = { address };
    if (itself?.kind === 'contact') note.name = itself.name;
    if (similar) {
      note.warning = 'look_alike';
      note.looksLike = { what: knownWords(similar.known), address: similar.known.address };
      note.text = `Careful: ${address} looks like ${note.looksLike.what} (${note.looksLike.address}) but is a different address. Address-poisoning scams rely on this; compare every character.`;
    } else if (!itself && firstTime) {
      note.warning = 'first_time';
      note.text = `You have not paid ${address} before: check it against where you got it.`;
    }
    if (note.name || note.warning) notes.push(note);
  }
  return notes;
}
