// The held-out set's words: names, addresses, amount forms and courtesies of its own (none from the development set).
import type { Rng } from './grammar.js';

export const NAMES = ['dana', 'omar', 'priya', 'lucas', 'mei', 'sven', 'fatima', 'noah', 'zoe', 'ravi'];
export const ACCOUNTS = ['$ED2', '$ED3', '$BLS1', '$BLS3'];
export const VALIDATORS = ['$VAL2', '$VAL3'];

/** An amount as written, and the normalised PAC value the rules must read ("1,250" -> "1250"). */
export type Amount = { text: string; value: string; needsUnit?: boolean };
export const AMOUNTS: Amount[] = [
  { text: '7', value: '7' },
  { text: '12.75', value: '12.75' },
  { text: '0.3', value: '0.3' },
  { text: '40', value: '40' },
  { text: 'seven', value: '7', needsUnit: true },
  { text: 'twelve', value: '12', needsUnit: true },
  { text: 'a hundred', value: '100', needsUnit: true },
  { text: '1,250', value: '1250' },
  { text: '2 500', value: '2500', needsUnit: true },
  { text: '1_000', value: '1000' },
  { text: '3k', value: '3000' },
];
export const UNITS = ['PAC', 'pac', 'PACs', 'Pactus'];
export const PRE = [
  '',
  '',
  'please ',
  'hey, ',
  'could you ',
  'can you please ',
  'kindly ',
  "I'd like to ",
  'go ahead and ',
  'ok ',
];
export const POST = ['', '', ' please', ' thanks', ' pls', ' now', '!', ' thank you'];

export function amount(rng: Rng): { written: string; value: string } {
  const a = rng.pick(AMOUNTS);
  const unit = rng.pick(UNITS);
  return { written: `${a.text} ${unit}`, value: a.value };
}

export function recipient(rng: Rng): string {
  return rng.chance(0.55) ? rng.pick(NAMES) : rng.pick(ACCOUNTS);
}
