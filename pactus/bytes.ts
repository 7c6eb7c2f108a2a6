import { bytesToHex, hexToBytes as nobleHexToBytes, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { ripemd160 } from '@noble/hashes/legacy.js';

export { bytesToHex, concatBytes, utf8ToBytes };

/** Parses hex (either case, no prefix); returns null instead of throwing so callers choose the error type. */
export function tryHexToBytes(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  return nobleHexToBytes(hex.toLowerCase());
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function hash256(data: Uint8Array): Uint8Array {
  return blake2b(data, { dkLen: 32 });
}

export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(data);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8, returning null on malformed input rather than inserting replacement characters. */
export function tryDecodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}
