import type { Network } from '../../pactus/network.js';
import { PayloadType, type Transaction } from '../../pactus/tx.js';
import type { AddressNote } from './api.js';

/**
 * The server's notes about recipients, kept only for addresses the page decoded from the transaction itself: a
 * note about any other address is dropped, so the server cannot put a name on something the bytes do not say.
 */
export function recipientNotes(
  tx: Transaction,
  network: Network,
  notes: AddressNote[],
): Map<string, AddressNote> {
  const p = tx.payload;
  return notesAbout(
    p.type === PayloadType.Transfer || p.type === PayloadType.Withdraw
      ? [p.to.toString(network)]
      : p.type === PayloadType.BatchTransfer
        ? p.recipients.map((r) => r.to.toString(network))
        : [],
    notes,
  );
}

/** The notes about the addresses the page itself read (from the bytes, or a delegation's signed text). */
export function notesAbout(addresses: string[], notes: AddressNote[]): Map<string, AddressNote> {
  const read = new Set(addresses);
  return new Map(notes.filter((n) => read.has(n.address)).map((n) => [n.address, n]));
}
