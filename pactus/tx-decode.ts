import { Address, AddressType } from './address.js';
import { MAX_SUPPLY } from './amount.js';
import { equalBytes, hash160, hash256, tryDecodeUtf8, tryHexToBytes } from './bytes.js';
import { CodecError } from './errors.js';
import { PUBLIC_KEY_SIZE, PublicKey, SIGNATURE_SIZE, schemeForAddressType } from './keys.js';
import { ByteReader } from './wire.js';

import {
  BLS_PUBLIC_KEY_SIZE,
  MAX_BATCH_RECIPIENTS,
  MAX_MEMO_BYTES,
  MIN_BATCH_RECIPIENTS,
  PayloadType,
  SORTITION_PROOF_SIZE,
  TX_VERSION,
  TxFlag,
  PAYLOAD_NAMES,
  hasDelegation,
  signerOf,
  type Delegation,
  type Payload,
  type Recipient,
  type Transaction,
} from './tx-types.js';

// ---------------------------------------------------------------- decoding
//
// Two layers, as in the Go node (types/tx/tx.go): the wire format (`tx.FromBytes`: structure only) and
// `BasicCheck` (roles of addresses, counts, ranges, fees of free transactions). Strict decoding, the default,
// is both, so it accepts exactly what the node accepts (the vectors in test/fixtures/go-vectors.json pin it).

export interface DecodeOptions {
  /** Apply Go's BasicCheck (minus the signature requirement) on top of the wire format. Default true. */
  basicCheck?: boolean;
  /** Ignore bytes after the transaction, as Go's tx.FromBytes does. Default false: they are refused. */
  allowTrailing?: boolean;
}

/** PIP-49: a delegate share is at most 0.7 PAC (state/param/param.go) and divisible by 32 (payload/bond.go). */
export const MAX_DELEGATE_SHARE = 700_000_000n;

type Role = 'account' | 'validator';

/**
 * Reads an address: the type byte, then 20 hash bytes (the treasury is the single byte 0x00). With `role`
 * set, the address must fit it: Go's IsAccountAddress counts the treasury as an account (crypto/address.go).
 */
function readAddress(r: ByteReader, role: Role | null, what: string): Address {
  const start = r.offset;
  const type = r.u8(what);
  if (type > AddressType.Secp256k1Account) r.fail(`unknown address type ${type} in ${what}`, start);
  const address =
    type === AddressType.Treasury
      ? Address.treasury()
      : Address.fromHash(type as AddressType, r.take(20, what));
  if (role === 'account' && !address.isAccount()) r.fail(`${what} must be an account address`, start);
  if (role === 'validator' && !address.isValidator()) r.fail(`${what} must be a validator address`, start);
  return address;
}

/** Decodes one address as it appears inside a transaction (Go's Address.Decode), e.g. "00" for the treasury. */
export function decodeAddress(bytes: Uint8Array): Address {
  const r = new ByteReader(bytes);
  const address = readAddress(r, null, 'address');
  r.end();
  return address;
}

function readAmount(r: ByteReader, what: string, check: boolean): bigint {
  const start = r.offset;
  const value = r.varint(what);
  if (check && value > MAX_SUPPLY) r.fail(`${what} exceeds the max supply`, start);
  return value;
}

