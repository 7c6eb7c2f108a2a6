import { bls12_381 } from '@noble/curves/bls12-381.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { generateMnemonic as scureGenerate, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { concatBytes, utf8ToBytes } from './bytes.js';
import { KeyError, MnemonicError } from './errors.js';
import { PrivateKey } from './keys.js';
import { NETWORK_PARAMS, type Network } from './network.js';

const HARDENED = 0x8000_0000;
const BLS_ORDER = bls12_381.fields.Fr.ORDER;
const blsPublicKey = (sk: Uint8Array): Uint8Array => bls12_381.shortSignatures.getPublicKey(sk).toBytes(true);

// ---------------------------------------------------------------- BIP-39

/** A new 12-word (128-bit) or 24-word (256-bit) English mnemonic. */
export function generateMnemonic(words: 12 | 24 = 24): string {
  return scureGenerate(wordlist, words === 12 ? 128 : 256);
}

export function normalizeMnemonic(mnemonic: string): string {
  return mnemonic.trim().toLowerCase().split(/\s+/).join(' ');
}

export function isValidMnemonic(mnemonic: string): boolean {
  const normalized = normalizeMnemonic(mnemonic);
  const count = normalized.split(' ').length;
  return (count === 12 || count === 24) && validateMnemonic(normalized, wordlist);
}

export function mnemonicToSeed(mnemonic: string, passphrase = ''): Uint8Array {
  const normalized = normalizeMnemonic(mnemonic);
  const count = normalized.split(' ').length;
  if (count !== 12 && count !== 24)
    throw new MnemonicError(`A recovery phrase has 12 or 24 words, not ${count}.`);
  const unknown = normalized.split(' ').find((w) => !wordlist.includes(w));
  if (unknown !== undefined)
    throw new MnemonicError(`"${unknown.slice(0, 20)}" is not a word of the BIP-39 English list.`);
  if (!validateMnemonic(normalized, wordlist))
    throw new MnemonicError(
      'The recovery phrase has a wrong checksum: a word is probably mistyped or out of order.',
    );
  return mnemonicToSeedSync(normalized, passphrase);
}

// ---------------------------------------------------------------- BLS (IETF KeyGen + Pactus PIP-11 HD)

/** IETF BLS KeyGen (draft-irtf-cfrg-bls-signature-05 §2.3): HKDF-SHA256 with a re-hashed salt on every round. */
export function blsKeyGen(ikm: Uint8Array, keyInfo: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (ikm.length < 32) throw new KeyError('BLS KeyGen needs at least 32 bytes of input key material.');
  let salt: Uint8Array = utf8ToBytes('BLS-SIG-KEYGEN-SALT-');
  const L = 48;
  const info = concatBytes(keyInfo, numberToBytesBE(L, 2));
  for (;;) {
    salt = sha256(salt);
    const okm = hkdf(sha256, concatBytes(ikm, new Uint8Array([0])), salt, info, L);
    const sk = bytesToNumberBE(okm) % BLS_ORDER;
    if (sk !== 0n) return numberToBytesBE(sk, 32);
  }
}

interface ExtendedKey {
  key: Uint8Array;
  chainCode: Uint8Array;
}

function blsMaster(seed: Uint8Array): ExtendedKey {
  const I = hmac(sha512, utf8ToBytes('BLS12381 seed'), seed);
  return { key: blsKeyGen(I.subarray(0, 32)), chainCode: I.slice(32) };
}

function blsChild(parent: ExtendedKey, index: number): ExtendedKey {
  const hardened = index >= HARDENED;
  const indexBytes = numberToBytesBE(index, 4);
  let data = hardened
    ? concatBytes(new Uint8Array([0]), parent.key, indexBytes)
    : concatBytes(blsPublicKey(parent.key), indexBytes);
  for (;;) {
    const I = hmac(sha512, parent.chainCode, data);
    const IL = bytesToNumberBE(I.subarray(0, 32));
    const child = (IL + bytesToNumberBE(parent.key)) % BLS_ORDER;
    if (IL < BLS_ORDER && child !== 0n) return { key: numberToBytesBE(child, 32), chainCode: I.slice(32) };
    data = concatBytes(new Uint8Array([1]), I.subarray(32), indexBytes);
  }
}

