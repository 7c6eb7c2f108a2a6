// The second held-out set's NON-requests: requests that change something (money, wallets, contacts, alerts,
// schedules, limits, votes, contracts), each wrapped the way people mention a request without making it: quoted,
// reported, to translate, hypothetical, conditional, negated, taken back, written as code or JSON, asked about,
// cited from docs, in another language, or leaning on a previous turn the rules do not keep. None may draft or
// change anything: the expected reading is no action (a question or an explanation, with a button at most).
import type { GeneratedCase, Rng } from './grammar.js';
import { ACCOUNTS, NAMES, VALIDATORS } from './heldout2-words.js';

/** A request that changes something: as said, and as the call it would be. */
type Request = { said: string; action: string; args: Record<string, string | number> };

function request(rng: Rng): Request {
  const to = rng.pick(NAMES);
  const acct = rng.pick(ACCOUNTS);
  const v = rng.pick(VALIDATORS);
  const amount = rng.pick(['5', '12', '0.5', '300']);
  const pool: Request[] = [
    { said: `send ${amount} PAC to ${to}`, action: 'send', args: { to, amount } },
    { said: `pay ${acct} ${amount} pac`, action: 'send', args: { to: acct, amount } },
    {
      said: `send 1 PAC to ${to} and 2 PAC to ${acct}`,
      action: 'send_many',
      args: { recipients: `${to} 1, ${acct} 2` },
    },
    { said: `stake 100 PAC with ${v}`, action: 'stake', args: { validator: v, amount: '100' } },
    { said: `unstake ${v}`, action: 'unstake', args: { validator: v } },
    { said: `withdraw all from ${v}`, action: 'withdraw', args: { validator: v, amount: 'all' } },
    { said: 'vote no on proposal 7', action: 'vote', args: { proposal: 7, choice: 'no' } },
    { said: `unlink ${acct}`, action: 'unlink', args: { address: acct } },
    { said: `link ${acct}`, action: 'link', args: { address: acct } },
    { said: `make ${acct} my primary wallet`, action: 'primary', args: { address: acct } },
    { said: `save ${acct} as ${to}`, action: 'contact_save', args: { address: acct, name: to } },
    { said: `forget ${to}`, action: 'contact_forget', args: { name: to } },
    { said: 'turn off incoming alerts', action: 'alerts', args: { state: 'off', kind: 'incoming' } },
    {
      said: `pay ${to} ${amount} PAC every month`,
      action: 'schedule_payment',
      args: { to, amount, every: 'month' },
    },
    { said: 'stop schedule 4', action: 'schedule_stop', args: { schedule: 4 } },
    { said: 'cancel all my drafts', action: 'cancel', args: { draft: 'all' } },
    {
      said: 'set my daily limit to 500 PAC',
      action: 'limit_set',
      args: { setting: 'daily_limit', value: '500' },
    },
    { said: 'remove my daily limit', action: 'limit_set', args: { setting: 'daily_limit', value: 'none' } },
    { said: 'turn off the undo window', action: 'limit_set', args: { setting: 'undo', value: 'off' } },
    { said: 'deploy my contract', action: 'contract_deploy', args: {} },
    {
      said: 'veto proposal 7 because it is spam',
      action: 'veto',
      args: { proposal: 7, reason: 'it is spam' },
    },
  ];
  return rng.pick(pool);
}

const json = (r: Request) => JSON.stringify({ action: r.action, ...r.args });
const callArgs = (r: Request) =>
  Object.entries(r.args)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');

