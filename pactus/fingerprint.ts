import { wordlist } from '@scure/bip39/wordlists/english.js';
import { hash256, tryHexToBytes, utf8ToBytes } from './bytes.js';

/**
 * Three words derived from the first 33 bits of a transaction ID (11 bits per BIP-39 word), shown both in chat
 * and on the signer page so a person can see at a glance that they are signing what the chat described.
 */
export function txFingerprint(txIdHex: string): string {
  const bytes = tryHexToBytes(txIdHex);
  if (!bytes || bytes.length < 5) throw new Error('A transaction ID is 32 bytes of hex.');
  let bits = 0n;
  for (const b of bytes.subarray(0, 5)) bits = (bits << 8n) | BigInt(b);
  const words: string[] = [];
  for (let i = 0; i < 3; i++) words.push(wordlist[Number((bits >> BigInt(40 - 11 * (i + 1))) & 0x7ffn)]!);
  return words.join('-');
}

/** The same three-word fingerprint for a message to be signed. */
export function messageFingerprint(message: string): string {
  const digest = hash256(utf8ToBytes(message));
  return txFingerprint(Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''));
}
