import { bech32m } from '@scure/base';
import { describe, expect, it } from 'vitest';
import {
  Address,
  AddressError,
  AddressType,
  TREASURY_STRING,
  parseAddressAnyNetwork,
  parseAddressFor,
  isValidAddress,
} from '../../../pactus/index.js';
import { vectors } from '../../fixtures/vectors.js';

const bls = vectors.keys[0]!;

describe('addresses', () => {
  it('knows the types', () => {
    expect(parseAddressAnyNetwork(bls.validatorAddress!).address.type).toBe(AddressType.Validator);
    expect(parseAddressAnyNetwork(bls.accountAddress).address.type).toBe(AddressType.BlsAccount);
    expect(parseAddressAnyNetwork(vectors.keys[2]!.accountAddress).address.type).toBe(
      AddressType.Ed25519Account,
    );
    expect(parseAddressAnyNetwork(vectors.keys[4]!.accountAddress).address.type).toBe(
      AddressType.Secp256k1Account,
    );
  });

  it('validates the network and the role with specific messages', () => {
    expect(parseAddressFor(bls.accountAddressTestnet!, 'testnet', 'account').toString('testnet')).toBe(
      bls.accountAddressTestnet,
    );
    expect(() => parseAddressFor(bls.accountAddress, 'testnet')).toThrowError(/mainnet address.*testnet/);
    expect(() => parseAddressFor(bls.validatorAddressTestnet!, 'testnet', 'account')).toThrowError(
      /validator address/,
    );
    expect(() => parseAddressFor(bls.accountAddressTestnet!, 'testnet', 'validator')).toThrowError(
      /account address/,
    );
    expect(isValidAddress(bls.accountAddressTestnet!, 'testnet', 'account')).toBe(true);
  });

  it('rejects bad checksums, mixed case, other prefixes and the treasury', () => {
    const good = bls.accountAddress;
    const flipped = good.slice(0, -1) + (good.endsWith('q') ? 'p' : 'q');
    expect(() => parseAddressAnyNetwork(flipped)).toThrowError(AddressError);
    expect(() => parseAddressAnyNetwork(good.slice(0, 10) + good.slice(10).toUpperCase())).toThrowError(
      /mixes/,
    );
    expect(parseAddressAnyNetwork(good.toUpperCase()).address.toString('mainnet')).toBe(good);
    const foreign = bech32m.encode('bc', bech32m.decode(good as `${string}1${string}`).words);
    expect(() => parseAddressAnyNetwork(foreign)).toThrowError(/prefix "bc"/);
    expect(() => parseAddressAnyNetwork(TREASURY_STRING)).toThrowError(/treasury/);
    expect(() => parseAddressAnyNetwork('')).toThrowError(AddressError);
    expect(() => parseAddressAnyNetwork('pc1')).toThrowError(AddressError);
  });

  it('formats the treasury as 42 zeros', () => {
    expect(Address.treasury().toString('mainnet')).toBe(TREASURY_STRING);
    expect(Address.treasury().isTreasury()).toBe(true);
  });
});
