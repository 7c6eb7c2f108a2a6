// The shape of a payment request, whatever the word order: a send verb (or none: "5 PAC to alice"), amounts,
// recipients (addresses, names from the person's address book, "me"), and who pays. "give alice 2 PAC", "send 5
// pac 2 alice", "pay alice five pac", "send 1 PAC to carol and 2 PAC to tpc1..." all have this shape.
import type { Analysis, FoundAddress, FoundAmount, Token } from './analysis.js';
import { readWords } from './amounts.js';
import { NANO_PER_PAC, formatPac } from '../../pactus/amount.js';
import { couldBeName } from './vocabulary.js';

export interface Recipient {
  /** An address (lower case), a name from the address book, or "me" (the person's own other wallet). */
  to: string;
  kind: 'address' | 'name' | 'me';
  index: number;
  found?: FoundAddress;
}

export interface TransferFrame {
  /** The send verb as written, or null for "5 PAC to alice". */
  verb: string | null;
  recipients: Recipient[];
  amounts: FoundAmount[];
  /** "all", "everything", "my whole balance" in the amount's place. */
  all: boolean;
  from: FoundAddress | null;
  /** "each": one amount for every recipient. */
  each: boolean;
  /** "5 PAC for yuki": the recipient is read from "for", which can also be a purpose ("5 PAC for lunch"). */
  byFor: boolean;
}

/** Send verbs, with the misspellings the rules read directly (others get "did you mean"). */
export const SEND_VERB =
  /^(?:send|snd|sned|sedn|semd|sen|pay|pya|transfer|tranfer|trasnfer|transfere|trnasfer|give|gimme|tip|move|wire|forward|remit|hand|send_many|send-many|sling|bung|toss|chuck|shoot|fling|zap|fire|hit|sweep|empty)$/;
/** "empty my wallet to X", "sweep everything to X": the whole balance, and only with a recipient after "to". */
const WHOLE = /^(?:empty|sweep)$/;
/** Slang that only means "pay" with a recipient and "with" ("hit yuki with 5 PAC"). */
const NEEDS_WITH = /^(?:hit)$/;
/** "mind sending ...", "I need to sending ..." (non-native): a send verb's -ing form where the verb would stand. */
const SEND_GERUND = /^(?:sending|paying|transferring|transfering|giving|wiring|tipping)$/;
const GERUND_LEAD = new Set(['mind', 'to', 'start', 'keep', 'try']);
/** "need 9 PAC sent to lucia", "I'd like 5 PAC paid to bob": the participle is the verb of a request. */
const WANTED_SENT =
  /^(?:i )?(?:need|needs|want|wanna|would like|'d like|i'd like) (?:to (?:get|have) )?(?:\S+ ){1,4}(?:sent|paid|transferred|wired) (?:over )?to\b/;
const PARTICIPLE = /^(?:sent|paid|transferred|wired)$/;

/** "to me", "to myself", "to my (other|own) wallet/account/address": the person's own wallet. */
const SELF = /^(?:me|myself)$/;
const SELF_PHRASE =
  /^my(?:\s+(?:own|other|second|2nd|primary|main|default|linked|personal))?\s+(?:wallet|account|address)$/;

/** Who someone is to the person, said before their name ("to my friend farid"). */
const RELATION =
  /^(?:friend|buddy|pal|mate|bro|brother|sis|sister|cousin|colleague|coworker|co-worker|mom|mum|mother|dad|father|son|daughter|wife|husband|partner|boss|landlord|landlady|neighbou?r|roommate|flatmate|uncle|aunt|auntie|girlfriend|boyfriend|fiance|fiancee|teacher|tutor|client|friends?)$/;

const SPOKEN_START =
  /^(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|half|hundred)$/;
const TO_WORDS = new Set(['to', 'towards', 'unto']);

