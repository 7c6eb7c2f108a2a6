import type { Sql } from '../db/connection.js';
import type { Network } from '../pactus/network.js';
import type { ChainType } from '../chain/types.js';
import { PayloadType, decodeTransactionHex } from '../pactus/tx.js';
import { contactsOf, lookAlike } from './contacts.js';
import type { DraftRow } from './drafts.js';
import { paidBefore } from './history.js';

/**
 * What the page is told about an address of the transaction, from the requester's own address book and history.
 * These are annotations beside what the bytes say: the page shows them only next to an address it decoded itself.
 */
export interface AddressNote {
  address: string;
  /** The requester's own name for this exact address. */
  name?: string;
  /** Never paid through the bot and not saved; or, stronger, it looks like a saved contact's address. */
  warning?: 'first_time' | 'look_alike';
  looksLike?: { name: string; address: string };
}

/** The chain the link is for, so the page can say "Devnet" and turn heights into times. */
export interface LinkChain {
  type: ChainType;
  /** The last block when the page loaded; null when the node could not be asked. */
  height: number | null;
  blockIntervalMs: number;
  unbondInterval: number;
}

/** Recipients of a transfer or batch transfer, each with its name or its warning. */
export async function addressNotes(db: Sql, draft: DraftRow, network: Network): Promise<AddressNote[]> {
  if (!draft.unsignedTx || (draft.kind !== 'transfer' && draft.kind !== 'batch_transfer')) return [];
  const p = decodeTransactionHex(draft.unsignedTx).payload;
  const recipients =
    p.type === PayloadType.Transfer
      ? [p.to.toString(network)]
      : p.type === PayloadType.BatchTransfer
        ? p.recipients.map((r) => r.to.toString(network))
        : [];
  const book = await contactsOf(db, draft.chatAccountId);
  const notes: AddressNote[] = [];
  for (const address of new Set(recipients)) {
    const saved = book.find((c) => c.address === address);
    if (saved) {
      notes.push({ address, name: saved.name });
      continue;
    }
    const similar = lookAlike(address, book);
    if (similar)
      notes.push({
        address,
        warning: 'look_alike',
        looksLike: { name: similar.name, address: similar.address },
      });
    else if (!(await paidBefore(db, draft.chatAccountId, address, network)))
      notes.push({ address, warning: 'first_time' });
  }
  return notes;
}
