// The fourth held-out set's own vocabulary (issue 29, issue 31 item 2): names, amount forms, verbs and chat
// registers chosen by an outside checker before reading agents/rules/** or the other sets' lines.
import type { GeneratedCase } from './grammar.js';
import { Rng, typo } from './grammar.js';
import type { Amount } from './heldout3-words.js';

/** Names from the checker's own circle: none of the other sets' names. */
export const NAMES = [
  'ngozi',
  'tomasz',
  'haruto',
  'beatriz',
  'farid',
  'zanele',
  'siobhan',
  'mateus',
  'leilani',
  'oskar',
  'amara',
  'yusuf',
] as const;

/** Account addresses (placeholders the eval substitutes with real devnet addresses). */
export const ADDRESSES = ['$ED0', '$ED2', '$ED3', '$BLS1', '$BLS2', '$BLS3'] as const;
export const VALIDATORS = ['$VAL0', '$VAL1', '$VAL2', '$VAL3'] as const;

/** Digits, decimals, separators, "k", number words: each must be read exactly. */
export const AMOUNTS: Amount[] = [
  { text: '4', pac: '4' },
  { text: '2.5', pac: '2.5' },
  { text: '0.75', pac: '0.75' },
  { text: '13', pac: '13' },
  { text: '1,250', pac: '1250' },
  { text: '3k', pac: '3000' },
  { text: '1.5k', pac: '1500' },
  { text: 'seven', pac: '7' },
  { text: 'twenty five', pac: '25' },
  { text: 'forty', pac: '40' },
  { text: '.5', pac: '0.5' },
  { text: '0.000000001', pac: '0.000000001' },
  { text: '60', pac: '60' },
  { text: '2.50', pac: '2.5' },
  { text: 'eleven', pac: '11' },
];

/** Ways to write the coin after an amount. */
export const UNITS = ['PAC', 'pac', 'Pac', 'PAC coins', 'pactus', 'PACs'] as const;

/** Amounts with their unit, including the shapes that carry no separate unit word. */
export function amountWithUnit(rng: Rng): Amount {
  const roll = rng.int(0, 9);
  if (roll === 0) return { text: 'half a PAC', pac: '0.5' };
  if (roll === 1) {
    const a = rng.pick(AMOUNTS.filter((x) => /^[\d.,]+$/.test(x.text)));
    return { text: `PAC ${a.text}`, pac: a.pac };
  }
  if (roll === 2) {
    const a = rng.pick(AMOUNTS.filter((x) => /^\d+$/.test(x.text)));
    return { text: `${a.text}pac`, pac: a.pac };
  }
  const a = rng.pick(AMOUNTS);
  return { text: `${a.text} ${rng.pick(UNITS)}`, pac: a.pac };
}

/** Verbs that put the amount first ("<verb> 5 PAC to ngozi"). */
export const VERBS_AMOUNT_FIRST = [
  'send',
  'transfer',
  'pay',
  'wire',
  'shoot',
  'toss',
  'zap',
  'bung',
  'push',
  'fire off',
] as const;

/** Verbs that take the person first ("<verb> ngozi 5 PAC"). */
export const VERBS_PERSON_FIRST = ['send', 'pay', 'give', 'toss', 'zap', 'tip'] as const;

/** Polite or request-shaped openings that keep the request a request. */
export const REQUEST_WRAPPERS = [
  (s: string) => `please ${s}`,
  (s: string) => `${s} pls`,
  (s: string) => `can you ${s}?`,
  (s: string) => `could u ${s}`,
  (s: string) => `would you ${s} please`,
  (s: string) => `kindly ${s}`,
  (s: string) => `I'd like you to ${s}`,
  (s: string) => `hey, ${s} thanks!`,
  (s: string) => `${s} 🙏`,
  (s: string) => `ok so ${s}`,
  (s: string) => `${s}, cheers`,
  (s: string) => `yo ${s} 🚀`,
] as const;

const PLACEHOLDER = /(\$[A-Z]+\d?)/;

/** Shouting: everything upper case but the placeholders (real addresses are case-sensitive bech32). */
export function shout(text: string): string {
  return text
    .split(PLACEHOLDER)
    .map((part, i) => (i % 2 ? part : part.toUpperCase()))
    .join('');
}

/** Voice typing: no punctuation (a decimal point stays), all lower case. */
export function voice(text: string): string {
  return text
    .split(PLACEHOLDER)
    .map((part, i) =>
      i % 2
        ? part
        : part
            .toLowerCase()
            .replace(/(?<!\d)[.,]|[.,](?!\d)|[!?;:'"]/g, '')
            .replace(/\s+/g, ' '),
    )
    .join('')
    .trim();
}

/** One word (not a placeholder, name or number) mistyped, as a real thumb does. */
export function slip(text: string, rng: Rng, protect: readonly string[]): string {
  const words = text.split(' ');
  const candidates = words
    .map((w, i) => [w, i] as const)
    .filter(([w]) => /^[a-z]{5,}$/i.test(w) && !protect.includes(w.toLowerCase()));
  if (!candidates.length) return text;
  const [word, i] = rng.pick(candidates);
  words[i] = typo(word, rng);
  return words.join(' ');
}

/** A builder for one family's lines. */
export function family(tag: string) {
  const out: GeneratedCase[] = [];
  return {
    add(text: string, action: string | null, args?: Record<string, unknown>, offerOk = false) {
      out.push({
        text,
        expect: action === null ? { action: null } : { action, ...(args && { args }) },
        tag,
        ...(offerOk && { offerOk: true }),
      });
    },
    cases: out,
  };
}

export const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A phrasing picked per line, with a register applied now and then (caps, voice typing, an emoji). */
export function styled(rng: Rng, text: string): string {
  const roll = rng.int(0, 9);
  if (roll === 0) return shout(text);
  if (roll === 1) return voice(text);
  if (roll === 2) return `${text} 👀`;
  return text;
}

/** Adds `n` lines for one action whose phrasings take no arguments (or fixed ones). */
export function plain(
  rng: Rng,
  tag: string,
  action: string,
  args: Record<string, unknown>,
  phrasings: string[],
  n = phrasings.length,
): GeneratedCase[] {
  const f = family(tag);
  for (let i = 0; i < n; i++)
    f.add(styled(rng, i < phrasings.length ? phrasings[i]! : rng.pick(phrasings)), action, args);
  return f.cases;
}
