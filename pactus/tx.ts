// Transactions: building, encoding, signing and verifying (types in tx-types.ts, decoding in tx-decode.ts; all
// re-exported here, so `./tx.js` stays the one import).
import { Address } from './address.js';
import { bytesToHex, hash256, utf8ToBytes } from './bytes.js';
import { CodecError, SignatureError } from './errors.js';
import { PublicKey, schemeForAddressType, type PrivateKey } from './keys.js';
import { ByteWriter } from './wire.js';
import { decodeTransaction } from './tx-decode.js';
import {
  PayloadType,
  TX_VERSION,
  TxFlag,
  hasDelegation,
  signerOf,
  type Payload,
  type Transaction,
} from './tx-types.js';

export * from './tx-types.js';
export * from './tx-decode.js';

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
      w.varint(BigInt(payload.publicKey ? payload.publicKey.length : 0));
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
  const memo = tx.memoBytes ?? utf8ToBytes(tx.memo);
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
