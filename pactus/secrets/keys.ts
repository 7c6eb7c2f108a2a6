/**
 * Private keys as people paste them, found in folded text (fold.ts: lower case, look-alikes read as Latin).
 *
 * - Pactus key strings: Bech32m with the "secret" (mainnet) or "tsecret" (testnet) prefix, one type word (BLS 1,
 *   Ed25519 3, secp256k1 4) and 32 bytes (pactus/keys.ts; Go: crypto/bls/private_key.go and
 *   crypto/ed25519/private_key.go, PrivateKeyFromString). Always a secret, checksum or not (a key with a typo is
 *   still a key), also when spaces or dashes split it.
 * - 32 bytes as hex: 64 digits split into groups ("1f 2a ...", "1f:2a:...", "0x1f, 0x2a, ..."), or a byte array
 *   of 32 numbers: always a secret, since transaction ids are never written so. The same 64 digits unbroken are
 *   also what a transaction id looks like (the bot reads a bare one as such), so unbroken hex is a secret only
 *   when the words around it call it a key or a secret and no nearer word calls it a transaction.
 * - 32 bytes as base64 (44 characters with "=" padding, or 43 without): a secret only with the same key words
 *   around it, because random base64 of that length is also what link tokens look like.
 */
export type KeyKind = 'key-string' | 'hex-key' | 'base64-key' | 'byte-array-key';

export interface KeyFinding {
  kind: KeyKind;
  /** Span in the folded text. */
  start: number;
  end: number;
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
/** "secret1" and then at least 40 Bech32 characters, which spaces or dashes may split anywhere. */
const SPLIT = '[\\s_-]{0,2}';
const KEY_STRING = new RegExp(`t?${[...'secret1'].join(SPLIT)}(?:${SPLIT}[${BECH32}]){40,}`, 'g');
const SECRET_WORD = new RegExp([...'secre'].join(SPLIT));
const SPLIT_HEX =
  /(?<![0-9a-z\\])(?:0x|\\x)?[0-9a-f]{2,16}(?:(?:[\s,:;_-]+(?:0x|\\x)?|\\x)[0-9a-f]{2,16}){3,}(?![0-9a-z])/g;
const BYTE_ARRAY = /(?<![0-9])(?:[0-9]{1,3}\s*,\s*){31,63}[0-9]{1,3}(?![0-9])/g;
const HEX_RUN = /(?<![0-9a-z])(?:0x)?[0-9a-f]{64}(?![0-9a-z])/g;
const BASE64_RUN = /(?<![a-z0-9+/_-])[a-z0-9+/_-]{43}=?(?![a-z0-9+/=_-])/g;

/** Words that name what follows as a key or secret, or as a transaction (the nearer one decides). */
const KEY_WORDS =
  /\b(?:priv(?:ate)?[\s_-]*keys?|privkeys?|secret(?:[\s_-]*keys?)?|seed|pk|sk|prv|keys?|wif|import|restore|recover(?:y)?|backup)\b/g;
const TX_WORDS = /\b(?:tx|txid|txs|transactions?|hash|id|status|block|explorer|public[\s_-]*key|pubkey)\b/g;
const NEAR = 48;

/** `original(start, end)`: the original text of a folded span (base64 is told apart by its mixed case). */
export function findKeys(text: string, original: (start: number, end: number) => string): KeyFinding[] {
  const found: KeyFinding[] = [];
  const add = (kind: KeyKind, m: RegExpMatchArray) =>
    found.push({ kind, start: m.index!, end: m.index! + m[0].length });
  if (SECRET_WORD.test(text)) for (const m of text.matchAll(KEY_STRING)) add('key-string', m);
  for (const m of text.matchAll(SPLIT_HEX)) if (hexDigits(m[0]) === 64) add('hex-key', m);
  if (text.includes(','))
    for (const m of text.matchAll(BYTE_ARRAY)) if (isByteArray(m[0])) add('byte-array-key', m);
  for (const m of text.matchAll(HEX_RUN)) if (calledAKey(text, m.index!, m[0].length)) add('hex-key', m);
  for (const m of text.matchAll(BASE64_RUN))
    if (
      looksRandom(original(m.index!, m.index! + m[0].length)) &&
      !insideUrl(text, m.index!) &&
      calledAKey(text, m.index!, m[0].length)
    )
      add('base64-key', m);
  return found;
}

function hexDigits(s: string): number {
  return s.replace(/0x|\\x/g, '').replace(/[^0-9a-f]/g, '').length;
}

function isByteArray(s: string): boolean {
  const numbers = s.split(',').map((n) => Number(n.trim()));
  return (numbers.length === 32 || numbers.length === 64) && numbers.every((n) => n <= 255);
}

/** A key word near the run, with no transaction word nearer to it. */
function calledAKey(text: string, start: number, length: number): boolean {
  const from = Math.max(0, start - NEAR);
  const to = Math.min(text.length, start + length + NEAR);
  const distance = (m: RegExpMatchArray, offset: number) => {
    const at = offset + m.index!;
    return at < start ? start - (at + m[0].length) : at - (start + length);
  };
  const nearest = (pattern: RegExp) => {
    let best = Infinity;
    const before = text.slice(from, start);
    const after = text.slice(start + length, to);
    for (const m of before.matchAll(pattern)) best = Math.min(best, distance(m, from));
    for (const m of after.matchAll(pattern)) best = Math.min(best, distance(m, start + length));
    return best;
  };
  const key = nearest(KEY_WORDS);
  // "public key" also holds the key word "key", at the same distance: a tie is not a private key.
  return key !== Infinity && key < nearest(TX_WORDS);
}

/**
 * Base64 of random bytes mixes upper case, lower case and digits; an address or a word does not. (A Bech32 string,
 * an address or a public key, is in one case throughout, so mixed case already rules it out: base64 that happens
 * to begin "Pc1" is still a key.)
 */
function looksRandom(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9+/_-]/.test(s);
}

function insideUrl(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 200), start);
  return /(?:https?:\/\/|www\.)\S*$/.test(before);
}
