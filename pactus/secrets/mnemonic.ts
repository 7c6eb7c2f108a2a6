import { matchWord, splitJoined, type WordMatch } from './wordlist.js';

/**
 * Where a recovery phrase (or enough of one to matter) sits in folded text. The rules, and why:
 *
 * - A phrase is a run of tokens that each stand for a BIP-39 word: the word, its first four letters or more
 *   ("aban"), the word with one typo (one letter changed, added, dropped, or two neighbours swapped: "abandn"), or
 *   words run together ("abandonability", or words joined by zero-width spaces). Anything that is not a letter
 *   separates words without breaking the run: spaces, newlines, commas, bullets, numbering ("1.", "#1", "1)",
 *   "word1"), emoji; the end of a sentence (". ", "? ") does. One token that stands for no word (a word mangled
 *   past one typo, but not English glue like "and", "the", "my") may sit inside a run.
 * - Ordinary English also strings BIP-39 words together ("you can load just what you need"), so a run counts
 *   only when its words are mostly distinct (a phrase rarely repeats one; tables of contents and code do) and not
 *   mostly COMMON_WORDS of English words, and when it is one of:
 *   - FULL_RUN (12) words or more with at most one weak match (a typo, or a token that is just two words run
 *     together), anywhere in a message: 12 is the shortest phrase BIP-39 makes;
 *   - PARTIAL_RUN (8) words or more laid out like a phrase: numbered (1, 2, 3, ...; then every word may carry a
 *     typo), or listed (the words apart by newlines, commas, bullets, invisible characters or nothing, not by the
 *     spaces and full stops of prose; up to half may be typos);
 *   - FULL_RUN words or more that are most of the message, up to half of them typos;
 *   - PARTIAL_RUN words or more in a message that speaks of a phrase ("seed", "phrase", "mnemonic", "recovery",
 *     "backup", ...), with at most 40% weak (the words around a phrase join its run: "words" and "thanks" read
 *     as typos of "word" and "thank");
 *   - BARE_RUN (10) words or more that are most of the message, with at most one weak and fewer common words (a
 *     part of a phrase pasted alone). Short English sentences made only of list words exist ("I return you can
 *     share final account tomorrow"), so eight or nine bare words are not enough alone.
 * - Why eight: eight known words of a 12-word phrase leave four unknown, 2048^4 / 16 (the checksum) ~ 1.1e12
 *   candidates, a GPU-days search that is cheap against a funded wallet; seven leave ~2.3e15, out of reach.
 *
 * bench/secrets.ts measures recall on generated phrases in every layout and false alarms on real prose.
 */
export const FULL_RUN = 12;
export const PARTIAL_RUN = 8;
export const BARE_RUN = 10;

/**
 * The most common English words that are also BIP-39 words (about a tenth of the list). Prose leans on them; a
 * random phrase holds 1.2 of them in 12 words on average, and four or more in 2.6% of phrases.
 */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  `that have you this they say will one all there what about when make can like time just know people into year
  good other then now only come over also use two work first way want because any give day find thing tell very
  must still own need feel high old keep never long great little right world life hand child eye woman place case
  point number group problem again same another where few such real sure more much off under around between
  during before since until among across behind beyond below above near able best better early easy hard true
  false open close start end help move play turn try ask call run put mean leave begin talk stay include change
  follow speak allow add spend grow offer remember love consider appear wait expect build fall remain suggest
  raise pass sell require report decide pull home room story young family night water business head service
  friend father power hour game member law car city name team minute idea kid body parent face level office door
  health person art history party result morning reason girl moment air force almost already always enough often
  once rather soon today together later hello please okay sorry fine nice cool word list address phrase`.split(
    /\s+/,
  ),
);

const PHRASE_WORDS =
  /\b(seed|seeds|phrase|phrases|mnemonic|mnemonics|recovery|backup|back up|restore|secret|wallet words|12 words|24 words|twelve words|my words)\b/;

export interface PhraseFinding {
  /** Span in the folded text. */
  start: number;
  end: number;
  words: number;
}

/**
 * A list's separator: a newline, comma, semicolon, bar, tab, bullet, quote mark (">"), dash, emoji or number, or
 * nothing (words run together, or apart only by invisible characters); not the spaces of prose, nor the quotes,
 * brackets and operators of code and markup.
 */
