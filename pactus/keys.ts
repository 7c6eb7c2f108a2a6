import { bls12_381 } from '@noble/curves/bls12-381.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bech32m } from '@scure/base';
import { Address, AddressType } from './address.js';
import { hash160, hash256 } from './bytes.js';
import { KeyError } from './errors.js';
import { NETWORK_PARAMS, type Network } from './network.js';

export type SignatureScheme = 'bls' | 'ed25519' | 'secp256k1';

/** The type word in key strings; it equals the account address type for Ed25519 and secp256k1. */
const SCHEME_WORD: Record<SignatureScheme, number> = { bls: 1, ed25519: 3, secp256k1: 4 };
export const PUBLIC_KEY_SIZE: Record<SignatureScheme, number> = { bls: 96, ed25519: 32, secp256k1: 33 };
export const SIGNATURE_SIZE: Record<SignatureScheme, number> = { bls: 48, ed25519: 64, secp256k1: 64 };

/** Pactus signs with BLS "minimal signature size": G2 public keys, G1 signatures, basic-scheme DST. */
export const BLS_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
const bls = bls12_381.shortSignatures;
// BLS public key strings are ~170 characters: bech32's 90-character limit must be lifted.
const KEY_STRING_LIMIT = 1023;

/** Which scheme signs for an address of this type, or null for the treasury (which never signs). */
export function schemeForAddressType(type: AddressType): SignatureScheme | null {
  switch (type) {
    case AddressType.Validator:
    case AddressType.BlsAccount:
      return 'bls';
    case AddressType.Ed25519Account:
      return 'ed25519';
    case AddressType.Secp256k1Account:
      return 'secp256k1';
    case AddressType.Treasury:
      return null;
  }
}

export class PublicKey {
  private constructor(
    readonly scheme: SignatureScheme,
    readonly bytes: Uint8Array,
  ) {}

  static fromBytes(scheme: SignatureScheme, bytes: Uint8Array): PublicKey {
    if (bytes.length !== PUBLIC_KEY_SIZE[scheme])
      throw new KeyError(`A ${scheme} public key is ${PUBLIC_KEY_SIZE[scheme]} bytes, got ${bytes.length}.`);
    try {
      // The point at infinity parses but is no key (Go: "invalid public key"); it would verify anything.
      if (scheme === 'bls') {
        if (bls12_381.G2.Point.fromBytes(bytes).is0()) throw new Error('identity');
      } else if (scheme === 'ed25519') ed25519.Point.fromBytes(bytes, false);
      else secp256k1.Point.fromBytes(bytes);
    } catch {
      throw new KeyError(`The bytes are not a valid ${scheme} public key.`);
    }
    return new PublicKey(scheme, Uint8Array.from(bytes));
  }

  /** The key hash shared by its addresses: RIPEMD160(BLAKE2b256(public key)). */
  hash(): Uint8Array {
    return hash160(hash256(this.bytes));
  }

  accountAddress(): Address {
    const type =
      this.scheme === 'bls'
        ? AddressType.BlsAccount
        : this.scheme === 'ed25519'
          ? AddressType.Ed25519Account
          : AddressType.Secp256k1Account;
    return Address.fromHash(type, this.hash());
  }

  /** Only BLS keys have a validator address (same hash as the BLS account address). */
  validatorAddress(): Address {
    if (this.scheme !== 'bls') throw new KeyError('Only a BLS key has a validator address.');
    return Address.fromHash(AddressType.Validator, this.hash());
  }

  /** The address of `type` this key signs for, or null if it cannot sign for that type. */
  addressOfType(type: AddressType): Address | null {
    if (schemeForAddressType(type) !== this.scheme) return null;
    return type === AddressType.Validator ? this.validatorAddress() : this.accountAddress();
  }

  verify(message: Uint8Array, signature: Uint8Array): boolean {
    if (signature.length !== SIGNATURE_SIZE[this.scheme]) return false;
    try {
      switch (this.scheme) {
        case 'bls':
          return bls.verify(signature, bls.hash(message, BLS_DST), this.bytes);
        case 'ed25519':
          return ed25519.verify(signature, message, this.bytes, { zip215: false });
        case 'secp256k1':
          // As the node verifies (crypto/secp256k1/public_key.go Verify -> decred ecdsa.Signature.Verify): r and s
          // in [1, N-1], and no low-S rule, so a high-S signature the chain accepts is valid here too. What we
          // sign stays low-S (see PrivateKey.sign), as the node's own SignNative does.
          return secp256k1.verify(signature, hash256(message), this.bytes, { prehash: false, lowS: false });
      }
    } catch {
      return false;
    }
  }

