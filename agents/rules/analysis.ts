import { parseAddressAnyNetwork, type ParsedAddress } from '../../pactus/address.js';
import { readAmounts, type AmountReading } from './amounts.js';
import { PactusError } from '../../pactus/errors.js';
import { unwrap } from './courtesy.js';

/** Everything the rules look at, extracted once from a message. */
export interface Analysis {
  raw: string;
  /** The message without its memo (what the person asks, not what the memo says). */
  body: string;
  /** The message without addresses, IDs, keys and memo, lower-cased: what the verb rules read. */
  words: string;
  /** The same, with its punctuation kept (a question mark, a full stop between sentences). */
  sentence: string;
  addresses: FoundAddress[];
  invalidAddresses: string[];
  amounts: FoundAmount[];
  txIds: string[];
  publicKeys: string[];
  memo: string | null;
  /** An "all"/"everything"/"max" amount was asked for. */
  all: boolean;
  /** Why an amount-looking token cannot be an amount (negative, exponent notation), if one was seen. */
  badAmount: string | null;
  /** The words of the body in order, lower case, with their positions (addresses as "@addr", IDs as "@txid"). */
  tokens: Token[];
  /** The message started with a greeting ("hi", "gm", "hey bot"), taken off before the rules read it. */
  greeted: boolean;
}

export interface Token {
  word: string;
  start: number;
  end: number;
}

export interface FoundAddress {
  text: string;
  parsed: ParsedAddress;
  index: number;
  /** Preceded by "from". */
  from: boolean;
  /** Preceded by "to". */
  to: boolean;
}

export type FoundAmount = AmountReading;

const ADDRESS_LIKE = /\b(t?pc1[a-z0-9]{6,})\b/gi;
const TX_ID = /\b([0-9a-f]{64})\b/gi;
const PUBLIC_KEY = /\b(t?public1[a-z0-9]{50,})\b/gi;
const MEMO = /\b(?:with\s+(?:a\s+)?(?:memo|note|message|reference)|memo|note|reference|ref)\s*[:=]?\s*(.+)$/i;

/** `"rent" pls`, `“invoice 2291” 🚀`: a memo in quotes ends at its closing quote, when only a sign-off follows. */
const QUOTED_MEMO = [
  /^\s*"([^"]+)"(.*)$/su,
  /^\s*“([^”]+)”(.*)$/su,
  /^\s*‘([^’]+)’(.*)$/su,
  /^\s*`([^`]+)`(.*)$/su,
];
/** Single quotes: the last one closes, since the memo may hold an apostrophe ('don't be late'). */
const SINGLE_QUOTED_MEMO = /^\s*'(.+)'(.*)$/su;

function quotedMemo(text: string): string | null {
  for (const pattern of [...QUOTED_MEMO, SINGLE_QUOTED_MEMO]) {
    const m = pattern.exec(text);
    if (!m) continue;
    const rest = m[2]!.trim();
    if (rest && unwrap(`x ${rest}`).text !== 'x') return null;
    return m[1]!.trim() || null;
  }
  return null;
}

function stripQuotes(text: string): string {
  return text
    .trim()
    .replace(/^["'“‘`]+|["'”’`]+$/g, '')
    .trim();
}

/** Pulls addresses, amounts, IDs, keys and the memo out of a message (positions refer to `raw`). */
export function analyze(message: string): Analysis {
  const spaced = message.normalize('NFC').replace(/\s+/g, ' ').trim();
  // A greeting, mention and sign-off are taken off once, here, for every rule (courtesy.ts); an unquoted memo
  // keeps its tail ("memo pizza night ty" cannot say where the memo ends).
  const lead = unwrap(spaced, true);
  const memoAhead = MEMO.exec(lead.text);
  let raw = memoAhead ? lead.text : unwrap(spaced).text;
  let memo: string | null = null;
  let memoMatch = MEMO.exec(raw);
  // "250 PAC → tpc1...", "5 pac => bob": an arrow in the request (never in the memo) is "to".
  const arrows = /\s*(?:→|⇒|➡️?|=>|->)\s*/gu;
  const request = memoMatch ? raw.slice(0, memoMatch.index) : raw;
  if (arrows.test(request)) {
    raw = request.replace(arrows, ' to ') + raw.slice(request.length);
    memoMatch = MEMO.exec(raw);
  }
  let body = raw;
  if (memoMatch) {
    memo = quotedMemo(memoMatch[1]!) ?? stripQuotes(memoMatch[1]!);
    body = raw.slice(0, memoMatch.index);
    // "(memo: taxi)": the brackets hold the memo; they are not part of it.
    if (/\(\s*$/.test(body) && /^[^()]*\)[\s.!]*$/.test(memo))
      memo = stripQuotes(memo.replace(/\)[\s.!]*$/, ''));
  }
  const addresses: FoundAddress[] = [];
  const invalidAddresses: string[] = [];
  const txIds: string[] = [];
  const publicKeys: string[] = [];
  // Masks keep every index aligned with `body`, so amounts can be paired with the addresses next to them.
  const mask = (text: string, pattern: RegExp, marker: string) =>
    text.replace(pattern, (m) => (marker + ' '.repeat(m.length)).slice(0, m.length));
  for (const m of body.matchAll(PUBLIC_KEY)) publicKeys.push(m[1]!);
  let words = mask(body, PUBLIC_KEY, ' ');
  for (const m of words.matchAll(ADDRESS_LIKE)) {
    const before = words.slice(Math.max(0, m.index - 12), m.index).toLowerCase();
    try {
      addresses.push({
        text: m[1]!,
        parsed: parseAddressAnyNetwork(m[1]!),
        index: m.index,
        from: /\b(?:from|using|via)\s+$/.test(before),
        to: /\b(to|into|for)\s+$/.test(before),
      });
    } catch (error) {
      if (!(error instanceof PactusError)) throw error;
      invalidAddresses.push(m[1]!);
    }
  }
  words = mask(words, ADDRESS_LIKE, '@addr');
  for (const m of words.matchAll(TX_ID)) txIds.push(m[1]!.toLowerCase());
  words = mask(words, TX_ID, '@txid');
  const scan = readAmounts(words);
  const lower = words.toLowerCase();
  return {
    raw,
    body,
    // Hyphens and underscores inside a word stay ("mary-jane", "o_neil"); other punctuation is a space.
    words: lower
      .replace(/[’‘]/g, "'")
      .replace(/[^\p{L}\p{N}@#'\s_-]/gu, ' ')
      // Each run read from its start only (a lookbehind): tried at every dash of a long run, the run is re-read
      // to its end each time (quadratic in its length).
      .replace(/(?<![\p{L}\p{N}_-])[-_]+|(?<![-_])[-_]+(?![\p{L}\p{N}_-])/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    sentence: lower.replace(/\s+/g, ' ').trim(),
    addresses,
    invalidAddresses,
    amounts: scan.amounts,
    txIds,
    publicKeys,
    memo,
    all: /\b(all|everything|max|maximum|entire balance|whole balance)\b/.test(lower),
    badAmount: scan.problem,
    tokens: tokenize(lower),
    greeted: lead.greeted,
  };
}

/** Words with their positions; a possessive "'s" and quotes around a word are not part of it. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/@?[\p{L}\p{N}][\p{L}\p{N}_'’-]*/gu)) {
    const word = m[0].replace(/[’]/g, "'").replace(/(?:'s|')$|(?<![-_])[-_]+$/, '');
    tokens.push({ word, start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}