// ---------------------------------------------------------------- Ed25519 (SLIP-10, hardened only)

function ed25519Master(seed: Uint8Array): ExtendedKey {
  const I = hmac(sha512, utf8ToBytes('ed25519 seed'), seed);
  return { key: I.slice(0, 32), chainCode: I.slice(32) };
}

function ed25519Child(parent: ExtendedKey, index: number): ExtendedKey {
  if (index < HARDENED) throw new KeyError('SLIP-10 Ed25519 derivation supports hardened indexes only.');
  const I = hmac(
    sha512,
    parent.chainCode,
    concatBytes(new Uint8Array([0]), parent.key, numberToBytesBE(index, 4)),
  );
  return { key: I.slice(0, 32), chainCode: I.slice(32) };
}

// ---------------------------------------------------------------- paths

/** Parses "m/12381'/21888'/2'/0" into indexes (hardened ones with the top bit set). */
export function parsePath(path: string): number[] {
  const parts = path.split('/');
  if (parts[0] !== 'm') throw new KeyError(`A derivation path starts with "m": ${path}`);
  return parts.slice(1).map((part) => {
    const match = /^(\d+)(['hH]?)$/.exec(part);
    if (!match) throw new KeyError(`Bad path segment "${part}" in ${path}`);
    const n = Number(match[1]);
    if (n >= HARDENED) throw new KeyError(`Path index ${n} is too large.`);
    return match[2] ? n + HARDENED : n;
  });
}

export type HdScheme = 'bls' | 'ed25519';

/** Seeds are 16-64 bytes, as in BIP-32 and the Go node's hdkeychain (ErrInvalidSeedLen). */
export const MIN_SEED_BYTES = 16;
export const MAX_SEED_BYTES = 64;

export function derivePrivateKeyBytes(scheme: HdScheme, seed: Uint8Array, path: string): Uint8Array {
  if (seed.length < MIN_SEED_BYTES || seed.length > MAX_SEED_BYTES)
    throw new KeyError(`An HD seed is ${MIN_SEED_BYTES}-${MAX_SEED_BYTES} bytes, got ${seed.length}.`);
  const indexes = parsePath(path);
  let node = scheme === 'bls' ? blsMaster(seed) : ed25519Master(seed);
  for (const index of indexes) node = scheme === 'bls' ? blsChild(node, index) : ed25519Child(node, index);
  return node.key;
}

export type KeyPurpose = 'validator' | 'bls-account' | 'ed25519-account';

export const KEY_PURPOSES: readonly KeyPurpose[] = ['ed25519-account', 'bls-account', 'validator'];

/** The Pactus wallet path for key `index` of `purpose` on `network`. */
export function walletPath(purpose: KeyPurpose, network: Network, index: number): string {
  const coin = NETWORK_PARAMS[network].coinType;
  switch (purpose) {
    case 'validator':
      return `m/12381'/${coin}'/1'/${index}`;
    case 'bls-account':
      return `m/12381'/${coin}'/2'/${index}`;
    case 'ed25519-account':
      return `m/44'/${coin}'/3'/${index}'`;
  }
}

export function deriveWalletKey(
  seed: Uint8Array,
  purpose: KeyPurpose,
  network: Network,
  index: number,
): PrivateKey {
  const scheme: HdScheme = purpose === 'ed25519-account' ? 'ed25519' : 'bls';
  return PrivateKey.fromBytes(
    scheme,
    derivePrivateKeyBytes(scheme, seed, walletPath(purpose, network, index)),
  );
}

/** Wallet recovery scans this many addresses per purpose. */
export const ADDRESS_GAP_LIMIT = 8;
