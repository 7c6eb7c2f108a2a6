// The words the rules know: words that are not a contact's name where a recipient stands, and number words and ordinals ("proposal one", "the first proposal").
import { CONTACT_NAME, isReservedName } from '../../wallet/contacts.js';

/**
 * Words that are not a name where a recipient follows a verb ("give alice 2 PAC"): verbs, modals and quantifiers
 * people put there ("pay will 5 PAC" stays unread; "send 5 PAC to will" is read, since "to" marks a recipient).
 * The words that are never a name anywhere are the address book's reserved words (wallet/contacts.ts).
 */
const NOT_A_NAME_AFTER_VERB = new Set(
  'is are was were be been am do does did can could would will should shall may might must want wanna need like love have has had get got let lets some few couple several many much more less lot lots any none never also just right away over back out up again order orders'.split(
    ' ',
  ),
);

const NAME_SHAPE = /^[a-z][a-z0-9_-]{0,31}$/;

/** The words without the greetings and courtesies people start with ("hey bot, please can you ..."). */
export function withoutCourtesy(words: string): string {
  return words.replace(
    /^(?:(?:please|pls|plz|kindly|hey|hi|hello|ok|okay|yo|bot|so|now|just|and|also)\s+)*(?:(?:can|could|would|will) (?:you|u)\s+(?:please\s+)?)?(?:i (?:want|need|would like|'d like) to\s+)?/,
    '',
  );
}

/** Whether typed text names something other than an address: a contact's name or "me". */
export function isNameLike(typed: string): boolean {
  const lower = typed.trim().toLowerCase();
  return CONTACT_NAME.test(lower) && !/^t?(pc|public)1/.test(lower);
}

/**
 * A word that may be a contact's name where a recipient stands: the right shape, not a reserved word, and (unless
 * "to" marks it) not a word people put after a verb.
 */
export function couldBeName(word: string, markedByTo = false): boolean {
  return (
    NAME_SHAPE.test(word) &&
    !isReservedName(word) &&
    !isNumberWord(word) &&
    (markedByTo || !NOT_A_NAME_AFTER_VERB.has(word))
  );
}

export const SMALL_NUMBERS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};

export const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
};

function isNumberWord(word: string): boolean {
  return word in SMALL_NUMBERS || word in TENS || word === 'hundred' || word === 'thousand';
}

/**
 * A whole number written in words or digits ("4", "four", "twenty-one", "twenty one") or as an ordinal ("4th",
 * "fourth", "twenty-first"), or null. Only small counts: proposals and schedules, never money.
 */
export function countOf(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^\d{1,6}$/.test(t)) return Number(t);
  const ordinal = /^(\d{1,6})(?:st|nd|rd|th)$/.exec(t);
  if (ordinal) return Number(ordinal[1]);
  const parts = t.split(/[\s-]+/).filter(Boolean);
  if (parts.length === 1) {
    const w = parts[0]!;
    return SMALL_NUMBERS[w] ?? TENS[w] ?? ORDINALS[w] ?? null;
  }
  if (parts.length === 2 && parts[0]! in TENS) {
    const unit = SMALL_NUMBERS[parts[1]!] ?? ORDINALS[parts[1]!];
    if (unit !== undefined && unit >= 1 && unit <= 9) return TENS[parts[0]!]! + unit;
  }
  return null;
}

const COUNT_WORD = `(?:${[...Object.keys(TENS)].join('|')})(?:[\\s-](?:${Object.keys(SMALL_NUMBERS).slice(1, 10).join('|')}|${Object.keys(ORDINALS).slice(0, 9).join('|')}))?|${[...Object.keys(SMALL_NUMBERS), ...Object.keys(ORDINALS)].join('|')}`;

/** A count as a regular-expression fragment: digits, an ordinal, or number words. */
export const COUNT = `(?:\\d{1,6}(?:st|nd|rd|th)?|${COUNT_WORD})`;
