// The devnet's table of localnet Foundation addresses is what state/param/param.go derives: every one of the 100
// derived again here (BLS keys from BLAKE2b-256 of the bytes 0..99), and the devnet hands them out in turn.
import { expect, it } from 'vitest';
import { deriveFoundationAddress, foundationAddress } from '../../../devnet/genesis.js';
import { FOUNDATION_ADDRESSES } from '../../../devnet/foundation-addresses.js';

it('the table holds the 100 derived addresses, in order', () => {
  expect(FOUNDATION_ADDRESSES).toHaveLength(100);
  const derived = FOUNDATION_ADDRESSES.map((_, i) => deriveFoundationAddress(i).toString('testnet'));
  expect(derived).toEqual(FOUNDATION_ADDRESSES);
  expect(new Set(derived).size).toBe(100);
});

it('height h pays the address of index h mod 100 (param.go FoundationAddress)', () => {
  for (const height of [0, 1, 99, 100, 101, 8_000_000, 8_000_099, 2 ** 31 - 1])
    expect(foundationAddress(height).toString('testnet')).toBe(FOUNDATION_ADDRESSES[height % 100]);
});
