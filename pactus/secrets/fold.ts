import { LOOKALIKES } from './lookalikes.js';

/**
 * Text as a secret detector should read it: lower case; compatibility forms unfolded (full-width "ａｂａｎｄｏｎ",
 * mathematical letters, ligatures, no-break spaces: NFKD); accents dropped ("àbandon"); invisible characters
 * removed (zero-width spaces and joiners, soft hyphens, bidi marks: Unicode category Cf); and characters that only
 * look like a Latin letter (Cyrillic "а", Greek "ο", ...) read as that letter. Every character of the result
 * remembers which characters of the original it came from, so a finding can be cut out of the original text.
 */
export interface Folded {
  text: string;
  /** Start (inclusive) and end (exclusive) in the original text of each UTF-16 unit of `text`; null: identity. */
  from: Uint32Array | null;
  to: Uint32Array | null;
}

const LETTER_OF = new Map<string, string>();
for (const [letter, chars] of Object.entries(LOOKALIKES)) for (const c of chars) LETTER_OF.set(c, letter);

const INVISIBLE = /^[\p{Cf}\p{Mn}\p{Me}]$/u;
/** Blank characters that Unicode files as letters or symbols (Hangul fillers, the blank Braille pattern): spaces. */
const BLANK = /^[\u115f\u1160\u3164\uffa0\u2800]$/u;
const ASCII = /^[\x00-\x7f]*$/;
export const HAS_INVISIBLE = /\p{Cf}/u;

/**
 * `invisible`: what invisible characters become, '' (removed: "aban\u200bdon" is "abandon") or ' ' (a space:
 * "abandon\u200bability" is two words). A phrase may hide behind either, so findSecrets reads both.
 */
export function fold(original: string, invisible: '' | ' ' = ''): Folded {
  if (ASCII.test(original)) return { text: original.toLowerCase(), from: null, to: null };
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let at = 0;
  for (const cp of original) {
    const end = at + cp.length;
    const push = (s: string) => {
      text += s;
      for (let i = 0; i < s.length; i++) {
        from.push(at);
        to.push(end);
      }
    };
    if (cp.charCodeAt(0) < 0x80) push(cp.toLowerCase());
    else push(foldChar(cp, invisible));
    at = end;
  }
  return { text, from: Uint32Array.from(from), to: Uint32Array.from(to) };
}

/** Characters already folded, by what invisible characters become (text repeats its characters). */
const FOLDED = { '': new Map<string, string>(), ' ': new Map<string, string>() };

function foldChar(cp: string, invisible: '' | ' '): string {
  const cache = FOLDED[invisible];
  let out = cache.get(cp);
  if (out !== undefined) return out;
  out = '';
  if (BLANK.test(cp)) out = ' ';
  else if (LETTER_OF.has(cp)) out = LETTER_OF.get(cp)!;
  else
    for (const part of cp.normalize('NFKD')) {
      if (INVISIBLE.test(part)) {
        if (invisible && /\p{Cf}/u.test(part)) out += invisible;
      } else if (part.charCodeAt(0) < 0x80) out += part.toLowerCase();
      else out += LETTER_OF.get(part) ?? LETTER_OF.get(part.toLowerCase()) ?? part.toLowerCase();
    }
  if (cache.size > 4096) cache.clear();
  cache.set(cp, out);
  return out;
}

/** The span of the original text that `start`..`end` of the folded text came from. */
export function originalSpan(folded: Folded, start: number, end: number): [number, number] {
  if (!folded.from || !folded.to) return [start, end];
  if (end <= start) return [folded.from[start] ?? 0, folded.from[start] ?? 0];
  return [folded.from[start]!, folded.to[end - 1]!];
}
