// Devnet keys from fixed bytes instead of the HD phrase: the same shape as devnetKeys() without PIP-11's BLS
// derivation, which costs seconds on a loaded 2-core machine. For tests whose subject is not the phrase; their
// chain is its own (another genesis).
import { PrivateKey } from '../../pactus/keys.js';
import { devnetKeySet, type DevnetKeys } from '../../devnet/genesis.js';

const SEED_BYTE = { 'ed25519-account': 200, 'bls-account': 210, validator: 220 } as const;

export function fixedDevnetKeys(): DevnetKeys {
  return devnetKeySet((purpose, index) =>
    PrivateKey.fromBytes(
      purpose === 'ed25519-account' ? 'ed25519' : 'bls',
      new Uint8Array(32).fill(SEED_BYTE[purpose] + index),
    ),
  );
}