  toString(network: Network): string {
    return encodeKeyString(NETWORK_PARAMS[network].publicKeyHrp, this.scheme, this.bytes);
  }
}

export class PrivateKey {
  private constructor(
    readonly scheme: SignatureScheme,
    readonly bytes: Uint8Array,
  ) {}

  static fromBytes(scheme: SignatureScheme, bytes: Uint8Array): PrivateKey {
    if (bytes.length !== 32) throw new KeyError(`A private key is 32 bytes, got ${bytes.length}.`);
    const key = new PrivateKey(scheme, Uint8Array.from(bytes));
    try {
      key.publicKey();
    } catch {
      throw new KeyError(`The bytes are not a valid ${scheme} private key.`);
    }
    return key;
  }

  publicKey(): PublicKey {
    switch (this.scheme) {
      case 'bls':
        return PublicKey.fromBytes('bls', bls.getPublicKey(this.bytes).toBytes(true));
      case 'ed25519':
        return PublicKey.fromBytes('ed25519', ed25519.getPublicKey(this.bytes));
      case 'secp256k1':
        return PublicKey.fromBytes('secp256k1', secp256k1.getPublicKey(this.bytes, true));
    }
  }

  sign(message: Uint8Array): Uint8Array {
    switch (this.scheme) {
      case 'bls':
        return bls.sign(bls.hash(message, BLS_DST), this.bytes).toBytes(true);
      case 'ed25519':
        return ed25519.sign(message, this.bytes);
      case 'secp256k1':
        // RFC 6979 deterministic nonce, low-S, over BLAKE2b-256 of the message (as the node does).
        return secp256k1.sign(hash256(message), this.bytes, { prehash: false, lowS: true });
    }
  }

  toString(network: Network): string {
    return encodeKeyString(NETWORK_PARAMS[network].privateKeyHrp, this.scheme, this.bytes).toUpperCase();
  }

  /** Overwrites the key bytes; the page calls this once it has signed. */
  wipe(): void {
    this.bytes.fill(0);
  }
}

export interface ParsedKey<K> {
  key: K;
  network: Network;
}

export function parsePublicKey(text: string): ParsedKey<PublicKey> {
  const { scheme, bytes, network } = decodeKeyString(text, 'publicKeyHrp', 'public key');
  return { key: PublicKey.fromBytes(scheme, bytes), network };
}

export function parsePrivateKey(text: string): ParsedKey<PrivateKey> {
  const { scheme, bytes, network } = decodeKeyString(text, 'privateKeyHrp', 'private key');
  return { key: PrivateKey.fromBytes(scheme, bytes), network };
}

function encodeKeyString(hrp: string, scheme: SignatureScheme, bytes: Uint8Array): string {
  return bech32m.encode(hrp, [SCHEME_WORD[scheme], ...bech32m.toWords(bytes)], KEY_STRING_LIMIT);
}

function decodeKeyString(
  text: string,
  hrpField: 'publicKeyHrp' | 'privateKeyHrp',
  what: string,
): { scheme: SignatureScheme; bytes: Uint8Array; network: Network } {
  const input = text.trim();
  if (input !== input.toLowerCase() && input !== input.toUpperCase())
    throw new KeyError(`This ${what} mixes upper and lower case.`);
  let decoded: { prefix: string; words: number[] };
  try {
    decoded = bech32m.decode(input.toLowerCase() as `${string}1${string}`, KEY_STRING_LIMIT);
  } catch {
    throw new KeyError(`This is not a valid Pactus ${what} (bad format or checksum).`);
  }
  const network = (Object.keys(NETWORK_PARAMS) as Network[]).find(
    (n) => NETWORK_PARAMS[n][hrpField] === decoded.prefix,
  );
  if (!network) throw new KeyError(`This is not a Pactus ${what} (prefix "${decoded.prefix}").`);
  const [word, ...rest] = decoded.words;
  const scheme = (Object.keys(SCHEME_WORD) as SignatureScheme[]).find((s) => SCHEME_WORD[s] === word);
  if (!scheme) throw new KeyError(`This ${what} has an unknown key type.`);
  let bytes: Uint8Array;
  try {
    bytes = bech32m.fromWords(rest);
  } catch {
    throw new KeyError(`This ${what} has bad padding.`);
  }
  return { scheme, bytes, network };
}
