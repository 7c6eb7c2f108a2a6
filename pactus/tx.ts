import { Address, AddressType } from './address.js';
import { MAX_SUPPLY } from './amount.js';
import {
  bytesToHex,
  equalBytes,
  hash160,
  hash256,
  tryDecodeUtf8,
  tryHexToBytes,
  utf8ToBytes,
} from './bytes.js';
import { CodecError, SignatureError } from './errors.js';
import { PUBLIC_KEY_SIZE, PublicKey, SIGNATURE_SIZE, schemeForAddressType, type PrivateKey } from './keys.js';
import { ByteReader, ByteWriter } from './wire.js';

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
const KNOWN_FLAGS = TxFlag.StrippedPublicKey | TxFlag.NotSigned | TxFlag.Delegation;

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

function hasDelegation(payload: Payload): boolean {
  return (
    (payload.type === PayloadType.Bond && payload.delegation !== null) ||
    (payload.type === PayloadType.Unbond && payload.delegateOwner !== null)
  );
}

/** A new unsigned transaction; flags follow from the payload. */
export function newTransaction(fields: {
  lockTime: number;
  fee: bigint;
  memo?: string;
  payload: Payload;
}): Transaction {
  const tx: Transaction = {
    flags: TxFlag.NotSigned | (hasDelegation(fields.payload) ? TxFlag.Delegation : 0),
    version: TX_VERSION,
    lockTime: fields.lockTime,
    fee: fields.fee,
    memo: fields.memo ?? '',
    payload: fields.payload,
    signature: null,
    publicKey: null,
  };
  encodeTransaction(tx); // validates every field now rather than at signing time
  return tx;
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

// ---------------------------------------------------------------- decoding

type Role = 'account' | 'validator' | 'account-or-treasury';

function readAddress(r: ByteReader, role: Role, what: string): Address {
  const start = r.offset;
  const type = r.u8(what);
  if (type === AddressType.Treasury) {
    if (role !== 'account-or-treasury') r.fail(`${what} cannot be the treasury`, start);
    return Address.treasury();
  }
  if (type > AddressType.Secp256k1Account) r.fail(`unknown address type ${type} in ${what}`, start);
  const fits = role === 'validator' ? type === AddressType.Validator : type >= AddressType.BlsAccount;
  if (!fits) r.fail(`${what} must be ${role === 'validator' ? 'a validator' : 'an account'} address`, start);
  const hash = r.take(20, what);
  return Address.fromHash(type as AddressType, hash);
}

function readAmount(r: ByteReader, what: string): bigint {
  const start = r.offset;
  const value = r.varint(what);
  if (value > MAX_SUPPLY) r.fail(`${what} exceeds the max supply`, start);
  return value;
}

function readPayload(r: ByteReader, type: PayloadType, delegated: boolean): Payload {
  switch (type) {
    case PayloadType.Transfer:
      return {
        type,
        from: readAddress(r, 'account-or-treasury', 'sender'),
        to: readAddress(r, 'account', 'receiver'),
        amount: readAmount(r, 'amount'),
      };
    case PayloadType.Bond: {
      const from = readAddress(r, 'account', 'sender');
      const to = readAddress(r, 'validator', 'validator');
      const keyAt = r.offset;
      const keyLength = r.u8('public key length');
      if (keyLength !== 0 && keyLength !== BLS_PUBLIC_KEY_SIZE)
        r.fail(`bond public key length must be 0 or ${BLS_PUBLIC_KEY_SIZE}, got ${keyLength}`, keyAt);
      const publicKey = keyLength ? r.take(keyLength, 'validator public key') : null;
      if (publicKey && !isBlsPublicKey(publicKey))
        r.fail('the bond public key is not a valid BLS key', keyAt);
      if (publicKey && !equalBytes(hashOfKey(publicKey), to.hash))
        r.fail('the bond public key does not belong to the validator address', keyAt);
      const stake = readAmount(r, 'stake');
      const delegation = delegated
        ? {
            owner: readAddress(r, 'account', 'delegate owner'),
            share: readAmount(r, 'delegate share'),
            expiry: r.u32('delegate expiry'),
          }
        : null;
      return { type, from, to, publicKey, stake, delegation };
    }
    case PayloadType.Sortition:
      return {
        type,
        validator: readAddress(r, 'validator', 'validator'),
        proof: r.take(SORTITION_PROOF_SIZE, 'sortition proof'),
      };
    case PayloadType.Unbond:
      return {
        type,
        validator: readAddress(r, 'validator', 'validator'),
        delegateOwner: delegated ? readAddress(r, 'account', 'delegate owner') : null,
      };
    case PayloadType.Withdraw:
      return {
        type,
        from: readAddress(r, 'validator', 'validator'),
        to: readAddress(r, 'account', 'receiver'),
        amount: readAmount(r, 'amount'),
      };
    case PayloadType.BatchTransfer: {
      const from = readAddress(r, 'account', 'sender');
      const countAt = r.offset;
      const count = r.varint('recipient count');
      if (count < MIN_BATCH_RECIPIENTS || count > MAX_BATCH_RECIPIENTS)
        r.fail(
          `a batch transfer has ${MIN_BATCH_RECIPIENTS}-${MAX_BATCH_RECIPIENTS} recipients, not ${count}`,
          countAt,
        );
      const recipients: Recipient[] = [];
      let total = 0n;
      for (let i = 0; i < Number(count); i++) {
        const at = r.offset;
        const to = readAddress(r, 'account', `recipient ${i + 1}`);
        if (recipients.some((x) => x.to.equals(to))) r.fail(`recipient ${i + 1} is listed twice`, at);
        const amountAt = r.offset;
        const amount = readAmount(r, `amount ${i + 1}`);
        if (amount === 0n) r.fail(`amount ${i + 1} is zero`, amountAt);
        total += amount;
        if (total > MAX_SUPPLY) r.fail('the batch total exceeds the max supply', amountAt);
        recipients.push({ to, amount });
      }
      return { type, from, recipients };
    }
  }
}

function isBlsPublicKey(bytes: Uint8Array): boolean {
  try {
    PublicKey.fromBytes('bls', bytes);
    return true;
  } catch {
    return false;
  }
}

function hashOfKey(publicKey: Uint8Array): Uint8Array {
  return hash160(hash256(publicKey));
}

/** Strictly decodes a raw transaction; anything malformed throws CodecError with the byte offset. */
export function decodeTransaction(bytes: Uint8Array): Transaction {
  const r: ByteReader = new ByteReader(bytes);
  const flags = r.u8('flags');
  if ((flags & ~KNOWN_FLAGS) !== 0) r.fail(`unknown flag bits 0x${flags.toString(16).padStart(2, '0')}`, 0);
  const version = r.u8('version');
  if (version !== TX_VERSION) r.fail(`unsupported transaction version ${version}`, 1);
  const lockTime = r.u32('lock time');
  if (lockTime === 0) r.fail('lock time must not be zero', 2);
  const fee = readAmount(r, 'fee');
  const memoAt = r.offset;
  const memoLength = r.varint('memo length');
  if (memoLength > BigInt(MAX_MEMO_BYTES))
    r.fail(`memo is ${memoLength} bytes; the limit is ${MAX_MEMO_BYTES}`, memoAt);
  const memo = tryDecodeUtf8(r.take(Number(memoLength), 'memo'));
  if (memo === null) r.fail('memo is not valid UTF-8', memoAt);
  const typeAt = r.offset;
  const type = r.u8('payload type');
  if (!(type in PAYLOAD_NAMES)) r.fail(`unknown payload type ${type}`, typeAt);
  const delegated = (flags & TxFlag.Delegation) !== 0;
  if (delegated && type !== PayloadType.Bond && type !== PayloadType.Unbond)
    r.fail('the delegation flag is only valid on bond and unbond', 0);
  const payload = readPayload(r, type as PayloadType, delegated);

  let signature: Uint8Array | null = null;
  let publicKey: Uint8Array | null = null;
  if ((flags & TxFlag.NotSigned) === 0) {
    const scheme = schemeForAddressType(signerOf(payload).type);
    if (!scheme) r.fail('a treasury transaction cannot be signed', 0);
    signature = r.take(SIGNATURE_SIZE[scheme], 'signature');
    if ((flags & TxFlag.StrippedPublicKey) === 0) publicKey = r.take(PUBLIC_KEY_SIZE[scheme], 'public key');
  }
  r.end();
  return { flags, version, lockTime, fee, memo, payload, signature, publicKey };
}

export function decodeTransactionHex(hex: string): Transaction {
  const bytes = tryHexToBytes(hex.trim());
  if (!bytes) {
    const bad = hex.trim().search(/[^0-9a-fA-F]/);
    throw new CodecError(
      bad >= 0 ? 'not hexadecimal' : 'odd number of hex digits',
      bad >= 0 ? Math.floor(bad / 2) : 0,
    );
  }
  return decodeTransaction(bytes);
}

// ---------------------------------------------------------------- encoding

function writeAddress(w: ByteWriter, address: Address): void {
  if (address.isTreasury()) w.u8(0);
  else w.bytes(address.bytes);
}

function writePayloadTo(w: ByteWriter, payload: Payload): void {
  w.u8(payload.type);
  switch (payload.type) {
    case PayloadType.Transfer:
      writeAddress(w, payload.from);
      writeAddress(w, payload.to);
      w.varint(payload.amount);
      return;
    case PayloadType.Bond:
      writeAddress(w, payload.from);
      writeAddress(w, payload.to);
      w.u8(payload.publicKey ? payload.publicKey.length : 0);
      if (payload.publicKey) w.bytes(payload.publicKey);
      w.varint(payload.stake);
      if (payload.delegation) {
        writeAddress(w, payload.delegation.owner);
        w.varint(payload.delegation.share);
        w.u32(payload.delegation.expiry);
      }
      return;
    case PayloadType.Sortition:
      writeAddress(w, payload.validator);
      w.bytes(payload.proof);
      return;
    case PayloadType.Unbond:
      writeAddress(w, payload.validator);
      if (payload.delegateOwner) writeAddress(w, payload.delegateOwner);
      return;
    case PayloadType.Withdraw:
      writeAddress(w, payload.from);
      writeAddress(w, payload.to);
      w.varint(payload.amount);
      return;
    case PayloadType.BatchTransfer:
      writeAddress(w, payload.from);
      w.varint(BigInt(payload.recipients.length));
      for (const { to, amount } of payload.recipients) {
        writeAddress(w, to);
        w.varint(amount);
      }
      return;
  }
}

function writeSignBytes(w: ByteWriter, tx: Transaction): void {
  const memo = utf8ToBytes(tx.memo);
  w.u8(tx.version).u32(tx.lockTime).varint(tx.fee).varint(BigInt(memo.length)).bytes(memo);
  writePayloadTo(w, tx.payload);
}

/**
 * Encodes a transaction. The result is decoded again before it is returned, so this can never produce bytes
 * that our own strict decoder (and the node) would refuse.
 */
export function encodeTransaction(tx: Transaction): Uint8Array {
  const w = new ByteWriter().u8(tx.flags);
  writeSignBytes(w, tx);
  if ((tx.flags & TxFlag.NotSigned) === 0) {
    if (!tx.signature) throw new CodecError('a signed transaction needs its signature', 0);
    w.bytes(tx.signature);
    if ((tx.flags & TxFlag.StrippedPublicKey) === 0) {
      if (!tx.publicKey) throw new CodecError('a signed transaction needs its public key', 0);
      w.bytes(tx.publicKey);
    }
  }
  const bytes = w.finish();
  if (((tx.flags & TxFlag.Delegation) !== 0) !== hasDelegation(tx.payload))
    throw new CodecError('the delegation flag does not match the payload', 0);
  decodeTransaction(bytes);
  return bytes;
}

export function encodeTransactionHex(tx: Transaction): string {
  return bytesToHex(encodeTransaction(tx));
}

/** The bytes a signer signs: everything after the flags byte, up to the signature. */
export function signBytes(tx: Transaction): Uint8Array {
  const w = new ByteWriter();
  writeSignBytes(w, tx);
  return w.finish();
}

/** BLAKE2b-256 of the sign bytes, lowercase hex; flags, signature and public key do not change it. */
export function transactionId(tx: Transaction): string {
  return bytesToHex(hash256(signBytes(tx)));
}

/** Signs locally: clears "not signed" and "stripped key", keeps the delegation flag, appends the full public key. */
export function signTransaction(tx: Transaction, key: PrivateKey): Transaction {
  const publicKey = key.publicKey();
  const signer = signerOf(tx.payload);
  const expected = publicKey.addressOfType(signer.type);
  if (!expected || !expected.equals(signer))
    throw new SignatureError('This key does not belong to the address that must sign this transaction.');
  return {
    ...tx,
    flags: tx.flags & ~(TxFlag.NotSigned | TxFlag.StrippedPublicKey),
    signature: key.sign(signBytes(tx)),
    publicKey: publicKey.bytes,
  };
}

export type VerifyResult =
  | { valid: true }
  | {
      valid: false;
      reason: 'unsigned' | 'no-public-key' | 'bad-public-key' | 'wrong-signer' | 'bad-signature';
    };

/** Checks the public key hashes to the signer address and the signature verifies over the sign bytes. */
export function verifyTransaction(tx: Transaction): VerifyResult {
  if (!tx.signature) return { valid: false, reason: 'unsigned' };
  if (!tx.publicKey) return { valid: false, reason: 'no-public-key' };
  const signer = signerOf(tx.payload);
  const scheme = schemeForAddressType(signer.type);
  if (!scheme) return { valid: false, reason: 'wrong-signer' };
  let key: PublicKey;
  try {
    key = PublicKey.fromBytes(scheme, tx.publicKey);
  } catch {
    return { valid: false, reason: 'bad-public-key' };
  }
  const owned = key.addressOfType(signer.type);
  if (!owned || !owned.equals(signer)) return { valid: false, reason: 'wrong-signer' };
  return key.verify(signBytes(tx), tx.signature)
    ? { valid: true }
    : { valid: false, reason: 'bad-signature' };
}

/** Total NanoPAC leaving the signer's balance (amount(s) + fee); bonds count their stake. */
export function totalDebit(tx: Transaction): bigint {
  const p = tx.payload;
  switch (p.type) {
    case PayloadType.Transfer:
    case PayloadType.Withdraw:
      return p.amount + tx.fee;
    case PayloadType.Bond:
      return p.stake + tx.fee;
    case PayloadType.BatchTransfer:
      return p.recipients.reduce((sum, r) => sum + r.amount, 0n) + tx.fee;
    case PayloadType.Sortition:
    case PayloadType.Unbond:
      return tx.fee;
  }
}