/** Tokens that only fill a sentence between a verb and its recipient or amount. */
const FILLER = new Set([
  'please',
  'pls',
  'plz',
  'kindly',
  'just',
  'quickly',
  'over',
  'across',
  'now',
  'back',
  'also',
  'both',
  'with',
  // "fire off 4 PAC to yusuf"
  'off',
]);

function inside(t: Token, spans: { index: number; end: number }[]): boolean {
  return spans.some((s) => t.start >= s.index && t.start < s.end);
}

/**
 * Reads the payment frame of a message whose verb is a send verb (or that starts with an amount and "to"), or
 * returns null when the message has no such shape. It only finds parts; whether they are complete and
 * unambiguous is the caller's call.
 */
export function readTransfer(
  a: Analysis,
  opts: { verbs?: RegExp; noVerb?: boolean; markers?: string[] } = {},
): TransferFrame | null {
  const verbs = opts.verbs ?? SEND_VERB;
  const markers = new Set([...TO_WORDS, ...(opts.markers ?? [])]);
  // "5 PAC for yuki" (no verb): "for" marks the recipient only where no verb could give it another sense.
  if (opts.noVerb && startsWithAmountTo(a, a.tokens) === 'for') markers.add('for');
  const tokens = a.tokens;
  const isVerb = (t: Token, i: number) =>
    verbs.test(t.word) ||
    (opts.verbs === undefined && SEND_GERUND.test(t.word) && GERUND_LEAD.has(tokens[i - 1]?.word ?? '')) ||
    (opts.verbs === undefined && PARTICIPLE.test(t.word) && WANTED_SENT.test(a.words));
  // "tomas helped me move house. tip tomas 8 PAC": of several verbs, the one nearest before the first amount.
  const firstAmount = a.amounts[0]?.index ?? Infinity;
  const candidates = tokens.flatMap((t, i) => (isVerb(t, i) ? [i] : []));
  const verbAt = candidates.filter((i) => tokens[i]!.start < firstAmount).at(-1) ?? candidates[0] ?? -1;
  if (verbAt >= 0 && NEEDS_WITH.test(tokens[verbAt]!.word) && !/\bhit\s+\S+\s+with\b/.test(a.words))
    return null;
  const whole = verbAt >= 0 && WHOLE.test(tokens[verbAt]!.word);
  if (whole && (a.amounts.length > 0 || !/\b(?:to|into)\b/.test(a.words))) return null;
  // "empty this wallet into kofi": after a whole-balance verb, "into" names where it goes.
  if (whole) markers.add('into');
  const amounts = [...a.amounts];
  if (verbAt < 0 && !(opts.noVerb && startsWithAmountTo(a, tokens))) return null;
  const from = a.addresses.find((f) => f.from) ?? null;
  const recipients: Recipient[] = [];
  for (const f of a.addresses)
    if (f !== from) recipients.push({ to: f.text.toLowerCase(), kind: 'address', index: f.index, found: f });

  // "send 5 pac 2 alice": a bare 2 between an amount and a recipient is "to".
  const markedByTwo = new Set<number>();
  for (const [i, amount] of amounts.entries()) {
    if (amount.unit || amount.value !== '2' || i === 0) continue;
    const next = tokens.findIndex((t) => t.start >= amount.end);
    const word = tokens[next]?.word ?? '';
    if (next >= 0 && (word === '@addr' || couldBeName(word, true))) {
      amounts.splice(i, 1);
      markedByTwo.add(next);
      break;
    }
  }
  const amountSpans = amounts.map((x) => ({ index: x.index, end: x.end }));
  const isRecipientSlot = (i: number): boolean => {
    const previous = tokens[i - 1];
    if (!previous) return false;
    // "sorry to bother you, send ...": a "to" before the verb marks no recipient.
    if (verbAt >= 0 && i < verbAt) return false;
    // "need to settle up with X: 60 PAC to X": with no verb, the request starts at its amount.
    if (verbAt < 0 && tokens[i]!.start < firstAmount) return false;
    if (markers.has(previous.word) || markedByTwo.has(i)) return true;
    // "to my friend farid", "to our landlord kwame": the name after who they are to the person.
    if (
      RELATION.test(previous.word) &&
      /^(?:my|our)$/.test(tokens[i - 2]?.word ?? '') &&
      markers.has(tokens[i - 3]?.word ?? '')
    )
      return true;
    if (['over', 'across'].includes(tokens[i - 2]?.word ?? '') && previous.word === 'to') return true;
    // "to both alice and bob", "each to alice & bob"
    if (previous.word === 'both' && markers.has(tokens[i - 2]?.word ?? '')) return true;
    return false;
  };
  const taken = new Set<number>();
  for (const [i, t] of tokens.entries()) {
    if (i === verbAt || t.word === '@addr' || inside(t, amountSpans) || taken.has(i)) continue;
    const toMarked = isRecipientSlot(i);
    // "to my other wallet"
    const phrase = tokens
      .slice(i, i + 4)
      .map((x) => x.word)
      .join(' ');
    const self = SELF.test(t.word)
      ? 1
      : (/^my\b/.test(phrase) &&
          [2, 3].find((n) =>
            SELF_PHRASE.test(
              tokens
                .slice(i, i + n)
                .map((x) => x.word)
                .join(' '),
            ),
          )) ||
        0;
    if (self && toMarked) {
      recipients.push({ to: 'me', kind: 'me', index: t.start });
      for (let k = 0; k < self; k++) taken.add(i + k);
      continue;
    }
    if (toMarked && couldBeName(t.word, true)) {
      recipients.push({ to: t.word, kind: 'name', index: t.start });
      continue;
    }
    // Right after the verb ("give alice 2 PAC"), or in a list after it ("pay alice 1 PAC and bob 2 PAC").
    if (verbAt >= 0 && i > verbAt && couldBeName(t.word)) {
      let k = i - 1;
      while (k > verbAt && FILLER.has(tokens[k]!.word)) k--;
      const afterVerb = k === verbAt;
      const previous = tokens[i - 1];
      const separated =
        (previous && ['and', '&'].includes(previous.word)) ||
        /[,&+]|\s[-•*]\s/.test(a.body.slice(previous?.end ?? 0, t.start));
      const listItem =
        separated &&
        recipients.some(
          (r) => r.index === (['and', '&'].includes(previous!.word) ? tokens[i - 2]?.start : previous?.start),
        );
      const next = tokens[i + 1];
      // The next word that is not a filler ("pay bob back 15 PAC").
      let n = i + 1;
      while (tokens[n] && FILLER.has(tokens[n]!.word)) n++;
      const nextStart = tokens[n]?.start ?? a.body.length;
      const followedByAmount = amounts.some((x) => x.index >= t.end && x.index <= nextStart);
      // "send alice money", "tip alice", "pay alice some PAC": the recipient is said, the amount is not.
      const amountAsked =
        afterVerb &&
        (n >= tokens.length ||
          /^(?:money|pac|pacs|some|it|them|something|anything|cash|funds|coins?|all|everything)$/.test(
            tokens[n]!.word,
          ));
      const followedByList =
        next !== undefined &&
        (['and', '&'].includes(next.word) || a.body.slice(t.end, next.start).includes(','));
      const followedByNumberWord = next !== undefined && SPOKEN_START.test(next.word);
      // "pay alice 5 PAC and bob": a name closing the message after "and" is one more recipient, never dropped.
      const closing =
        separated && (n >= tokens.length || /^(?:each|too|as well|please|pls|now)$/.test(tokens[n]!.word));
      if (
        (afterVerb && (followedByAmount || followedByList || followedByNumberWord || amountAsked)) ||
        (separated && followedByAmount) ||
        listItem ||
        closing
      )
        recipients.push({ to: t.word, kind: 'name', index: t.start });
    }
    if (verbAt >= 0 && i === verbAt + 1 && SELF.test(t.word) && amounts.some((x) => x.index > t.end))
      recipients.push({ to: 'me', kind: 'me', index: t.start });
  }
  // "gimme 5 PAC": "give me".
  if (verbAt >= 0 && tokens[verbAt]!.word === 'gimme' && !recipients.some((r) => r.kind === 'me'))
    recipients.push({ to: 'me', kind: 'me', index: tokens[verbAt]!.start });
  recipients.sort((x, y) => x.index - y.index);

  // "give alice five", "send five to bob": a number word in the amount's place, without a unit.
  if (amounts.length === 0 && verbAt >= 0) {
    const spoken = spokenAmount(a, tokens, verbAt, recipients);
    if (spoken) amounts.push(spoken);
  }
  return {
    verb: verbAt >= 0 ? tokens[verbAt]!.word : null,
    recipients,
    amounts,
    all: a.all || (verbAt >= 0 && WHOLE.test(tokens[verbAt]!.word)),
    from,
    each: /\beach\b/.test(a.words),
    byFor: markers.has('for'),
  };
}

