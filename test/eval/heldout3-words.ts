// The third held-out set's own words: people, amounts, recipients and the ways chat clients wrap a message.
// Written from how people talk to wallet bots in Telegram groups, Discord servers and DMs, before reading the rules.
import type { GeneratedCase } from './grammar.js';
import { Rng, typo } from './grammar.js';

/** People in this set's address books: names the other sets do not use, some with shapes names take in chat. */
export const FRIENDS = [
  'priya',
  'kofi',
  'tomas',
  'ingrid',
  'wanjiru',
  'dmitri',
  'lucia',
  'mei',
  'jonas',
  'ahmed',
];

/** Addresses as the eval's placeholders (the devnet's accounts). */
export const ADDRESSES = ['$ED1', '$ED2', '$ED3', '$BLS1'];
export const VALIDATORS = ['$VAL1', '$VAL2'];

/** An amount as typed and the exact PAC it means. */
export interface Amount {
  text: string;
  pac: string;
}

/** Amounts a person can only mean one way. */
export const CLEAR_AMOUNTS: Amount[] = [
  { text: '7 PAC', pac: '7' },
  { text: '7pac', pac: '7' },
  { text: 'PAC 7', pac: '7' },
  { text: '12 pac', pac: '12' },
  { text: '12.5 PAC', pac: '12.5' },
  { text: '0.25 pac', pac: '0.25' },
  { text: '1.5k PAC', pac: '1500' },
  { text: '2k pac', pac: '2000' },
  { text: 'half a PAC', pac: '0.5' },
  { text: 'five hundred PAC', pac: '500' },
  { text: 'thirty PAC', pac: '30' },
  { text: 'a hundred pac', pac: '100' },
  { text: '3 PACs', pac: '3' },
  { text: '1,200 PAC', pac: '1200' },
  { text: '40 Pac', pac: '40' },
  { text: 'forty-two PAC', pac: '42' },
  { text: '0.75 PAC', pac: '0.75' },
  { text: '9 PAC', pac: '9' },
  { text: 'twenty five pac', pac: '25' },
  { text: '0.000000001 PAC', pac: '0.000000001' },
  { text: '250 PAC', pac: '250' },
  { text: '18 pac', pac: '18' },
];

/**
 * Amounts that cannot be drafted as typed: a European decimal comma (the project refuses "1,5" as ambiguous with a
 * thousands separator), other currencies, approximations, ranges, more than 9 decimals.
 */
export const UNCLEAR_AMOUNTS = [
  '0,5 PAC',
  '2,5 PAC',
  '$20',
  '20 USD',
  '15 euros',
  'around 10 PAC',
  'like 5ish PAC',
  '10-15 PAC',
  '1.0000000001 PAC',
  'a few PAC',
  'some PAC',
  '5 PAC or so',
];

/** A recipient as typed and as the action takes it ("me" is the person's own other wallet). */
export interface Recipient {
  text: string;
  to: string;
}

export function recipient(rng: Rng): Recipient {
  const roll = rng.next();
  if (roll < 0.55) {
    const name = rng.pick(FRIENDS);
    return { text: name, to: name };
  }
  if (roll < 0.85) {
    const address = rng.pick(ADDRESSES);
    return { text: address, to: address };
  }
  return { text: rng.pick(['me', 'myself', 'my other wallet', 'my second wallet']), to: 'me' };
}

/** What precedes a message aimed at the bot: nothing in a DM, a mention or a reply quote in a group. */
const OPENERS = [
  '',
  '',
  '',
  '@pactus_bot ',
  '@Pactus_Bot ',
  '<@1184920387716> ',
  'hey bot ',
  'yo ',
  'ok ',
  'hi! ',
  'gm, ',
  '@pactus_bot pls ',
];
const CLOSERS = ['', '', '', ' pls', ' please', ' thx', ' thanks!', ' 🙏', ' 🚀', ' asap', '!!', ' ty'];

/** A request dressed as people send it. Shouting only where the arguments survive it (names are case-blind). */
export function dress(rng: Rng, core: string, opts: { shout?: boolean; close?: boolean } = {}): string {
  const opener = rng.pick(OPENERS);
  // Drawn even when unused, so that leaving it off one line does not change every line after it.
  const closer = rng.pick(CLOSERS);
  let text = opener + core + (opts.close === false ? '' : closer);
  if (opts.shout !== false && rng.chance(0.08)) text = text.toUpperCase();
  else if (rng.chance(0.3)) text = text.charAt(0).toUpperCase() + text.slice(1);
  return text;
}

/** A typo in one word of the message that is not an address or a placeholder: for the "did you mean" lines. */
export function slip(rng: Rng, word: string): string {
  for (let i = 0; i < 5; i++) {
    const out = typo(word, rng);
    if (out !== word) return out;
  }
  return word;
}

export function line(
  text: string,
  action: string | null,
  args: Record<string, unknown> | undefined,
  tag: string,
  offerOk = false,
): GeneratedCase {
  return {
    text,
    expect: action === null ? { action: null } : { action, ...(args && { args }) },
    tag: `h3/${tag}`,
    ...(offerOk && { offerOk: true }),
  };
}

/** n draws of one template (duplicates are dropped later). */
export function times(n: number, make: () => GeneratedCase): GeneratedCase[] {
  return Array.from({ length: n }, make);
}

/** Fixed phrasings of one reading, each drawn and dressed as different people would send it. */
export function said(
  rng: Rng,
  tag: string,
  action: string,
  args: Record<string, unknown>,
  phrasings: string[],
  n = phrasings.length,
): GeneratedCase[] {
  return times(n, () => line(dress(rng, rng.pick(phrasings)), action, args, tag));
}
