import type { Address } from './address.js';
import { PublicKey } from './keys.js';
import type { Network } from './network.js';
import {
  PayloadType,
  signerOf,
  transactionId,
  verifyTransaction,
  type Payload,
  type Transaction,
} from './tx.js';

/** A JSON-friendly view of a transaction: NanoPAC as decimal strings, addresses as strings for `network`. */
export interface TransactionView {
  flags: number;
  version: number;
  lockTime: number;
  fee: string;
  memo: string;
  payload: PayloadView;
  id: string;
  signer: string;
  /** null when the transaction is unsigned or its public key was stripped. */
  signatureValid: boolean | null;
}

export type PayloadView =
  | { type: 'transfer'; from: string; to: string; amount: string }
  | {
      type: 'bond';
      from: string;
      to: string;
      publicKey: string | null;
      stake: string;
      delegateOwner?: string;
      delegateShare?: string;
      delegateExpiry?: number;
    }
  | { type: 'sortition'; validator: string }
  | { type: 'unbond'; validator: string; delegateOwner?: string }
  | { type: 'withdraw'; from: string; to: string; amount: string }
  | { type: 'batch_transfer'; from: string; recipients: { to: string; amount: string }[] };

export function viewPayload(payload: Payload, network: Network): PayloadView {
  const a = (address: Address): string => address.toString(network);
  switch (payload.type) {
    case PayloadType.Transfer:
      return {
        type: 'transfer',
        from: a(payload.from),
        to: a(payload.to),
        amount: payload.amount.toString(),
      };
    case PayloadType.Bond:
      return {
        type: 'bond',
        from: a(payload.from),
        to: a(payload.to),
        publicKey: payload.publicKey ? PublicKey.fromBytes('bls', payload.publicKey).toString(network) : null,
        stake: payload.stake.toString(),
        ...(payload.delegation && {
          delegateOwner: a(payload.delegation.owner),
          delegateShare: payload.delegation.share.toString(),
          delegateExpiry: payload.delegation.expiry,
        }),
      };
    case PayloadType.Sortition:
      // The VRF proof is opaque to a person; `pactus-bot decode` prints the fields the Go node's tests assert.
      return { type: 'sortition', validator: a(payload.validator) };
    case PayloadType.Unbond:
      return {
        type: 'unbond',
        validator: a(payload.validator),
        ...(payload.delegateOwner && { delegateOwner: a(payload.delegateOwner) }),
      };
    case PayloadType.Withdraw:
      return {
        type: 'withdraw',
        from: a(payload.from),
        to: a(payload.to),
        amount: payload.amount.toString(),
      };
    case PayloadType.BatchTransfer:
      return {
        type: 'batch_transfer',
        from: a(payload.from),
        recipients: payload.recipients.map((r) => ({ to: a(r.to), amount: r.amount.toString() })),
      };
  }
}

export function viewTransaction(tx: Transaction, network: Network): TransactionView {
  return {
    flags: tx.flags,
    version: tx.version,
    lockTime: tx.lockTime,
    fee: tx.fee.toString(),
    memo: tx.memo,
    payload: viewPayload(tx.payload, network),
    id: transactionId(tx),
    signer: signerOf(tx.payload).toString(network),
    signatureValid: tx.signature && tx.publicKey ? verifyTransaction(tx).valid : null,
  };
}
