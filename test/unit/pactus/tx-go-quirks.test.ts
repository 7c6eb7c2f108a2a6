// Corners of the wire format where the Go node (types/tx/tx.go, payload/*.go) accepts more than a naive strict
// decoder would; refusing them would make the bot choke on transactions the chain holds.
import { describe, expect, it } from 'vitest';
import {
  Address,
  AddressType,
  CodecError,
  PayloadType,
  TxFlag,
  bytesToHex,
  decodeTransaction,
  encodeTransaction,
  newTransaction,
  transactionId,
} from '../../../pactus/index.js';

const account = Address.fromHash(AddressType.Ed25519Account, new Uint8Array(20).fill(7));
const validator = Address.fromHash(AddressType.Validator, new Uint8Array(20).fill(9));
const transfer = newTransaction({
  lockTime: 5,
  fee: 10_000_000n,
  memo: 'hi',
  payload: { type: PayloadType.Transfer, from: account, to: account, amount: 1n },
});
const bytes = encodeTransaction(transfer);

describe('Go wire-format corners', () => {
  it('unknown flag bits and a delegation bit on a transfer are ignored; the ID is unchanged', () => {
    for (const flags of [0x02 | 0x04, 0x02 | 0x40, 0xfa]) {
      const odd = Uint8Array.from(bytes);
      odd[0] = flags;
      const tx = decodeTransaction(odd);
      expect(tx.flags).toBe(TxFlag.NotSigned);
      expect(transactionId(tx)).toBe(transactionId(transfer));
    }
  });

  it('the version is the low nibble of its byte, and the whole byte is signed', () => {
    const odd = Uint8Array.from(bytes);
    odd[1] = 0x11;
    const tx = decodeTransaction(odd);
    expect(tx.version).toBe(0x11);
    expect(transactionId(tx)).not.toBe(transactionId(transfer));
    odd[1] = 0x02;
    expect(() => decodeTransaction(odd)).toThrowError(/invalid version: 2/);
  });

  it('a memo that is not UTF-8 is kept byte for byte', () => {
    const odd = Uint8Array.from(bytes);
    const memoAt = bytes.indexOf(0x68); // "h"
    odd[memoAt] = 0xff;
    const tx = decodeTransaction(odd);
    expect(tx.memoBytes).toEqual(Uint8Array.from([0xff, 0x69]));
    expect(bytesToHex(encodeTransaction(tx))).toBe(bytesToHex(odd));
  });

  it('trailing bytes are refused unless asked to ignore them like tx.FromBytes', () => {
    const longer = Uint8Array.from([...bytes, 0]);
    expect(() => decodeTransaction(longer)).toThrowError(CodecError);
    expect(transactionId(decodeTransaction(longer, { allowTrailing: true }))).toBe(transactionId(transfer));
  });

  it('a delegated unbond whose owner is the treasury is a plain unbond signed by the validator', () => {
    const unbond = newTransaction({
      lockTime: 5,
      fee: 0n,
      payload: { type: PayloadType.Unbond, validator, delegateOwner: null },
    });
    const plain = encodeTransaction(unbond);
    const withOwner = Uint8Array.from([plain[0]! | TxFlag.Delegation, ...plain.slice(1), 0x00]);
    const tx = decodeTransaction(withOwner);
    expect(tx.payload).toMatchObject({ type: PayloadType.Unbond, delegateOwner: null });
    expect(tx.flags & TxFlag.Delegation).toBe(0);
    expect(transactionId(tx)).toBe(transactionId(unbond));
  });

  it('treasury receivers are accounts (withdraws and transfers to the treasury are valid)', () => {
    const tx = newTransaction({
      lockTime: 5,
      fee: 10_000_000n,
      payload: { type: PayloadType.Withdraw, from: validator, to: Address.treasury(), amount: 1n },
    });
    expect(decodeTransaction(encodeTransaction(tx)).payload).toMatchObject({ to: Address.treasury() });
  });

  it('free transactions must pay 0: unbond, and the subsidy from the treasury', () => {
    const subsidy = Uint8Array.from(
      encodeTransaction(
        newTransaction({
          lockTime: 5,
          fee: 0n,
          payload: {
            type: PayloadType.BatchTransfer,
            from: Address.treasury(),
            recipients: [
              { to: account, amount: 3n },
              { to: Address.fromHash(AddressType.BlsAccount, new Uint8Array(20).fill(1)), amount: 7n },
            ],
          },
        }),
      ),
    );
    expect(decodeTransaction(subsidy).payload.type).toBe(PayloadType.BatchTransfer);
    const paying = Uint8Array.from([...subsidy.slice(0, 6), 1, ...subsidy.slice(7)]);
    expect(() => decodeTransaction(paying)).toThrowError(/must pay a fee of 0/);
    expect(decodeTransaction(paying, { basicCheck: false }).fee).toBe(1n);
  });
});
