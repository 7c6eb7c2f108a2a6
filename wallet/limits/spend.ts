import { Address, AddressType, parseAddressFor } from '../../pactus/address.js';
import type { Network } from '../../pactus/network.js';
import { PayloadType, type Payload } from '../../pactus/tx.js';
import { durationWords } from '../../pactus/time-words.js';

/** What a draft moves, as the limits see it: the amount (fees aside) and who receives it. */
export interface Spend {
  amount: bigint;
  recipients: Address[];
}

/**
 * The money a payload moves: transfers and batches to their recipients, a stake to its validator (whose key then
 * controls it), a withdrawal to its recipient. Unbonding moves nothing, so it is not a spend.
 */
export function spendOf(payload: Payload): Spend | null {
  switch (payload.type) {
    case PayloadType.Transfer:
      return { amount: payload.amount, recipients: [payload.to] };
    case PayloadType.BatchTransfer:
      return {
        amount: payload.recipients.reduce((sum, r) => sum + r.amount, 0n),
        recipients: payload.recipients.map((r) => r.to),
      };
    case PayloadType.Bond:
      return { amount: payload.stake, recipients: [payload.to] };
    case PayloadType.Withdraw:
      return { amount: payload.amount, recipients: [payload.to] };
    default:
      return null;
  }
}

/**
 * The addresses whose keys a person holds: each linked address, and for a BLS key both of its faces (the
 * validator and the account share one key hash), so a stake to one's own validator is one's own.
 */
export class OwnAddresses {
  private readonly hashes = new Set<string>();

  constructor(linked: string[], network: Network) {
    for (const text of linked) {
      const address = parseAddressFor(text, network);
      this.hashes.add(address.toHex());
      if (address.type === AddressType.Validator)
        this.hashes.add(Address.fromHash(AddressType.BlsAccount, address.hash).toHex());
      if (address.type === AddressType.BlsAccount)
        this.hashes.add(Address.fromHash(AddressType.Validator, address.hash).toHex());
    }
  }

  has(address: Address): boolean {
    return this.hashes.has(address.toHex());
  }
}

/** A moment as people read it in a refusal: "2026-12-07 09:12 UTC (in about 23 hours)". */
export function whenWords(at: number, now: number): string {
  const stamp = new Date(Math.ceil(at / 60_000) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
  return `${stamp} UTC (in ${durationWords(at - now)})`;
}
