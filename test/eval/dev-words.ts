// The development set's words: names, addresses, verbs, amount forms and courtesies its grammar combines.
import type { Rng } from './grammar.js';

export const NAMES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'mary-jane',
  'o_neil',
];
export const ACCOUNTS = ['$ED0', '$ED1', '$BLS0', '$BLS2'];
export const VALIDATORS = ['$VAL0', '$VAL1'];
export const SEND_VERBS = ['send', 'give', 'pay', 'wire', 'transfer', 'tip', 'move'];
/** Verbs that take the recipient right after them ("give alice 2 PAC"). */
export const DOUBLE_OBJECT_VERBS = ['send', 'give', 'pay', 'wire', 'tip'];

export type Amount = { text: string; value: string; unit: 'always' | 'optional' };
export const AMOUNTS: Amount[] = [
  { text: '5', value: '5', unit: 'optional' },
  { text: '2', value: '2', unit: 'optional' },
  { text: '1.5', value: '1.5', unit: 'optional' },
  { text: '0.25', value: '0.25', unit: 'optional' },
  { text: '.5', value: '0.5', unit: 'optional' },
  { text: '100', value: '100', unit: 'optional' },
  { text: '1,000', value: '1000', unit: 'optional' },
  { text: '1_000', value: '1000', unit: 'optional' },
  { text: '10_000', value: '10000', unit: 'optional' },
  { text: '1 000', value: '1000', unit: 'always' },
  { text: '12 500', value: '12500', unit: 'always' },
  { text: '5k', value: '5000', unit: 'optional' },
  { text: 'five', value: '5', unit: 'always' },
  { text: 'twenty', value: '20', unit: 'always' },
  { text: 'three and a half', value: '3.5', unit: 'always' },
  { text: 'half a', value: '0.5', unit: 'always' },
  { text: 'ninety-nine', value: '99', unit: 'always' },
];
export const UNITS = ['PAC', 'pac', 'Pac', 'PACs'];
export const POLITE_BEFORE = [
  '',
  '',
  '',
  'please ',
  'pls ',
  'can you ',
  'could you please ',
  'would you ',
  'I want to ',
  'I need to ',
  "I'd like to ",
  'hey bot, ',
  'hi! ',
  'ok so ',
  'just ',
];
export const POLITE_AFTER = [
  '',
  '',
  '',
  ' please',
  ' pls',
  ' thanks',
  ' thx',
  ' now',
  ', thank you',
  '!',
  ' :)',
];

export const amountOf = (rng: Rng, forceUnit = false) => {
  const a = rng.pick(AMOUNTS);
  const withUnit = forceUnit || a.unit === 'always' || rng.chance(0.75);
  return { written: withUnit ? `${a.text} ${rng.pick(UNITS)}` : a.text, value: a.value };
};
export const recipientOf = (rng: Rng) => (rng.chance(0.5) ? rng.pick(NAMES) : rng.pick(ACCOUNTS));
