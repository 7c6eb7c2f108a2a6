import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Address,
  AddressType,
  CodecError,
  MAX_SUPPLY,
  PayloadType,
  PrivateKey,
  TxFlag,
  decodeTransaction,
  encodeTransaction,
  type Payload,
  type Transaction,
} from '../../../pactus/index.js';
import { SIGNATURE_SIZE, PUBLIC_KEY_SIZE, schemeForAddressType } from '../../../pactus/keys.js';
import { MAX_DELEGATE_SHARE, isFreeTransaction, signerOf } from '../../../pactus/tx.js';
import { vectors } from '../../fixtures/vectors.js';
import { bytesToHex, tryHexToBytes } from '../../../pactus/bytes.js';

const blsKeys = [1, 2, 3].map((i) => PrivateKey.fromBytes('bls', new Uint8Array(32).fill(i)).publicKey());

const hash20 = fc.uint8Array({ minLength: 20, maxLength: 20 });
const account = fc
  .tuple(
    fc.constantFrom(AddressType.BlsAccount, AddressType.Ed25519Account, AddressType.Secp256k1Account),
    hash20,
  )
  .map(([t, h]) => Address.fromHash(t, h));
const validator = hash20.map((h) => Address.fromHash(AddressType.Validator, h));
const amount = fc.bigInt({ min: 0n, max: MAX_SUPPLY });
const positive = fc.bigInt({ min: 1n, max: MAX_SUPPLY / 8n });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

const payload: fc.Arbitrary<Payload> = fc.oneof(
  fc.record({
    type: fc.constant(PayloadType.Transfer as const),
    from: fc.oneof(account, fc.constant(Address.treasury())),
    to: account,
    amount,
  }),
  fc
    .record({
      from: account,
      key: fc.option(fc.constantFrom(...blsKeys)),
      to: validator,
      stake: amount,
      delegation: fc.option(
        fc.record({
          owner: account,
          share: fc.bigInt({ min: 0n, max: MAX_DELEGATE_SHARE / 32n }).map((n) => n * 32n),
          expiry: u32,
        }),
      ),
    })
    .map(({ from, key, to, stake, delegation }) => ({
      type: PayloadType.Bond as const,
      from,
      to: key ? key.validatorAddress() : to,
      publicKey: key ? key.bytes : null,
      stake,
      delegation,
    })),
  fc.record({
    type: fc.constant(PayloadType.Sortition as const),
    validator,
    proof: fc.uint8Array({ minLength: 48, maxLength: 48 }),
  }),
  fc.record({ type: fc.constant(PayloadType.Unbond as const), validator, delegateOwner: fc.option(account) }),
  fc.record({ type: fc.constant(PayloadType.Withdraw as const), from: validator, to: account, amount }),
  fc.record({
    type: fc.constant(PayloadType.BatchTransfer as const),
    from: account,
    recipients: fc.uniqueArray(fc.record({ to: account, amount: positive }), {
      minLength: 2,
      maxLength: 8,
      selector: (r) => r.to.toHex(),
    }),
  }),
);

const transaction: fc.Arbitrary<Transaction> = fc
  .record({
    lockTime: fc.integer({ min: 1, max: 0xffff_ffff }),
    fee: amount,
    memo: fc
      .string({ unit: 'grapheme', maxLength: 16 })
      .filter((m) => new TextEncoder().encode(m).length <= 64),
    payload,
    signed: fc.boolean(),
    stripped: fc.boolean(),
    seed: fc.uint8Array({ minLength: 96, maxLength: 96 }),
  })
  .map(({ lockTime, fee, memo, payload, signed, stripped, seed }) => {
    const delegated =
      (payload.type === PayloadType.Bond && payload.delegation) ||
      (payload.type === PayloadType.Unbond && payload.delegateOwner);
    const scheme = schemeForAddressType(signerOf(payload).type);
    const canSign = signed && scheme !== null;
    return {
      // Unbond, sortition and treasury (subsidy) transactions must pay 0 (Go tx.go checkFee).
      fee: isFreeTransaction(payload) ? 0n : fee,
      flags:
        (canSign ? 0 : TxFlag.NotSigned) |
        (canSign && stripped ? TxFlag.StrippedPublicKey : 0) |
        (delegated ? TxFlag.Delegation : 0),
      version: 1,
      lockTime,
      memo,
      payload,
      signature: canSign ? seed.slice(0, SIGNATURE_SIZE[scheme]) : null,
      publicKey: canSign && !stripped ? seed.slice(0, PUBLIC_KEY_SIZE[scheme]) : null,
    };
  });

// The checks inside the properties below run hundreds of thousands of times: as plain comparisons rather than
// expect() (whose bookkeeping per call was a third of this file's time), failing the same way fast-check reports.
function mustEqual<T>(what: string, actual: T, expected: T): void {
  if (!Object.is(actual, expected))
    throw new Error(`${what}: ${String(actual)} instead of ${String(expected)}`);
}

describe('transaction codec properties', () => {
  it('encode(decode(x)) == x for generated transactions of every payload type', () => {
    const seen = new Set<PayloadType>();
    fc.assert(
      fc.property(transaction, (tx) => {
        seen.add(tx.payload.type);
        const bytes = encodeTransaction(tx);
        const decoded = decodeTransaction(bytes);
        mustEqual('re-encoded bytes', bytesToHex(encodeTransaction(decoded)), bytesToHex(bytes));
        mustEqual('memo', decoded.memo, tx.memo);
        mustEqual('fee', decoded.fee, tx.fee);
      }),
      { numRuns: 3000 },
    );
    expect(seen.size).toBe(6);
  });

  function onlyCodecErrors(bytes: Uint8Array): void {
    try {
      decodeTransaction(bytes);
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      // Written so that a missing or NaN offset fails too, as toBeGreaterThanOrEqual would.
      if (!(error.offset >= 0 && error.offset <= bytes.length))
        throw new Error(`CodecError offset ${error.offset} outside 0..${bytes.length}`, { cause: error });
    }
  }

  it('decoding 100,000 random byte strings throws only CodecError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), onlyCodecErrors), { numRuns: 100_000 });
  });

  it('decoding mutated valid transactions throws only CodecError', () => {
    const valid = [
      ...vectors.transactions.map((t) => t.signedHex),
      ...vectors.derivedTransactions.items.map((t) => t.unsignedHex),
    ].map((h) => tryHexToBytes(h)!);
    const mutated = fc
      .tuple(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.constantFrom('set', 'insert', 'delete')), {
          minLength: 1,
          maxLength: 4,
        }),
      )
      .map(([base, edits]) => {
        const bytes = [...base];
        for (const [pos, value, op] of edits) {
          const i = pos % (bytes.length + 1);
          if (op === 'set' && i < bytes.length) bytes[i] = value;
          else if (op === 'insert') bytes.splice(i, 0, value);
          else bytes.splice(i, 1);
        }
        return Uint8Array.from(bytes);
      });
    fc.assert(fc.property(mutated, onlyCodecErrors), { numRuns: 20_000 });
  });
});