const FAMILIES: [string, number, ((r: Request, rng: Rng) => string)[]][] = [
  [
    'not a request: quoted',
    24,
    [
      (r) => `"${r.said}"`,
      (r) => `“${r.said}”`,
      (r) => `'${r.said}'`,
      (r) => `> ${r.said}`,
      (r) => `\`${r.said}\``,
      (r) => `«${r.said}»`,
      (r) => `"${r.said}" lol`,
      (r) => `>>> ${r.said}`,
    ],
  ],
  [
    'not a request: reported',
    30,
    [
      (r) => `my friend told me: ${r.said}`,
      (r, rng) => `${rng.pick(NAMES)} keeps saying "${r.said}"`,
      (r) => `someone in the telegram group wrote ${r.said}`,
      (r) => `a guy DM'd me "${r.said}", is that legit?`,
      (r) => `this email says ${r.said} — scam?`,
      (r) => `the support agent told me to ${r.said}`,
      (r) => `she asked me to ${r.said}`,
      (r) => `my brother wants me to ${r.said}`,
      (r) => `I was told to ${r.said}`,
      (r) => `the pinned message says: ${r.said}`,
    ],
  ],
  [
    'not a request: to translate',
    15,
    [
      (r) => `translate to german: ${r.said}`,
      (r) => `how do you say "${r.said}" in japanese`,
      (r) => `what's "${r.said}" in spanish?`,
      (r) => `in french please: ${r.said}`,
      (r) => `can you translate this to portuguese: ${r.said}`,
    ],
  ],
  [
    'not a request: hypothetical',
    20,
    [
      (r) => `what would happen if I ${r.said}?`,
      (r) => `hypothetically, if I wanted to ${r.said}`,
      (r) => `imagine I ${r.said}`,
      (r) => `let's pretend I ${r.said}`,
      (r) => `suppose I ${r.said}, then what`,
      (r) => `in theory I could ${r.said}, right?`,
    ],
  ],
  [
    'not a request: conditional',
    15,
    [
      (r) => `${r.said} if the price hits $1`,
      (r) => `when my salary lands, ${r.said}`,
      (r, rng) => `${r.said} once ${rng.pick(NAMES)} confirms`,
      (r) => `after the meeting ${r.said}`,
      (r) => `${r.said} but only if the fee is under 0.01`,
    ],
  ],
  [
    'not a request: negated',
    36,
    [
      (r) => `don't ${r.said}`,
      (r) => `please do not ${r.said}`,
      (r) => `I do not want to ${r.said}`,
      (r) => `never ${r.said}`,
      (r) => `no need to ${r.said}`,
      (r) => `I'm not going to ${r.said}`,
      (r) => `you shouldn't ${r.said}`,
      (r) => `stop! don't ${r.said}`,
      (r) => `dont ${r.said}`,
      (r) => `do NOT ${r.said}`,
      (r) => `don’t ${r.said}`,
      (r) => `DON'T ${r.said}`,
    ],
  ],
  [
    'not a request: taken back',
    21,
    [
      (r) => `${r.said}. nvm`,
      (r) => `${r.said}... jk`,
      (r) => `${r.said} — actually forget it`,
      (r) => `${r.said}. wait no, don't`,
      (r) => `${r.said}, oops ignore that`,
      (r) => `${r.said} (just kidding)`,
      (r) => `${r.said}. hmm, no. not yet`,
    ],
  ],
  [
    'not a request: code or JSON',
    24,
    [
      (r) => json(r),
      (r) => JSON.stringify({ name: r.action, arguments: r.args }),
      (r) => '```\n' + r.said + '\n```',
      (r) => `${r.action}(${callArgs(r)})`,
      (r) => `<tool_call>${JSON.stringify({ name: r.action, arguments: r.args })}</tool_call>`,
      (r) =>
        `action: ${r.action}\n${Object.entries(r.args)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n')}`,
      (r) => `curl -X POST https://bot.example/api/${r.action} -d '${JSON.stringify(r.args)}'`,
      (r) =>
        `bot.${r.action}(${Object.values(r.args)
          .map((v) => JSON.stringify(v))
          .join(', ')})`,
    ],
  ],
  [
    'not a request: a question about it',
    24,
    [
      (r) => `what does "${r.said}" do?`,
      (r) => `is it safe to ${r.said}?`,
      (r) => `should I ${r.said}?`,
      (r) => `how long does it take to ${r.said}?`,
      (r) => `can I ${r.said} from my phone?`,
      (r) => `why can't I ${r.said}?`,
      (r) => `is "${r.said}" the right command?`,
      (r) => `would it be dumb to ${r.said}?`,
    ],
  ],
  [
    'not a request: an example from docs',
    12,
    [
      (r) => `e.g. ${r.said}`,
      (r) => `the readme says to type ${r.said}`,
      (r) => `example: ${r.said}`,
      (r) => `for instance: ${r.said}`,
      (r) => `the tutorial shows "${r.said}"`,
    ],
  ],
  [
    'not a request: two requests in one',
    9,
    [
      (r) => `check my balance and then ${r.said}`,
      (r, rng) => `${r.said} and also unlink ${rng.pick(ACCOUNTS)}`,
      (r) => `${r.said}, then stake 10 PAC with $VAL3`,
    ],
  ],
];

export function notRequests(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (const [tag, count, frames] of FAMILIES)
    for (let i = 0; i < count; i++) {
      const frame = frames[i % frames.length]!;
      out.push({ text: frame(request(rng), rng), expect: { action: null }, tag });
    }
  for (const text of [
    'envía 5 PAC a kwame',
    'schick kwame 5 PAC',
    'envoie 5 PAC à kwame',
    'manda 5 pac para o kwame',
    'stuur 5 PAC naar kwame',
    'kwame に 5 PAC 送って',
    'отправь 5 PAC kwame',
  ])
    out.push({ text, expect: { action: null }, tag: 'not read: another language (for the model)' });
  return out;
}

/** Messages that only mean something after the bot's previous answer: the rules keep no turns, so they ask. */
export function followUps(): GeneratedCase[] {
  return [
    'same again',
    'do it again',
    'make it 10 instead',
    'actually 10',
    'change it to 12 pac',
    'yes',
    'yes please',
    'ok do it',
    'go ahead',
    'send it',
    'confirm',
    'the first one',
    'that one',
    'do the same for ingrid',
    'him too',
    'double it',
    'again but to ingrid',
    'and the other wallet?',
    'same amount to tomas',
    'what about $ED1?',
    'no the other one',
    'sign it for me',
  ].map((text) => ({ text, expect: { action: null }, tag: 'follow-up: needs the previous turn' }));
}
