// A payment corrected in the same message: "send 5 PAC to alice, no wait, 3 PAC", "transfer 2 PAC to rosa, I mean
// kwame", "pay bob 8 PAC... sorry I meant 10". The correction replaces exactly one part (the amount or the
// recipient) of the request before it; anything else after the marker is not guessed at: the request is asked
// about, never drafted with the part the person took back.
import { analyze } from './analysis.js';
import { moodOf } from './mood.js';
import { clarify, type Intent } from './parser.js';
import { couldBeName } from './vocabulary.js';

/**
 * "no wait", "I mean", "sorry I meant", "correction:", "actually make it", "make that", after a separator. The
 * separator's runs are bounded: unbounded, every start in a long run of dots or spaces re-read the rest (quadratic).
 */
const MARKER =
  /(?:\s{0,8}[,.;:!]{1,8}\s{0,8}|\s{1,8}-{1,8}\s{0,8}|\s{1,8})(?:no,?\s+wait|wait,?\s+no|(?:sorry|oops),?\s+i\s+meant?|i\s+meant?|correction\s*:|actually,?\s+make\s+(?:it|that)|make\s+(?:it|that))[\s,:]+(?=\S)/i;
/** What may stand around the corrected part without changing it. */
const FILLER =
  /\b(?:pacs?|pac|coins?|tokens?|to|it|instead|then|please|pls|thanks|thank you|ty|sorry)\b|[^\p{L}\p{N}@'_-]+|(?<![\p{L}\p{N}])['_-]+|['_-]+(?![\p{L}\p{N}])/gu;

const CORRECTABLE = new Set(['send', 'schedule_payment']);

/**
 * The corrected request, or a question when the correction cannot be applied exactly, or null when the message
 * has no correction (or the marker sits in a memo, which is the person's inert text).
 */
export function readCorrection(message: string, read: (text: string) => Intent): Intent | null {
  const m = MARKER.exec(message);
  if (!m || m.index === 0) return null;
  const memo = analyze(message).memo;
  // A marker that ends inside the memo is the memo's text.
  if (memo !== null && message.toLowerCase().lastIndexOf(memo.toLowerCase()) < m.index + m[0].length)
    return null;
  const before = message.slice(0, m.index);
  const fix = message.slice(m.index + m[0].length);
  const first = read(before);
  if (first.action === null || !CORRECTABLE.has(first.action)) return null;
  const asked = () =>
    clarify(
      `You corrected yourself, and I could not tell exactly what changes. Say the whole request again, for example "send ${first.args.amount ?? 5} PAC to ${first.args.to ?? 'alice'}".`,
    );
  if (fix.includes('?')) return asked();
  if (['negated', 'retracted'].includes(moodOf(fix.toLowerCase(), fix.toLowerCase()))) return null;
  const f = analyze(fix);
  if (f.amounts.length === 1 && f.addresses.length === 0) {
    const amount = f.amounts[0]!;
    const left = (f.body.slice(0, amount.index) + ' ' + f.body.slice(amount.end))
      .toLowerCase()
      .replace(FILLER, ' ')
      .trim();
    if (left !== '') return asked();
    return { action: first.action, args: { ...first.args, amount: amount.value } };
  }
  const leftover = f.words.replace(FILLER, ' ').replace(/@addr/g, ' ').trim();
  if (f.amounts.length === 0 && f.addresses.length === 1 && leftover === '')
    return { action: first.action, args: { ...first.args, to: f.addresses[0]!.text.toLowerCase() } };
  if (
    f.amounts.length === 0 &&
    f.addresses.length === 0 &&
    /^[a-z][\w-]*$/.test(leftover) &&
    couldBeName(leftover)
  )
    return { action: first.action, args: { ...first.args, to: leftover } };
  return asked();
}
