// Third held-out set: messages that look like requests and are not the sender's own, clear request. None may draft
// anything or change a setting: quoted, reported, hypothetical, negated, past, how-to, docs, other languages, jokes,
// and messages addressed to another person in the group.
import type { GeneratedCase } from './grammar.js';
import { Rng } from './grammar.js';
import { CLEAR_AMOUNTS, FRIENDS, VALIDATORS, line, times } from './heldout3-words.js';

/** A request someone could make, to be wrapped in something that makes it not a request. */
function request(rng: Rng): string {
  const name = rng.pick(FRIENDS);
  const a = rng.pick(CLEAR_AMOUNTS).text;
  const id = rng.int(1, 9);
  return rng.pick([
    `send ${a} to ${name}`,
    `pay ${name} ${a}`,
    `stake ${a} with ${rng.pick(VALIDATORS)}`,
    `vote yes on proposal ${id}`,
    `unlink $ED1`,
    `turn off all alerts`,
    `forget ${name}`,
    `delegate my votes to ${name}`,
    `send all my PAC to $ED3`,
    `pay ${name} ${a} every month`,
    `set my daily limit to 1000 PAC`,
  ]);
}

const WRAPPERS: ((r: string, name: string) => string)[] = [
  // quoted
  (r) => `my brother texted me "${r}" lol`,
  (r) => `> ${r}\nthis is what the scam account DMed me`,
  (r) => `someone posted '${r}' in the main chat, is that legit?`,
  (r) => `"${r}" — is that how you're supposed to write it?`,
  // reported
  (r, n) => `${n} told me to ${r}`,
  (r, n) => `${n} said she'd ${r} tomorrow`,
  (r) => `a guy in the discord keeps asking everyone to ${r}`,
  // hypothetical and conditional
  (r) => `if I ${r}, would it arrive today?`,
  (r) => `what would happen if I ${r}?`,
  (r) => `hypothetically, could I ${r}`,
  (r) => `should I ${r}?`,
  (r) => `thinking about whether to ${r}, thoughts?`,
  // negated
  (r) => `don't ${r}`,
  (r) => `please do NOT ${r}`,
  (r) => `I'm never going to ${r}`,
  // how-to
  (r) => `how would I ${r}?`,
  (r) => `what's the command to ${r}`,
  (r) => `is it possible to ${r} from telegram?`,
  // docs and examples
  (r) => `the docs give this example: \`${r}\``,
  (r) => `e.g. "${r}"`,
  (r) => `example from the pinned message: ${r}`,
  // jokes and addressed to someone else
  (r) => `lol imagine if you could just ${r} 😂`,
  (r, n) => `@${n} can you ${r} when you get a sec?`,
  (r, n) => `${n}, ${r} pls (not you bot)`,
];

/** Requests written in another language: the bot answers in words, it does not guess a draft. */
const OTHER_LANGUAGES = [
  'envía 5 PAC a priya',
  'schick 10 PAC an kofi',
  'envoie 3 PAC à tomas',
  'manda 2 PAC para ingrid',
  'stuur 7 PAC naar mei',
  'отправь 5 PAC лючии',
  '给 wanjiru 转 5 PAC',
  'wyślij 4 PAC do jonas',
  'invia 6 PAC a dmitri',
  'gönder 8 PAC ahmed',
];

/** Past, small talk and jokes that mention money. */
const CHATTER = [
  'I sent 5 PAC to priya yesterday',
  'already voted yes on #4 btw',
  'kofi paid me 20 PAC last week, nice',
  'lol send me 1000000 PAC and I will send you 2000000 back',
  'bot pls send me a pizza',
  'PAC to the moon 🚀🚀',
  'who wants to send me 5 PAC for coffee haha',
  'did tomas send me the 12 PAC?',
  'my grandma could stake faster than this',
  'staking is so confusing tbh',
  'voting on #3 closes soon everyone!',
  'is 5 PAC a lot?',
  'brb sending money to my landlord',
  'gm everyone ☀️',
  'thanks bot',
  'lmaooo',
  'no',
  'ok',
  'this bot is great',
  'what is pactus',
];

export function notRequestCases(rng: Rng): GeneratedCase[] {
  const wrapped = times(135, () => {
    const wrap = rng.pick(WRAPPERS);
    return line(wrap(request(rng), rng.pick(FRIENDS)), null, undefined, 'not-request');
  });
  return [
    ...wrapped,
    ...OTHER_LANGUAGES.map((t) => line(t, null, undefined, 'not-other-language')),
    ...CHATTER.map((t) => line(t, null, undefined, 'not-chatter')),
  ];
}
