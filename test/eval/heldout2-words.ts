// The SECOND held-out set's words, chosen by someone outside the team that wrote the rules: names, addresses, amount
// forms, units and the registers people write in (terse, chatty, non-native, voice-typed, emoji, slang). None of
// its names, memos or wrappers come from the development set or the first held-out set.
import type { Rng } from './grammar.js';

/** Names as people save them; some are also English words ("rosa", "mark"), one has a hyphen. */
export const NAMES = [
  'kwame',
  'ingrid',
  'tomas',
  'yuki',
  'beatriz',
  'olu',
  'hana',
  'marek',
  'jean-luc',
  'rosa',
];
export const ACCOUNTS = ['$ED3', '$BLS0', '$ED1', '$BLS2'];
export const VALIDATORS = ['$VAL0', '$VAL3', '$VAL1'];

/**
 * An amount as written and its exact PAC value. `words` amounts need a unit after them to be an amount at all;
 * `spoken` ones survive voice typing (no decimal point, no grouping comma).
 */
export type Amount = { text: string; value: string; words?: boolean; spoken?: boolean };
export const AMOUNTS: Amount[] = [
  { text: '8', value: '8', spoken: true },
  { text: '0.05', value: '0.05' },
  { text: '19.99', value: '19.99' },
  { text: '250', value: '250', spoken: true },
  { text: '3,000', value: '3000' },
  { text: '0.125', value: '0.125' },
  { text: 'eleven', value: '11', words: true, spoken: true },
  { text: 'fifteen', value: '15', words: true, spoken: true },
  { text: 'thirty', value: '30', words: true, spoken: true },
  { text: 'sixty-five', value: '65', words: true },
  { text: '2.5k', value: '2500' },
  { text: '20K', value: '20000' },
  { text: '1 500', value: '1500', words: true },
  { text: '5.00', value: '5' },
];
export const UNITS = ['PAC', 'pac', 'Pac', 'PACs', 'pacs', 'PAC tokens', 'pac coins', '$PAC'];
/** Amounts a validator takes (1 to 1,000 PAC). */
export const STAKES: Amount[] = [
  { text: '10', value: '10', spoken: true },
  { text: '50', value: '50', spoken: true },
  { text: '250', value: '250', spoken: true },
  { text: '1000', value: '1000', spoken: true },
  { text: 'five hundred', value: '500', words: true, spoken: true },
  { text: '1k', value: '1000' },
  { text: '75.5', value: '75.5' },
];

export function amount(rng: Rng, pool: Amount[] = AMOUNTS, unit = true): { written: string; value: string } {
  const a = rng.pick(pool);
  const u = rng.pick(UNITS);
  if (!unit && !a.words) return { written: a.text, value: a.value };
  return { written: `${a.text} ${u}`, value: a.value };
}

export function spokenAmount(rng: Rng, pool: Amount[] = AMOUNTS): { written: string; value: string } {
  const a = rng.pick(pool.filter((x) => x.spoken));
  return { written: `${a.text} ${rng.pick(['pac', 'pack', 'pac'])}`, value: a.value };
}

export const someone = (rng: Rng) => (rng.chance(0.6) ? rng.pick(NAMES) : rng.pick(ACCOUNTS));

/** The registers people write requests in: each takes a plain request and writes it their way. */
export type Register = 'plain' | 'terse' | 'chatty' | 'emoji' | 'shouted' | 'phone' | 'multiline';
const OPENERS = [
  'hey there! ',
  'Hi bot, hope you are doing well. ',
  'ok so quick one: ',
  'morning ☀️ ',
  'yo ',
  'sorry to bother you, but ',
  'Hello, ',
  'right, ',
];
const CLOSERS = [
  ' thanks a lot!',
  ' Cheers.',
  ' ty!!',
  ' appreciate it',
  ' thx in advance',
  ' 🙏',
  ' :D',
  ' xx',
];
const EMOJI = ['🙏', '💸', '🚀', '😊', '👍🏽', '🔥', '✅'];

export function inRegister(rng: Rng, request: string, register: Register): string {
  switch (register) {
    case 'plain':
      return request;
    case 'terse':
      return request.replace(/^(please |pls |can you |could you )/i, '');
    case 'chatty':
      return `${rng.pick(OPENERS)}${request}${rng.pick(CLOSERS)}`;
    case 'emoji':
      return rng.chance(0.5)
        ? `${rng.pick(EMOJI)} ${request}`
        : `${request} ${rng.pick(EMOJI)}${rng.pick(EMOJI)}`;
    case 'shouted':
      return `${request.toUpperCase()}!!`;
    case 'phone':
      return `${request.charAt(0).toUpperCase()}${request.slice(1)}.`;
    case 'multiline':
      return `${rng.pick(['hi', 'hey', 'hello bot'])}\n${request}\n${rng.pick(['thanks', 'ty', 'cheers'])}`;
  }
}

export const REGISTERS: Register[] = [
  'plain',
  'plain',
  'terse',
  'chatty',
  'emoji',
  'shouted',
  'phone',
  'multiline',
];

/**
 * Voice typing: no punctuation, all lower case, and "PAC" heard as "pack" now and then. Only for requests that
 * hold names and whole numbers (nobody dictates an address or a decimal).
 */
export function voiceTyped(request: string): string {
  return request
    .toLowerCase()
    .replace(/[.,!?;:"']/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
