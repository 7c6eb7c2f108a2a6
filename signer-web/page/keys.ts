import { AddressType, type Address } from '../../pactus/address.js';
import {
  KEY_PURPOSES,
  deriveWalletKey,
  isValidMnemonic,
  mnemonicToSeed,
  ADDRESS_GAP_LIMIT,
  type KeyPurpose,
} from '../../pactus/hd.js';
import { parsePrivateKey, type PrivateKey } from '../../pactus/keys.js';
import type { Network } from '../../pactus/network.js';

export type KeySearch = { found: { address: Address; key: PrivateKey }[] } | { error: string };

const PURPOSE_FOR_TYPE: Partial<Record<AddressType, KeyPurpose>> = {
  [AddressType.Validator]: 'validator',
  [AddressType.BlsAccount]: 'bls-account',
  [AddressType.Ed25519Account]: 'ed25519-account',
};

const NAMES: Record<KeyPurpose, string> = {
  validator: 'validator',
  'bls-account': 'BLS account',
  'ed25519-account': 'Ed25519 account',
};

/**
 * Finds the keys for `signers` in what the person typed: a private key string, or a recovery phrase whose first
 * eight keys of the matching kind are derived here, in the browser. Nothing leaves the page.
 */
export function findSigningKeys(secret: string, signers: Address[], network: Network): KeySearch {
  const text = secret.trim();
  if (text === '') return { error: 'Enter your recovery phrase or private key.' };
  if (/^t?secret1/i.test(text)) {
    let key: PrivateKey;
    try {
      const parsed = parsePrivateKey(text);
      if (parsed.network !== network)
        return { error: `This private key is for ${parsed.network}; this request is on ${network}.` };
      key = parsed.key;
    } catch (error) {
      return { error: (error as Error).message };
    }
    const pub = key.publicKey();
    const found = signers
      .filter((s) => pub.addressOfType(s.type)?.equals(s))
      .map((address) => ({ address, key }));
    if (found.length === 0) {
      key.wipe();
      return {
        error: `This private key does not belong to ${signers.map((s) => s.toString(network)).join(' or ')}.`,
      };
    }
    return { found };
  }
  const words = text.split(/\s+/).length;
  if (words !== 12 && words !== 24)
    return { error: 'A recovery phrase has 12 or 24 words; a private key starts with SECRET1 or TSECRET1.' };
  if (!isValidMnemonic(text))
    return { error: 'This recovery phrase is not valid: a word is misspelt or out of order.' };
  const seed = mnemonicToSeed(text);
  const found: { address: Address; key: PrivateKey }[] = [];
  const searched = new Set<KeyPurpose>();
  try {
    for (const purpose of KEY_PURPOSES) {
      const wanted = signers.filter((s) => PURPOSE_FOR_TYPE[s.type] === purpose);
      if (wanted.length === 0) continue;
      searched.add(purpose);
      for (let i = 0; i < ADDRESS_GAP_LIMIT && found.length < signers.length; i++) {
        const key = deriveWalletKey(seed, purpose, network, i);
        const pub = key.publicKey();
        const match = wanted.find((s) => pub.addressOfType(s.type)?.equals(s));
        if (match) found.push({ address: match, key });
        else key.wipe();
      }
    }
  } finally {
    seed.fill(0);
  }
  if (found.length === 0) {
    const kinds = [...searched].map((p) => NAMES[p]).join(' and ');
    return {
      error: `This recovery phrase does not hold ${signers.map((s) => s.toString(network)).join(' or ')} (checked its first ${ADDRESS_GAP_LIMIT} ${kinds || 'account'} keys).`,
    };
  }
  return { found };
}
