// Generators of secrets as people paste them (real random mnemonics and keys, in every layout) and of ordinary
// chat that happens to use BIP-39 words, for the secret detector's tests and bench/secrets.ts.
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import fc from 'fast-check';
import { seededRandom } from '../../compute/simulate.js';
import { bytesToHex } from '../../pactus/bytes.js';
import { PrivateKey, type SignatureScheme } from '../../pactus/keys.js';
import { LOOKALIKES } from '../../pactus/secrets/lookalikes.js';
import { COMMON_WORDS } from '../../pactus/secrets/mnemonic.js';

export const NUMBERINGS = [
  'none',
  '1. w',
  '1) w',
  '#1 w',
  '(1) w',
  '1: w',
  '01 w',
  'w1',
  '1-w',
  '1.w',
] as const;
export const SEPARATORS = [
  ' ',
  '\n',
  ', ',
  ',',
  ' - ',
  '\t',
  '  ',
  ' | ',
  '; ',
  '\u00a0',
  '\u3000',
  '\r\n',
] as const;
export const BULLETS = ['', '- ', '* ', '• ', '· ', '> ', '✅ ', '🔑 '] as const;
export const FORMS = ['word', 'prefix4', 'prefix5', 'upper', 'title', 'mixed'] as const;
export const UNICODE = [
  'none',
  'fullwidth',
  'cyrillic',
  'lookalike',
  'math-bold',
  'accents',
  'zero-width-inside',
  'zero-width-between',
  'soft-hyphen',
] as const;
export const TYPOS = ['none', 'one', 'every'] as const;
export const SURROUNDINGS = ['alone', 'intro', 'question', 'middle', 'after'] as const;

export interface PhraseLayout {
  numbering: (typeof NUMBERINGS)[number];
  separator: (typeof SEPARATORS)[number];
  bullet: (typeof BULLETS)[number];
  form: (typeof FORMS)[number];
  unicode: (typeof UNICODE)[number];
  typo: (typeof TYPOS)[number];
  surrounding: (typeof SURROUNDINGS)[number];
}

const CYRILLIC: Record<string, string> = {
  a: 'а',
  c: 'с',
  e: 'е',
  o: 'о',
  p: 'р',
  x: 'х',
  y: 'у',
  i: 'і',
  s: 'ѕ',
  j: 'ј',
};

/** A deterministic stream of choices from one seed (mulberry32), for layouts fast-check does not pick. */
export const seeded = seededRandom;

/**
 * One edit of a word (a letter changed, added or dropped, or two neighbours swapped), never the word itself.
 * `keepFour`: the typo leaves four letters or more (shorter tokens are read only as whole words).
 */
export function typo(word: string, random: () => number, keepFour = false): string {
  // A slip that spells another word (or English glue) is not a typo but a different word: roll again.
  for (let i = 0; i < 20; i++) {
    const out = oneTypo(word, random, keepFour);
    if (!BIP39.has(out) && !GLUE.has(out)) return out;
  }
  return word + 'qz';
}

const BIP39 = new Set(wordlist);
const GLUE = new Set([
  'a',
  'an',
  'the',
  'and',
  'or',
  'as',
  'at',
  'is',
  'are',
  'was',
  'were',
  'be',
  'it',
  'to',
  'in',
  'of',
  'on',
  'my',
  'me',
]);

function oneTypo(word: string, random: () => number, keepFour: boolean): string {
  if (keepFour && word.length < 4) return word + word[word.length - 1];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const at = Math.floor(random() * word.length);
  const letter = letters[Math.floor(random() * 26)]!;
  const kind = Math.floor(random() * 4);
  let out = word;
  if (kind === 0) out = word.slice(0, at) + letter + word.slice(at + 1);
  else if (kind === 1) out = word.slice(0, at) + letter + word.slice(at);
  else if (kind === 2 && word.length > (keepFour ? 4 : 3)) out = word.slice(0, at) + word.slice(at + 1);
  else if (at + 1 < word.length) out = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return out === word ? word.slice(0, -1) + (word.endsWith('z') ? 'y' : 'z') : out;
}

function unicodeOf(word: string, unicode: PhraseLayout['unicode'], random: () => number): string {
  switch (unicode) {
    case 'none':
    case 'zero-width-between':
      return word;
    case 'fullwidth':
      return [...word]
        .map((c) => (/[!-~]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c))
        .join('');
    case 'cyrillic':
      return [...word].map((c) => (random() < 0.6 ? (CYRILLIC[c.toLowerCase()] ?? c) : c)).join('');
    case 'lookalike':
      // Any character Unicode lists as confusable with the letter (Greek, Cherokee, Armenian, Lisu, ...).
      return [...word]
        .map((c) => {
          const choices = [...(LOOKALIKES[c.toLowerCase()] ?? '')];
          return choices.length && random() < 0.6 ? choices[Math.floor(random() * choices.length)]! : c;
        })
        .join('');
    case 'math-bold':
      return [...word]
        .map((c) =>
          /[a-z]/.test(c)
            ? String.fromCodePoint(0x1d41a + c.charCodeAt(0) - 97)
            : /[A-Z]/.test(c)
              ? String.fromCodePoint(0x1d400 + c.charCodeAt(0) - 65)
              : c,
        )
        .join('');
    case 'accents':
      return [...word].map((c) => (random() < 0.3 ? c + '\u0301' : c)).join('');
    case 'zero-width-inside': {
      const at = 1 + Math.floor(random() * Math.max(1, word.length - 1));
      return (
        word.slice(0, at) +
        ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'][Math.floor(random() * 5)] +
        word.slice(at)
      );
    }
    case 'soft-hyphen': {
      const at = 1 + Math.floor(random() * Math.max(1, word.length - 1));
      return word.slice(0, at) + '\u00ad' + word.slice(at);
    }
  }
}

