// The transaction model: payload types, flags, limits and the shapes decoding and encoding share.
import { Address } from './address.js';

export enum PayloadType {
  Transfer = 1,
  Bond = 2,
  Sortition = 3,
  Unbond = 4,
  Withdraw = 5,
  BatchTransfer = 6,
}

export const TxFlag = {
  /** The public key is not appended (the node already knows it). */
  StrippedPublicKey: 0x01,
  NotSigned: 0x02,
  /** Bond and unbond carry PIP-49 delegation fields. */
  Delegation: 0x04,
} as const;

export const TX_VERSION = 1;
export const MAX_MEMO_BYTES = 64;
export const MIN_BATCH_RECIPIENTS = 2;
export const MAX_BATCH_RECIPIENTS = 8;
export const BLS_PUBLIC_KEY_SIZE = 96;
export const SORTITION_PROOF_SIZE = 48;

export interface TransferPayload {
  type: PayloadType.Transfer;
  from: Address;
  to: Address;
  amount: bigint;
}

export interface Delegation {
  owner: Address;
  share: bigint;
  expiry: number;
}

export interface BondPayload {
  type: PayloadType.Bond;
  from: Address;
  to: Address;
  /** The new validator's 96-byte BLS public key; null when bonding to an existing validator. */
  publicKey: Uint8Array | null;
  stake: bigint;
  delegation: Delegation | null;
}

export interface SortitionPayload {
  type: PayloadType.Sortition;
  validator: Address;
  proof: Uint8Array;
}

export interface UnbondPayload {
  type: PayloadType.Unbond;
  validator: Address;
  delegateOwner: Address | null;
}

export interface WithdrawPayload {
  type: PayloadType.Withdraw;
  from: Address;
  to: Address;
  amount: bigint;
}

export interface Recipient {
  to: Address;
  amount: bigint;
}

export interface BatchTransferPayload {
  type: PayloadType.BatchTransfer;
  from: Address;
  recipients: Recipient[];
}

export type Payload =
  TransferPayload | BondPayload | SortitionPayload | UnbondPayload | WithdrawPayload | BatchTransferPayload;

export interface Transaction {
  flags: number;
  version: number;
  lockTime: number;
  fee: bigint;
  memo: string;
  /** The memo's exact bytes, only when they are not valid UTF-8 (then `memo` is a lossy rendering). */
  memoBytes?: Uint8Array;
  payload: Payload;
  signature: Uint8Array | null;
  publicKey: Uint8Array | null;
}

export const PAYLOAD_NAMES: Record<PayloadType, string> = {
  [PayloadType.Transfer]: 'transfer',
  [PayloadType.Bond]: 'bond',
  [PayloadType.Sortition]: 'sortition',
  [PayloadType.Unbond]: 'unbond',
  [PayloadType.Withdraw]: 'withdraw',
  [PayloadType.BatchTransfer]: 'batch_transfer',
};

export function hasDelegation(payload: Payload): boolean {
  return (
    (payload.type === PayloadType.Bond && payload.delegation !== null) ||
    (payload.type === PayloadType.Unbond && payload.delegateOwner !== null)
  );
}

/** The address whose key must sign this transaction. */
export function signerOf(payload: Payload): Address {
  switch (payload.type) {
    case PayloadType.Transfer:
    case PayloadType.Bond:
    case PayloadType.Withdraw:
    case PayloadType.BatchTransfer:
      return payload.from;
    case PayloadType.Sortition:
      return payload.validator;
    case PayloadType.Unbond:
      return payload.delegateOwner ?? payload.validator;
  }
}
