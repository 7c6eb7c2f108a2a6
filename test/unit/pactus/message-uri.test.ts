import { describe, expect, it } from 'vitest';
import {
  UriError,
  buildPaymentUri,
  isSafeMessage,
  parseAddressFor,
  parsePaymentUri,
  parsePrivateKey,
  signMessage,
  signBytes,
  decodeTransactionHex,
} from '../../../pactus/index.js';
import { vectors } from '../../fixtures/vectors.js';

describe('isSafeMessage', () => {
  it('accepts printable text and refuses what could be transaction sign bytes', () => {
    expect(isSafeMessage('Link tpc1z... to Discord user 42\nnonce: abc')).toBe(true);
    expect(isSafeMessage('')).toBe(false);
    expect(isSafeMessage('\u0001hello')).toBe(false);
    expect(isSafeMessage('hello\u0000')).toBe(false);
    expect(isSafeMessage('pay \u202Eevil')).toBe(false);
    const tx = decodeTransactionHex(vectors.transactions[0]!.signedHex);
    expect(isSafeMessage(signBytes(tx))).toBe(false);
    expect(isSafeMessage(new Uint8Array([0xff, 0xfe]))).toBe(false);
  });

  it('signMessage refuses unsafe text', () => {
    const { key } = parsePrivateKey(vectors.keys[0]!.privateKey);
    expect(() => signMessage(key, '\u0001\u0002')).toThrowError(/Refusing/);
  });
});

describe('PIP-42 payment URI', () => {
  const address = parseAddressFor(vectors.keys[0]!.accountAddressTestnet!, 'testnet');
  it('builds and parses', () => {
    const uri = buildPaymentUri({ address, amount: 1_500_000_000n, memo: 'rent & food' }, 'testnet');
    expect(uri).toBe(`pactus:${address.toString('testnet')}?amount=1.5&memo=rent%20%26%20food`);
    const back = parsePaymentUri(uri, 'testnet');
    expect(back.address.equals(address)).toBe(true);
    expect(back.amount).toBe(1_500_000_000n);
    expect(back.memo).toBe('rent & food');
    expect(parsePaymentUri(`pactus:${address.toString('testnet')}`, 'testnet').amount).toBeNull();
  });
  it('rejects bad URIs', () => {
    expect(() => parsePaymentUri('bitcoin:abc', 'testnet')).toThrowError(UriError);
    expect(() => parsePaymentUri(`pactus:${address.toString('testnet')}?amount=1e5`, 'testnet')).toThrowError(
      /exponent/,
    );
    expect(() =>
      parsePaymentUri(`pactus:${address.toString('testnet')}?memo=${'x'.repeat(65)}`, 'testnet'),
    ).toThrowError(/64 bytes/);
  });
});

describe('a memo with hidden characters, as the page and the chat describe it', () => {
  it('shows each hidden character as its code point, with a warning', async () => {
    const { describeTransaction, newTransaction, PayloadType, Address, AddressType } =
      await import('../../../pactus/index.js');
    const account = Address.fromHash(AddressType.Ed25519Account, new Uint8Array(20).fill(3));
    const tx = newTransaction({
      lockTime: 9,
      fee: 10_000_000n,
      memo: 'send \u202E0001 CBA',
      payload: { type: PayloadType.Transfer, from: account, to: account, amount: 1n },
    });
    const memo = describeTransaction(tx, 'testnet').rows.find((r) => r.label === 'Memo')!.value;
    expect(memo).toBe('send [U+202E]0001 CBA (warning: contains hidden or direction-changing characters)');
  });
});