function formOf(word: string, form: PhraseLayout['form'], random: () => number): string {
  switch (form) {
    case 'word':
      return word;
    case 'prefix4':
      return word.slice(0, 4);
    case 'prefix5':
      return word.slice(0, 5);
    case 'upper':
      return word.toUpperCase();
    case 'title':
      return word[0]!.toUpperCase() + word.slice(1);
    case 'mixed':
      return [...word].map((c) => (random() < 0.5 ? c.toUpperCase() : c)).join('');
  }
}

function numbered(word: string, n: number, numbering: PhraseLayout['numbering']): string {
  if (numbering === 'none') return word;
  if (numbering === '01 w') return `${String(n).padStart(2, '0')} ${word}`;
  return numbering.replace('1', String(n)).replace('w', word);
}

/** The phrase as a person might paste it. */
export function renderPhrase(words: string[], layout: PhraseLayout, random: () => number): string {
  const typoAt = layout.typo === 'one' ? Math.floor(random() * words.length) : -1;
  const rendered = words.map((word, i) => {
    // A typo goes on a whole word; an abbreviation is already the shortest telling form.
    let w = layout.typo === 'every' ? typo(word, random, true) : i === typoAt ? typo(word, random) : word;
    if (w === word || !layout.form.startsWith('prefix')) w = formOf(w, layout.form, random);
    w = unicodeOf(w, layout.unicode, random);
    return layout.bullet + numbered(w, i + 1, layout.numbering);
  });
  const separator =
    layout.unicode === 'zero-width-between' ? '\u200b' : layout.bullet ? '\n' : layout.separator;
  const body = rendered.join(separator);
  switch (layout.surrounding) {
    case 'alone':
      return body;
    case 'intro':
      return `my seed phrase is:\n${body}`;
    case 'question':
      return `can you restore my wallet from these words? ${body}`;
    case 'middle':
      return `hi, here are the recovery words ${body} thanks in advance`;
    case 'after':
      return `${body}\nis it safe as a backup?`;
  }
}

export const layoutArb: fc.Arbitrary<PhraseLayout> = fc.record({
  numbering: fc.constantFrom(...NUMBERINGS),
  separator: fc.constantFrom(...SEPARATORS),
  bullet: fc.constantFrom(...BULLETS),
  form: fc.constantFrom(...FORMS),
  unicode: fc.constantFrom(...UNICODE),
  typo: fc.constantFrom(...TYPOS),
  surrounding: fc.constantFrom(...SURROUNDINGS),
});

/**
 * Real mnemonics: 12, 15, 18, 21 or 24 words from uniformly random entropy, as wallets make them (fast-check's
 * usual bias towards small numbers would make phrases of "abandon abandon abandon ...").
 */
export const mnemonicArb: fc.Arbitrary<string[]> = fc
  .constantFrom(16, 20, 24, 28, 32)
  .chain((n) => fc.noBias(fc.uint8Array({ minLength: n, maxLength: n })))
  .map((entropy) => entropyToMnemonic(entropy, wordlist).split(' '));

/**
 * What the detector promises for a rendered phrase (the rules in pactus/secrets/mnemonic.ts, restated from the
 * layout rather than from the detector's reading): 12 words or more with at most one typo, anywhere; 8 or more
 * numbered (any typos); 8 or more listed (newlines, commas, bullets, bars, dashes, tabs, zero-width characters
 * between them) with at most half typos; 12 or more alone with at most half; 8 or more under words that speak of
 * a phrase ("seed phrase", "recovery words", "restore my wallet", "backup") with at most a third; 10 or more alone
 * with at most one typo and at most 30% common words. Every promise holds for phrases that are not mostly common
 * English words (COMMON_WORDS: over 40%) nor repeat words. A typo that leaves fewer than four letters reads as no
 * word (one per run is bridged), so 'every' keeps four. Zero-width characters between the words leave nothing to
 * find a typo'd word's end by, so typos are not promised there.
 */