function isListSeparator(separator: string): boolean {
  if (separator === '') return true;
  if (separator.length > 12 || /["'=<{}[\]/\\&?`$@%^~+!]/.test(separator)) return false;
  return /[\n\r\t,;|•·*>\-–—#]|[0-9]|\p{Extended_Pictographic}/u.test(separator);
}

/** The end of a sentence between two words ("2." after a number is numbering, and ends nothing). */
const SENTENCE_END = /(?<![0-9])[.!?]\s/;
/** Words that hold English together: in prose never a mangled phrase word, so a run does not go on past them. */
const GLUE = new Set(
  'a an the and or but nor so if as at by for from in into of on to up with is are was were be been am do does did i me my we us our he him his she her it its they them their your yours not no yes'.split(
    ' ',
  ),
);

/** A token that stands for words, or a stranger (a letter token that stands for none, maybe a mangled word). */
type Item = {
  start: number;
  end: number;
  /** Numbers just before it ("2." of "2. ability"). */
  numbers: number[];
  /** The text between the previous item and this one. */
  separator: string;
  text: string;
  words: Word[] | null;
};

const TOKEN = /[\p{L}]+|[0-9]+/gu;
/** The same for text that folded to ASCII (nearly all of it), without the cost of Unicode property classes. */
const ASCII_TOKEN = /[a-z]+|[0-9]+/g;
const ASCII = /^[\x00-\x7f]*$/;
const LATIN = /^[a-z]+$/;

/** Recovery phrases and long enough parts of one in `text` (already folded: see fold.ts). */
export function findPhrases(text: string): PhraseFinding[] {
  const found: PhraseFinding[] = [];
  if (text.length < PARTIAL_RUN * 4) return found;
  // Segments: items between breaks (glue words, long unknown tokens, sentence ends).
  const segments: Item[][] = [[]];
  let numbers: number[] = [];
  let last = 0;
  let letterWords = 0;
  for (const m of text.matchAll(ASCII.test(text) ? ASCII_TOKEN : TOKEN)) {
    const token = m[0];
    if (/^[0-9]/.test(token)) {
      if (token.length <= 2) numbers.push(Number(token));
      continue;
    }
    const words = LATIN.test(token) ? wordsOf(token) : null;
    letterWords += words?.length ?? 1;
    const separator = text.slice(last, m.index);
    last = m.index + token.length;
    const segment = segments[segments.length - 1]!;
    if (segment.length && SENTENCE_END.test(separator)) segments.push([]);
    // Glue breaks prose; in a list ("5) was") it is an item like any other, most likely a typo'd word.
    const listed = isListSeparator(separator.replace(/^[\s\S]*(?<![0-9])[.!?]\s/, ''));
    if (!words && ((GLUE.has(token) && !listed) || token.length > 12)) {
      if (segments[segments.length - 1]!.length) segments.push([]);
      numbers = [];
      continue;
    }
    segments[segments.length - 1]!.push({
      start: m.index,
      end: last,
      numbers,
      separator,
      text: token,
      words,
    });
    numbers = [];
  }
  if (letterWords < PARTIAL_RUN) return found;
  const context = PHRASE_WORDS.test(text);
  for (const segment of segments) {
    let previous: PhraseFinding | null = null;
    for (const run of runsOf(segment).flatMap(unrepeated)) {
      // The words after a phrase that a second stranger split off are still the phrase's: cut out with it.
      if (previous && run[0]!.start <= previous.end) {
        previous.end = Math.max(previous.end, run[run.length - 1]!.end);
        continue;
      }
      previous = qualifies(run, letterWords, context)
        ? { start: run[0]!.start, end: run[run.length - 1]!.end, words: run.length }
        : null;
      if (previous) found.push(previous);
    }
  }
  return found;
}

/**
 * A segment's runs: each may open with one stranger (its first word, mangled), hold one stranger inside, and end
 * with one (its last word). A further stranger ends the run as its last word and opens the next one.
 */
function runsOf(segment: Item[]): Item[][] {
  const runs: Item[][] = [];
  let run: Item[] = [];
  let inside = false;
  let hasWords = false;
  segment.forEach((item, i) => {
    if (item.words) {
      run.push(item);
      hasWords = true;
      return;
    }
    if (!hasWords) {
      run = [item]; // a lead (two strangers in a row: only the nearer one leads)
      return;
    }
    if (!inside && segment[i + 1]?.words) {
      inside = true;
      run.push(item);
      return;
    }
    run.push(item);
    runs.push(run);
    run = [item];
    inside = false;
    hasWords = false;
  });
  if (hasWords) runs.push(run);
  return runs;
}

/**
 * A run, and its pieces cut where a token repeats the one before it: a phrase rarely repeats a word, let alone
 * twice in a row, so a repeated token is a filler, not the phrase ("<phrase> to to to to": every "to" reads as a
 * typo of "toe", the run grows past the phrase, and its distinctness test failed for the whole of it, so the
 * phrase went through). Each piece must still qualify alone, as a message holding only it would.
 */
function unrepeated(run: Item[]): Item[][] {
  // A piece could not qualify where the whole did not; and most runs repeat nothing (checked without allocating).
  if (run.length <= PARTIAL_RUN || !run.some((item, i) => i > 0 && item.text === run[i - 1]!.text))
    return [run];
  const pieces: Item[][] = [[]];
  run.forEach((item, i) => {
    if (i > 0 && item.text === run[i - 1]!.text) pieces.push([]);
    pieces[pieces.length - 1]!.push(item);
  });
  return [run, ...pieces];
}

function qualifies(run: Item[], letterWords: number, context: boolean): boolean {
  let words = 0;
  let weak = 0;
  let common = 0;
  let separators = 0;
  let listSeparators = 0;
  const distinct = new Set<string>();
  const numbers: number[] = [];
  run.forEach((item, i) => {
    numbers.push(...item.numbers);
    if (i > 0) {
      separators++;
      if (isListSeparator(item.separator)) listSeparators++;
    }
    if (!item.words) {
      // Most likely a word mangled past recognition: it counts, as a weak one, and distinct.
      words++;
      weak++;
      distinct.add(`~${item.text}`);
      return;
    }
    const n = item.words.length;
    // Words run together had nothing (or only invisible characters) between them: a list's way, not prose's.
    separators += n - 1;
    listSeparators += n - 1;
    words += n;
    for (const w of item.words) {
      if (w.how === 'typo' || (w.how === 'joined' && n === 2)) weak++;
      // A typo'd token is not evidence of prose, and is its own word as far as repetition goes.
      if (w.how !== 'typo' && COMMON_WORDS.has(w.word)) common++;
      distinct.add(w.how === 'typo' ? `~${item.text}` : w.word);
    }
  });
  if (words < PARTIAL_RUN || distinct.size < words * 0.8) return false;
  const weakShare = weak / words;
  const commonShare = common / words;
  const alone = words >= letterWords * 0.75;
  const listed = listSeparators >= separators * 0.75;
  return (
    (words >= FULL_RUN && weak <= 1 && commonShare <= 0.5) ||
    (commonShare <= 0.4 &&
      (isNumbered(numbers) ||
        (listed && (weak <= 1 || weakShare <= 0.5)) ||
        (alone && words >= FULL_RUN && weakShare <= 0.5) ||
        (context && (weak <= 1 || weakShare <= 0.4)))) ||
    (alone && words >= BARE_RUN && weak <= 1 && commonShare <= 0.3)
  );
}

interface Word {
  word: string;
  how: WordMatch;
}

/** Tokens already read (prose repeats its words); emptied when full, so it stays small. */
const READ = new Map<string, Word[] | null>();

function wordsOf(token: string): Word[] | null {
  let words = READ.get(token);
  if (words !== undefined) return words;
  words = readToken(token);
  if (READ.size > 20_000) READ.clear();
  READ.set(token, words);
  return words;
}

function readToken(token: string): Word[] | null {
  const one = matchWord(token);
  if (one && one.how !== 'typo') return [one];
  const joined = splitJoined(token);
  // One typo explains a token more simply than two words run together ("boyage" is voyage, not boy + age).
  if (joined && !(one && joined.length === 2)) return joined.map((word) => ({ word, how: 'joined' }));
  return one ? [one] : null;
}

/** Numbering like 1, 2, 3 (or starting later, for part of a phrase): at least three steps of one. */
function isNumbered(numbers: number[]): boolean {
  let steps = 0;
  for (let i = 1; i < numbers.length; i++) if (numbers[i] === numbers[i - 1]! + 1) steps++;
  return steps >= 3 && steps >= (numbers.length - 1) / 2;
}