function readPayload(r: ByteReader, type: PayloadType, delegated: boolean, check: boolean): Payload {
  const role = (wanted: Role) => (check ? wanted : null);
  switch (type) {
    case PayloadType.Transfer:
      return {
        type,
        from: readAddress(r, role('account'), 'sender'),
        to: readAddress(r, role('account'), 'receiver'),
        amount: readAmount(r, 'amount', check),
      };
    case PayloadType.Bond: {
      const from = readAddress(r, role('account'), 'sender');
      const to = readAddress(r, role('validator'), 'validator');
      const keyAt = r.offset;
      const keyLength = Number(r.varint('public key length'));
      if (keyLength !== 0 && keyLength !== BLS_PUBLIC_KEY_SIZE)
        r.fail(`bond public key length must be 0 or ${BLS_PUBLIC_KEY_SIZE}, got ${keyLength}`, keyAt);
      const publicKey = keyLength ? r.take(keyLength, 'validator public key') : null;
      if (check && publicKey && !isBlsPublicKey(publicKey))
        r.fail('the bond public key is not a valid BLS key', keyAt);
      if (check && publicKey && !equalBytes(hashOfKey(publicKey), to.hash))
        r.fail('the bond public key does not belong to the validator address', keyAt);
      const stake = readAmount(r, 'stake', check);
      let delegation: Delegation | null = null;
      if (delegated) {
        const owner = readAddress(r, role('account'), 'delegate owner');
        const shareAt = r.offset;
        const share = readAmount(r, 'delegate share', check);
        const expiry = r.u32('delegate expiry');
        // A treasury owner is Go's "not delegated" (payload.IsDelegated); re-encoding drops the fields.
        if (!owner.isTreasury()) {
          if (check && share > MAX_DELEGATE_SHARE)
            r.fail('delegate share must be between 0 and 0.7 PAC', shareAt);
          if (check && share % 32n !== 0n) r.fail('delegate share should be dividable by 32', shareAt);
          delegation = { owner, share, expiry };
        }
      }
      return { type, from, to, publicKey, stake, delegation };
    }
    case PayloadType.Sortition:
      return {
        type,
        validator: readAddress(r, role('validator'), 'validator'),
        proof: r.take(SORTITION_PROOF_SIZE, 'sortition proof'),
      };
    case PayloadType.Unbond: {
      const validator = readAddress(r, role('validator'), 'validator');
      const owner = delegated ? readAddress(r, role('account'), 'delegate owner') : null;
      return { type, validator, delegateOwner: owner && !owner.isTreasury() ? owner : null };
    }
    case PayloadType.Withdraw:
      return {
        type,
        from: readAddress(r, role('validator'), 'validator'),
        to: readAddress(r, role('account'), 'receiver'),
        amount: readAmount(r, 'amount', check),
      };
    case PayloadType.BatchTransfer: {
      const from = readAddress(r, role('account'), 'sender');
      const countAt = r.offset;
      const count = r.varint('recipient count');
      // The wire format allows 0-8 (payload.ErrTooManyRecipients); BasicCheck wants 2-8.
      if (count > MAX_BATCH_RECIPIENTS)
        r.fail(`a batch transfer has at most ${MAX_BATCH_RECIPIENTS} recipients, not ${count}`, countAt);
      if (check && count < MIN_BATCH_RECIPIENTS)
        r.fail(
          `a batch transfer has ${MIN_BATCH_RECIPIENTS}-${MAX_BATCH_RECIPIENTS} recipients, not ${count}`,
          countAt,
        );
      const recipients: Recipient[] = [];
      let total = 0n;
      for (let i = 0; i < Number(count); i++) {
        const at = r.offset;
        const to = readAddress(r, role('account'), `recipient ${i + 1}`);
        if (check && recipients.some((x) => x.to.equals(to)))
          r.fail(`recipient ${i + 1} is listed twice`, at);
        const amountAt = r.offset;
        const amount = readAmount(r, `amount ${i + 1}`, check);
        if (check && amount === 0n) r.fail(`amount ${i + 1} is zero`, amountAt);
        total += amount;
        if (check && total > MAX_SUPPLY) r.fail('the batch total exceeds the max supply', amountAt);
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

/** Subsidy (treasury-signed), sortition and unbond transactions must pay a fee of 0 (tx.go IsFreeTx). */
export function isFreeTransaction(payload: Payload): boolean {
  return (
    payload.type === PayloadType.Unbond ||
    payload.type === PayloadType.Sortition ||
    signerOf(payload).isTreasury()
  );
}

/**
 * Decodes a raw transaction; anything malformed throws CodecError with the byte offset. Flags are read as
 * the node reads them and normalised the way it re-encodes them: unknown bits and a delegation bit on other
 * payloads are ignored (they are not part of the signed bytes, so the ID is unchanged).
 */
export function decodeTransaction(bytes: Uint8Array, options: DecodeOptions = {}): Transaction {
  const check = options.basicCheck ?? true;
  const r: ByteReader = new ByteReader(bytes);
  const rawFlags = r.u8('flags');
  const version = r.u8('version');
  // Go's Version() is the low nibble of the byte (tx.go); the whole byte is signed.
  if (check && (version & 0x0f) !== TX_VERSION) r.fail(`invalid version: ${version & 0x0f}`, 1);
  const lockTime = r.u32('lock time');
  if (check && lockTime === 0) r.fail('lock time must not be zero', 2);
  const feeAt = r.offset;
  const fee = readAmount(r, 'fee', check);
  const memoAt = r.offset;
  const memoLength = r.varint('memo length');
  if (check && memoLength > BigInt(MAX_MEMO_BYTES))
    r.fail(`memo is ${memoLength} bytes; the limit is ${MAX_MEMO_BYTES}`, memoAt);
  const memoRaw = r.take(Number(memoLength), 'memo');
  // Go keeps the memo as raw bytes; text that is not UTF-8 is shown lossily but signed byte for byte.
  const memoText = tryDecodeUtf8(memoRaw);
  const typeAt = r.offset;
  const type = r.u8('payload type');
  if (!(type in PAYLOAD_NAMES)) r.fail(`unknown payload type ${type}`, typeAt);
  const payload = readPayload(r, type as PayloadType, (rawFlags & TxFlag.Delegation) !== 0, check);
  if (check && isFreeTransaction(payload) && fee !== 0n)
    r.fail(`a ${PAYLOAD_NAMES[payload.type]} transaction must pay a fee of 0`, feeAt);

  let signature: Uint8Array | null = null;
  let publicKey: Uint8Array | null = null;
  if ((rawFlags & TxFlag.NotSigned) === 0) {
    const scheme = schemeForAddressType(signerOf(payload).type);
    if (!scheme) r.fail('a treasury transaction cannot be signed', 0);
    signature = r.take(SIGNATURE_SIZE[scheme], 'signature');
    if ((rawFlags & TxFlag.StrippedPublicKey) === 0)
      publicKey = r.take(PUBLIC_KEY_SIZE[scheme], 'public key');
  }
  if (!options.allowTrailing) r.end();
  const flags =
    (signature ? 0 : TxFlag.NotSigned) |
    (signature && !publicKey ? TxFlag.StrippedPublicKey : 0) |
    (hasDelegation(payload) ? TxFlag.Delegation : 0);
  return {
    flags,
    version,
    lockTime,
    fee,
    memo: memoText ?? new TextDecoder().decode(memoRaw),
    ...(memoText === null && { memoBytes: memoRaw }),
    payload,
    signature,
    publicKey,
  };
}

export function decodeTransactionHex(hex: string, options: DecodeOptions = {}): Transaction {
  const bytes = tryHexToBytes(hex.trim());
  if (!bytes) {
    const bad = hex.trim().search(/[^0-9a-fA-F]/);
    throw new CodecError(
      bad >= 0 ? 'not hexadecimal' : 'odd number of hex digits',
      bad >= 0 ? Math.floor(bad / 2) : 0,
    );
  }
  return decodeTransaction(bytes, options);
}