export function promised(words: string[], layout: PhraseLayout): boolean {
  const n = words.length;
  const commonShare = words.filter((w) => COMMON_WORDS.has(w)).length / n;
  if (new Set(words).size < n * 0.8 || commonShare > 0.4 || n < 8) return false;
  const typos = layout.typo === 'none' ? 0 : layout.typo === 'one' ? 1 : n;
  if (typos > 0 && layout.unicode === 'zero-width-between') return false;
  const listed =
    layout.bullet !== '' ||
    layout.unicode === 'zero-width-between' ||
    !([' ', '  ', '\u00a0', '\u3000'] as string[]).includes(layout.separator);
  const alone = layout.surrounding === 'alone';
  return (
    (n >= 12 && typos <= 1) ||
    layout.numbering !== 'none' ||
    (listed && typos <= Math.max(1, n / 2)) ||
    (alone && n >= 12 && typos <= n / 2) ||
    (!alone && typos <= Math.max(1, n / 3)) ||
    (alone && n >= 10 && typos <= 1 && commonShare <= 0.3)
  );
}

// ---------------------------------------------------------------- keys

export const SCHEMES: SignatureScheme[] = ['bls', 'ed25519', 'secp256k1'];

/** A real private key of the scheme from 32 random bytes (retrying the rare bytes that are no key). */
export function privateKeyOf(scheme: SignatureScheme, bytes: Uint8Array): PrivateKey {
  for (let i = 0; ; i++) {
    try {
      return PrivateKey.fromBytes(scheme, bytes);
    } catch {
      bytes = Uint8Array.from(bytes, (b, j) => (j === 0 ? (b + 1 + i) & 0x7f : b));
    }
  }
}

export const KEY_CONTEXTS = [
  'my private key is {k}',
  'privkey: {k}',
  'here is my key {k} can you check it',
  'secret key = {k}',
  'import this private key {k}',
  '{k} is my private key',
  'PK {k}',
  'my wallet seed key {k}',
] as const;

/** Layouts of a 32-byte key that are never transaction ids: always a secret. */
export function splitHexForms(hex: string, random: () => number): string[] {
  const pairs = hex.match(/../g)!;
  const fours = hex.match(/.{4}/g)!;
  const eights = hex.match(/.{8}/g)!;
  return [
    pairs.join(' '),
    pairs.join(':'),
    pairs.map((p) => `0x${p}`).join(', '),
    pairs.map((p) => `\\x${p}`).join(''),
    fours.join(' '),
    eights.join('-'),
    hex.match(/.{16}/g)!.join('\n'),
    pairs.map((p) => (random() < 0.5 ? p.toUpperCase() : p)).join(' '),
  ];
}

export function byteArrayForm(bytes: Uint8Array): string {
  return `[${[...bytes].join(', ')}]`;
}

export { bytesToHex };

// ---------------------------------------------------------------- ordinary chat

const NOUNS =
  `wallet address balance account friend family money coin dinner lunch coffee ticket rent house car
  office project team game movie music garden window kitchen doctor lawyer teacher mother father sister brother
  phone laptop email message letter report budget market price fee reward bonus salary invoice order problem
  question answer idea plan trip holiday weekend morning evening night`.split(/\s+/);
const VERBS = `send pay check move stake withdraw transfer need want like find build share pay cover borrow
  return spend save buy sell visit call remember forget explain describe follow`.split(/\s+/);
const ADJS = `small large quick simple early late good great little real sure happy sad busy lucky fresh
  cheap rich poor final daily weekly monthly`.split(/\s+/);
const ADVERBS = `today tomorrow soon later again already always often now please`.split(/\s+/);
const PRONOUNS = `I you we they she he`.split(/\s+/);

const TEMPLATES = [
  '{P} {V} the {A} {N} to my {N} {D}',
  'can you {V} my {N} {D}?',
  'what is the {N} of my {N} and the {N}',
  '{P} can {V} just what {P} need for the {N} {D}',
  'please {V} {A} {N} and {A} {N} for our {N} {D}',
  'my {N} and my {N} {V} a {A} {N} every {N}',
  'did the {N} {V} the {N} {D} or not',
  'how much {N} do {P} {V} for a {A} {N} in the {N}',
  'I {V} you can {V} {A} {N} {D}, right?',
  'the {N} said {P} will {V} the {N} {D} because the {N} was {A}',
  'is it {A} to {V} my {N} {D} or should I wait',
  'thanks, {P} will {V} the {N} {D} and {V} the {N} later',
  'remember to {V} the {N} before the {N} on {N} {N}',
];

/** An ordinary chat line that leans on BIP-39 words (nouns, verbs, adjectives are mostly in the list). */
export function ordinaryMessage(random: () => number): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!;
  const sentences = 1 + Math.floor(random() * 3);
  const out: string[] = [];
  for (let i = 0; i < sentences; i++)
    out.push(
      pick(TEMPLATES).replace(/\{([PVNAD])\}/g, (_, slot: string) =>
        pick({ P: PRONOUNS, V: VERBS, N: NOUNS, A: ADJS, D: ADVERBS }[slot as 'P']),
      ),
    );
  return out.join(' ');
}

/** Word lists of the chat grammar, for a test that they mostly are BIP-39 words. */
export const CHAT_WORDS = { NOUNS, VERBS, ADJS, ADVERBS };
