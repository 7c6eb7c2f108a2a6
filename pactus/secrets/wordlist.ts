import { wordlist } from '@scure/bip39/wordlists/english.js';

/**
 * How a piece of text can stand for a BIP-39 word. The English list is built so that the first four letters of a
 * word name it (BIP-39, "Wordlists": "the wordlist is created in such a way that it's enough to type the first
 * four letters to unambiguously identify the word"), which is why abbreviations give a phrase away as surely as
 * the words do.
 */
export type WordMatch = 'exact' | 'prefix' | 'typo' | 'joined';

export const WORDS: readonly string[] = wordlist;
const INDEX = new Map(wordlist.map((w, i) => [w, i]));
const BY_PREFIX = new Map(wordlist.filter((w) => w.length >= 4).map((w) => [w.slice(0, 4), w]));
/** Every word and every way of deleting one of its letters, to the words it came from (symmetric deletes). */
const DELETES = new Map<string, string[]>();
for (const word of wordlist) {
  for (const key of new Set([word, ...deletions(word)])) {
    const list = DELETES.get(key);
    if (list) list.push(word);
    else DELETES.set(key, [word]);
  }
}

function deletions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

/** One substitution, insertion, deletion or swap of neighbours turns `a` into `b` (a and b differ). */
export function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** The word a single token (lower-case letters a-z) stands for, and how; null when it stands for none. */
export function matchWord(token: string): { word: string; how: Exclude<WordMatch, 'joined'> } | null {
  if (INDEX.has(token)) return { word: token, how: 'exact' };
  // Words have 3 to 8 letters: a typo makes 9 at most, and nothing longer is read as one word.
  if (token.length < 4 || token.length > 9) return null;
  const prefixed = token.length >= 4 ? BY_PREFIX.get(token.slice(0, 4)) : undefined;
  if (prefixed?.startsWith(token)) return { word: prefixed, how: 'prefix' };
  for (const key of [token, ...deletions(token)])
    for (const word of DELETES.get(key) ?? []) if (oneEditApart(token, word)) return { word, how: 'typo' };
  return null;
}

/**
 * Words run together without separators ("abandonability", or words joined by zero-width spaces that were
 * removed): two or more whole words, or three or more when four-letter abbreviations are among them, filling the
 * token exactly; null otherwise.
 */
export function splitJoined(token: string): string[] | null {
  if (token.length < 6 || token.length > 24 * 8) return null;
  // best[i]: the fewest words that spell token[0..i), and the length of the last one.
  const best = new Int32Array(token.length + 1).fill(-1);
  const last = new Int32Array(token.length + 1);
  best[0] = 0;
  for (let i = 0; i < token.length; i++) {
    if (best[i]! < 0) continue;
    for (let n = 3; n <= 8 && i + n <= token.length; n++) {
      const piece = token.slice(i, i + n);
      const whole = INDEX.has(piece) || (n === 4 && BY_PREFIX.has(piece));
      if (whole && (best[i + n]! < 0 || best[i]! + 1 < best[i + n]!)) {
        best[i + n] = best[i]! + 1;
        last[i + n] = n;
      }
    }
  }
  if (best[token.length]! < 2) return null;
  const parts: string[] = [];
  let abbreviated = false;
  for (let end = token.length; end > 0; end -= last[end]!) {
    const piece = token.slice(end - last[end]!, end);
    abbreviated ||= !INDEX.has(piece);
    parts.unshift(INDEX.has(piece) ? piece : BY_PREFIX.get(piece)!);
  }
  return abbreviated && parts.length < 3 ? null : parts;
}
