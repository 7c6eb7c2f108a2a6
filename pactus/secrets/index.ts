// The one secret detector: recovery phrases and private keys in what people type, paste, upload or log. It is
// protocol knowledge (the BIP-39 list Pactus wallets use, Pactus key strings), pure and browser-safe, so every
// layer that handles text can ask it: the conversation's entry, memos, conversation memory, the logger.
import { fold, HAS_INVISIBLE, originalSpan, type Folded } from './fold.js';
import { findKeys, type KeyKind } from './keys.js';
import { findPhrases } from './mnemonic.js';

export { FULL_RUN, PARTIAL_RUN } from './mnemonic.js';

export interface SecretFinding {
  kind: 'recovery-phrase' | KeyKind;
  /** Span in the original text (UTF-16 offsets). */
  start: number;
  end: number;
}

/** What a person hears when they send one; it never repeats what they sent. */
export const SECRET_REFUSAL =
  'Never share a private key or recovery phrase, with anyone, including me. I never need it: you sign on your own device. If this was a real key, move its funds to a new wallet. (I did not keep or repeat it.)';

/** What stands in a log line, a stored text or a memo where a secret was. */
export const REDACTED = '[redacted]';

/**
 * Texts that cannot hold a secret, decided without folding: fewer than eight words and no run of 32 or more
 * letters and digits. Most chat messages and log fields stop here.
 */
function cannotHoldSecret(text: string): boolean {
  if (text.length < 20) return true;
  let words = 0;
  let inWord = false;
  let run = 0; // letters, digits and base64's "+/=_-"
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128;
    if (alnum && !inWord) words++;
    inWord = alnum;
    run = alnum || c === 43 || c === 47 || c === 61 || c === 95 || c === 45 ? run + 1 : 0;
    if (words >= 8 || run >= 32) return false;
  }
  return !/[0-9a-f]{2,16}(?:[\s,:;-]+(?:0x|\\x)?[0-9a-f]{2,16}){3}/i.test(text);
}

/** Every recovery phrase (or telling part of one) and private key in `text`, by position, in order. */
export function findSecrets(text: string): SecretFinding[] {
  if (cannotHoldSecret(text)) return [];
  const folded = fold(text);
  const original = (start: number, end: number) => {
    const [from, to] = originalSpan(folded, start, end);
    return text.slice(from, to);
  };
  const found: SecretFinding[] = [];
  const add = (view: Folded, kind: SecretFinding['kind'], start: number, end: number) => {
    const [from, to] = originalSpan(view, start, end);
    found.push({ kind, start: from, end: to });
  };
  for (const p of findPhrases(folded.text)) add(folded, 'recovery-phrase', p.start, p.end);
  if (HAS_INVISIBLE.test(text)) {
    const spaced = fold(text, ' ');
    for (const p of findPhrases(spaced.text)) add(spaced, 'recovery-phrase', p.start, p.end);
  }
  for (const k of findKeys(folded.text, original)) add(folded, k.kind, k.start, k.end);
  return found.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** A private key or recovery phrase in `text`: such text is refused, never stored, logged or sent on. */
export function containsSecret(text: string): boolean {
  return findSecrets(text).length > 0;
}

/** `text` with every secret in it replaced by REDACTED (overlapping findings merged). */
export function redactSecrets(text: string): string {
  const found = findSecrets(text);
  if (!found.length) return text;
  let out = '';
  let at = 0;
  for (const f of found) {
    if (f.end <= at) continue;
    out += text.slice(at, Math.max(at, f.start)) + (f.start >= at ? REDACTED : '');
    at = f.end;
  }
  return out + text.slice(at);
}