/** What may come before "5 PAC to alice" without being a verb: greetings ("hi", "hello bot", "morning"). */
const GREETING =
  /^(?:(?:hi|hey|hello|yo|hiya|morning|good morning|evening|ok|okay|so|bot|there|please|pls)\b[\s,!.:]*)*$/;
/** Coin words people put after the unit ("PAC tokens", "pac coins"). */
const COIN_WORD = /^(?:tokens?|coins?)$/;

/**
 * "5 PAC to alice", "1.5 pac → tpc1...", "20K PAC for yuki", "hi\n3,000 pac to olu": a message that starts (after a
 * greeting) with an amount written with its unit, then "to", "each", an arrow, or "for". Returns the marker.
 */
function startsWithAmountTo(a: Analysis, tokens: Token[]): 'to' | 'for' | null {
  const first = a.amounts[0];
  if (!first) return null;
  const written = a.body
    .slice(0, first.index)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s,!.:]/gu, ' ')
    .trim();
  // "PAC 2.5 to beatriz": the unit written before the number.
  const unitFirst = /(?:^|\s)pacs?$/.test(written);
  if (!first.unit && !unitFirst) return null;
  // "need to settle up with zanele: 60 PAC to zanele": a colon introduces the request after the context.
  const lead = written
    .replace(/pacs?$/, '')
    .replace(/^[^:]*:/, '')
    .trim();
  if (!GREETING.test(lead)) return null;
  let next = tokens.findIndex((t) => t.start >= first.end);
  if (COIN_WORD.test(tokens[next]?.word ?? '')) next++;
  const word = tokens[next]?.word;
  if (word === 'to' || word === 'each') return 'to';
  const after = tokens.slice(next + 2).map((t) => t.word);
  if (
    word === 'for' &&
    tokens[next + 1] &&
    after.every((w) => /^(?:thanks|thank|you|ty|cheers|please|pls)$/.test(w))
  )
    return 'for';
  return null;
}

function spokenAmount(
  a: Analysis,
  tokens: Token[],
  verbAt: number,
  recipients: Recipient[],
): FoundAmount | null {
  const text = a.body.toLowerCase();
  const candidates = [tokens[verbAt + 1], ...recipients.map((r) => tokens.find((t) => t.start > r.index))];
  for (const t of candidates) {
    if (!t) continue;
    const read = readWords(text.slice(t.start));
    if (!read || read.halves === 0n) continue;
    const end = t.start + read.length;
    const next = tokens.find((x) => x.start >= end);
    // Only where an amount stands: at the end, or before "to"/"please"/a memo.
    if (next && !['to', 'please', 'pls', 'now', 'thanks', 'memo', 'with', 'note', 'each'].includes(next.word))
      continue;
    const nano = (read.halves * NANO_PER_PAC) / 2n;
    return { value: formatPac(nano), nano, index: t.start, end, unit: false };
  }
  return null;
}
