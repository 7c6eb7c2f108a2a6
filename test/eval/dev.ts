// The DEVELOPMENT set: phrasings generated from a grammar (verbs x word orders x recipient forms x amount forms x
// politeness x typos x wrappers), each line with the expected action and arguments. The rules are tuned against
// this set (and the hand-written lines); the held-out set (heldout.ts) uses other templates and words.
import { Rng, recipientsArg, sentenceCase, typo, unique, type GeneratedCase } from './grammar.js';

const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'mary-jane', 'o_neil'];
const ACCOUNTS = ['$ED0', '$ED1', '$BLS0', '$BLS2'];
const VALIDATORS = ['$VAL0', '$VAL1'];
const SEND_VERBS = ['send', 'give', 'pay', 'wire', 'transfer', 'tip', 'move'];
/** Verbs that take the recipient right after them ("give alice 2 PAC"). */
const DOUBLE_OBJECT_VERBS = ['send', 'give', 'pay', 'wire', 'tip'];

type Amount = { text: string; value: string; unit: 'always' | 'optional' };
const AMOUNTS: Amount[] = [
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
const UNITS = ['PAC', 'pac', 'Pac', 'PACs'];
const POLITE_BEFORE = [
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
const POLITE_AFTER = ['', '', '', ' please', ' pls', ' thanks', ' thx', ' now', ', thank you', '!', ' :)'];

const amountOf = (rng: Rng, forceUnit = false) => {
  const a = rng.pick(AMOUNTS);
  const withUnit = forceUnit || a.unit === 'always' || rng.chance(0.75);
  return { written: withUnit ? `${a.text} ${rng.pick(UNITS)}` : a.text, value: a.value };
};
const recipientOf = (rng: Rng) => (rng.chance(0.5) ? rng.pick(NAMES) : rng.pick(ACCOUNTS));

/** Sends in every word order, to names and addresses, with every amount form and politeness. */
function sends(rng: Rng, n: number): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (let i = 0; i < n; i++) {
    const to = recipientOf(rng);
    const a = amountOf(rng);
    const before = rng.pick(POLITE_BEFORE);
    const after = rng.pick(POLITE_AFTER);
    const expect = { action: 'send', args: { to, amount: a.value } };
    const order = rng.int(0, 4);
    let text: string;
    let tag: string;
    if (order === 0) {
      text = `${before}${rng.pick(SEND_VERBS)} ${a.written} to ${to}${after}`;
      tag = 'send: verb amount to recipient';
    } else if (order === 1) {
      const withUnit = amountOf(rng, true);
      text = `${before}${rng.pick(DOUBLE_OBJECT_VERBS)} ${to} ${withUnit.written}${after}`;
      expect.args.amount = withUnit.value;
      tag = 'send: verb recipient amount';
    } else if (order === 2) {
      const withUnit = amountOf(rng, true);
      text = `${withUnit.written} to ${to}${after}`;
      expect.args.amount = withUnit.value;
      tag = 'send: amount to recipient';
    } else if (order === 3) {
      text = `${before}${rng.pick(['send', 'transfer', 'move'])} ${a.written} over to ${to}${after}`;
      tag = 'send: over to';
    } else {
      const withUnit = amountOf(rng, true);
      text = `${before}${rng.pick(['send', 'give'])} ${withUnit.written} 2 ${to}`;
      expect.args.amount = withUnit.value;
      tag = 'send: 2 for to';
    }
    out.push({ text: rng.chance(0.2) ? sentenceCase(text) : text, expect, tag });
  }
  return out;
}

function sendExtras(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const memos = ['lunch', 'rent', 'thanks for dinner', 'invoice 42'];
  for (let i = 0; i < 40; i++) {
    const to = recipientOf(rng);
    const a = amountOf(rng, true);
    const memo = rng.pick(memos);
    const form = rng.pick([`with memo ${memo}`, `memo ${memo}`, `memo: ${memo}`, `with note "${memo}"`]);
    const verb = rng.pick(SEND_VERBS);
    const text = rng.chance(0.5)
      ? `${verb} ${a.written} to ${to} ${form}`
      : `${verb} ${to} ${a.written} ${form}`;
    out.push({
      text: verb === 'transfer' || verb === 'move' ? `${verb} ${a.written} to ${to} ${form}` : text,
      expect: { action: 'send', args: { to, amount: a.value, memo } },
      tag: 'send: memo',
    });
  }
  const all = ['all my PAC', 'all my pac', 'everything', 'my whole balance', 'all of it', 'the max', 'all'];
  for (let i = 0; i < 30; i++) {
    const to = recipientOf(rng);
    const verb = rng.pick(['send', 'transfer', 'move', 'pay']);
    out.push({
      text: `${rng.pick(POLITE_BEFORE)}${verb} ${rng.pick(all)} to ${to}`,
      expect: { action: 'send', args: { to, amount: 'all' } },
      tag: 'send: all',
    });
  }
  const me = ['me', 'myself', 'my wallet', 'my other wallet', 'my own account'];
  for (let i = 0; i < 20; i++) {
    const a = amountOf(rng, true);
    const from = rng.chance(0.4) ? rng.pick(ACCOUNTS) : null;
    out.push({
      text: `${rng.pick(SEND_VERBS.slice(0, 5))} ${a.written} ${from ? `from ${from} ` : ''}to ${rng.pick(me)}`,
      expect: { action: 'send', args: { to: 'me', amount: a.value, ...(from && { from }) } },
      tag: 'send: me',
    });
  }
  for (let i = 0; i < 30; i++) {
    const to = recipientOf(rng);
    const from = rng.pick(ACCOUNTS.filter((x) => x !== to));
    const a = amountOf(rng, true);
    out.push({
      text: rng.chance(0.5)
        ? `send ${a.written} from ${from} to ${to}`
        : `from ${from} pay ${to} ${a.written}`,
      expect: { action: 'send', args: { to, amount: a.value, from } },
      tag: 'send: from',
    });
  }
  return out;
}

function batches(rng: Rng, n: number): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (let i = 0; i < n; i++) {
    const count = rng.int(2, 4);
    const people = [...new Set(Array.from({ length: count }, () => recipientOf(rng)))];
    if (people.length < 2) continue;
    const values = people.map(() => rng.pick(['1', '2', '0.5', '3', '10', '25']));
    const form = rng.int(0, 3);
    const join = (parts: string[]) =>
      parts.length === 2 ? parts.join(' and ') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
    let text: string;
    let pairs: [string, string][] = people.map((p, k) => [p, values[k]!]);
    if (form === 0) text = `send ${join(people.map((p, k) => `${values[k]} PAC to ${p}`))}`;
    else if (form === 1) text = `pay ${join(people.map((p, k) => `${p} ${values[k]} PAC`))}`;
    else if (form === 2) {
      text = `send ${values[0]} PAC each to ${join(people)}`;
      pairs = people.map((p) => [p, values[0]!]);
    } else text = `give ${join(people)} ${values[0]} PAC each`;
    if (form === 3) pairs = people.map((p) => [p, values[0]!]);
    out.push({
      text,
      expect: { action: 'send_many', args: { recipients: recipientsArg(pairs) } },
      tag: 'send: batch',
    });
  }
  return out;
}

function typos(rng: Rng, n: number): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (let i = 0; i < n; i++) {
    const to = recipientOf(rng);
    const verb = rng.pick(['send', 'transfer', 'give', 'wire']);
    out.push({
      text: `${typo(verb, rng)} ${rng.pick(['3', '8', '0.75'])} PAC to ${to}`,
      expect: { action: 'send', args: { to, amount: '' } },
      tag: 'typo: verb',
      offerOk: true,
    });
    const last = out.at(-1)!;
    (last.expect.args as { amount: string }).amount = /\b(\d+(?:\.\d+)?)\b/.exec(last.text)![1]!;
  }
  const words: [string, (w: string) => string, GeneratedCase['expect']][] = [
    ['balance', (w) => `${w}`, { action: 'balance', args: {} }],
    ['balance', (w) => `check my ${w}`, { action: 'balance', args: {} }],
    ['contacts', (w) => `my ${w}`, { action: 'contacts', args: {} }],
    ['proposals', (w) => `show ${w}`, { action: 'proposals', args: {} }],
    ['schedules', (w) => `my ${w}`, { action: 'schedules', args: {} }],
    ['alerts', (w) => `my ${w}`, { action: 'alerts', args: { state: 'list' } }],
    ['history', (w) => `${w}`, { action: 'history', args: {} }],
    ['unstake', (w) => `${w} $VAL1`, { action: 'unstake', args: { validator: '$VAL1' } }],
    [
      'withdraw',
      (w) => `${w} all from $VAL0`,
      { action: 'withdraw', args: { validator: '$VAL0', amount: 'all' } },
    ],
    ['stake', (w) => `${w} 10 PAC to $VAL0`, { action: 'stake', args: { validator: '$VAL0', amount: '10' } }],
  ];
  for (const [word, frame, expect] of words)
    for (let k = 0; k < 3; k++) {
      const t = typo(word, rng);
      if (t !== word) out.push({ text: frame(t), expect, tag: 'typo: command word', offerOk: true });
    }
  return out;
}

function schedules(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const periods: [string, string][] = [
    ['every day', 'day'],
    ['daily', 'day'],
    ['each day', 'day'],
    ['once a day', 'day'],
    ['every week', 'week'],
    ['weekly', 'week'],
    ['once a week', 'week'],
    ['each week', 'week'],
    ['every month', 'month'],
    ['monthly', 'month'],
    ['each month', 'month'],
    ['once a month', 'month'],
    ['a month', 'month'],
    ['per month', 'month'],
    ['every monday', 'monday'],
    ['every Friday', 'friday'],
    ['on sundays', 'sunday'],
    ['every wednesday', 'wednesday'],
  ];
  for (let i = 0; i < 60; i++) {
    const to = recipientOf(rng);
    const a = amountOf(rng, true);
    const [period, every] = rng.pick(periods);
    const leading = /^(every|each|daily|weekly|monthly)\b/i.test(period);
    const form = rng.int(0, leading ? 4 : 3);
    const text = [
      `pay ${to} ${a.written} ${period}`,
      `send ${a.written} to ${to} ${period}`,
      `remind me to pay ${to} ${a.written} ${period}`,
      `set up a payment of ${a.written} to ${to} ${period}`,
      `${period} send ${to} ${a.written}`,
    ][form]!;
    out.push({
      text,
      expect: { action: 'schedule_payment', args: { to, amount: a.value, every } },
      tag: 'schedule',
    });
  }
  const absurd = [
    'every second',
    'every minute',
    'every hour',
    'hourly',
    'every 5 seconds',
    'every 10 minutes',
    'every 2 weeks',
    'every other day',
    'biweekly',
    'every year',
    'every 3 days',
  ];
  for (const period of absurd)
    out.push({
      text: `pay ${rng.pick(NAMES)} 5 PAC ${period}`,
      expect: { action: null },
      tag: 'schedule: period refused',
    });
  for (const text of [
    'my schedules',
    'my recurring payments',
    'list scheduled payments',
    'show my standing orders',
  ])
    out.push({ text, expect: { action: 'schedules', args: {} }, tag: 'schedule' });
  for (const [text, n] of [
    ['stop schedule 2', 2],
    ['cancel schedule 7', 7],
    ['stop recurring payment #3', 3],
    ['end schedule 12', 12],
    ['stop paying schedule 4', 4],
    ['delete schedule 9', 9],
  ] as const)
    out.push({ text, expect: { action: 'schedule_stop', args: { schedule: n } }, tag: 'schedule' });
  return out;
}

function alerts(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const kinds: [string[], string][] = [
    [['incoming', 'incoming transfer', 'incoming payment', 'transfer'], 'incoming'],
    [['proposal', 'governance', 'dao', 'vote'], 'proposals'],
    [['validator', 'committee'], 'validator'],
    [['withdrawable', 'withdrawal', 'unbonding'], 'withdrawable'],
  ];
  const nouns = ['alerts', 'notifications', 'alert', 'notifs', 'pings'];
  const off = ['turn off', 'disable', 'mute', 'silence', 'switch off', 'stop', 'deactivate'];
  const on = ['turn on', 'enable', 'unmute', 'switch on', 'activate', 'resume'];
  for (let i = 0; i < 70; i++) {
    const [words, kind] = rng.pick(kinds);
    const k = rng.pick(words);
    const noun = rng.pick(nouns);
    const state = rng.chance(0.5) ? 'off' : 'on';
    const verb = rng.pick(state === 'off' ? off : on);
    const particle = verb.split(' ')[1];
    const form = rng.int(0, 4);
    const text =
      form === 0
        ? `${verb} ${k} ${noun}`
        : form === 1 && particle
          ? `${verb.split(' ')[0]} ${k} ${noun} ${particle}`
          : form === 2
            ? `${noun} ${state} ${k}`
            : form === 3
              ? `${k} ${noun} ${state}`
              : `${rng.pick(['please ', 'can you ', ''])}${verb} my ${k} ${noun}`;
    out.push({ text, expect: { action: 'alerts', args: { state, kind } }, tag: 'alerts: toggle' });
  }
  for (const text of ['turn off all alerts', 'mute all notifications', 'disable every alert', 'alerts off'])
    out.push({ text, expect: { action: 'alerts', args: { state: 'off' } }, tag: 'alerts: toggle' });
  for (const text of ['turn on all alerts', 'enable all notifications', 'alerts on'])
    out.push({ text, expect: { action: 'alerts', args: { state: 'on' } }, tag: 'alerts: toggle' });
  for (const [text, kind] of [
    ['no more proposal alerts', 'proposals'],
    ["I don't want incoming alerts", 'incoming'],
    ["don't notify me about incoming transfers", 'incoming'],
    ['stop notifying me about validators', 'validator'],
    ['stop sending me proposal notifications', 'proposals'],
  ] as const)
    out.push({
      text,
      expect: { action: 'alerts', args: { state: 'off', kind } },
      tag: 'alerts: negation as meaning',
    });
  for (const [text, kind] of [
    ['notify me when my stake is withdrawable', 'withdrawable'],
    ['let me know about new proposals', 'proposals'],
    ['alert me about incoming transfers', 'incoming'],
  ] as const)
    out.push({ text, expect: { action: 'alerts', args: { state: 'on', kind } }, tag: 'alerts: toggle' });
  for (const text of [
    "don't turn alerts off incoming",
    "don't turn off incoming alerts",
    'do not mute proposal alerts',
    "don't disable validator notifications",
    'never turn on incoming alerts',
    "please don't turn on proposal alerts",
    'turn off incoming alerts. actually no',
    'should I turn off incoming alerts?',
    'if I get spam, mute incoming alerts',
  ])
    out.push({ text, expect: { action: null }, tag: 'alerts: negated or not a request' });
  for (const text of ['my alerts', 'which alerts are on', 'alert settings', 'show my notifications settings'])
    out.push({ text, expect: { action: 'alerts', args: { state: 'list' } }, tag: 'alerts: list' });
  return out;
}

function contacts(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const names = [...NAMES, 'this-is-a-very-long-name', 'Bob_2', 'x'];
  for (let i = 0; i < 30; i++) {
    const address = rng.pick(ACCOUNTS);
    const name = rng.pick(names);
    const text = rng.pick([
      `save ${address} as ${name}`,
      `add ${address} as ${name}`,
      `remember ${address} as ${name}`,
      `save ${address} as ${name} please`,
      `add ${address} to my contacts as ${name}`,
      `save ${address} under ${name}`,
      `store ${address} as ${name}`,
    ]);
    out.push({
      text,
      expect: { action: 'contact_save', args: { address, name: name.toLowerCase() } },
      tag: 'contacts: save',
    });
  }
  for (const name of ['help', 'me', 'all', 'everyone', 'cancel', 'balance', 'pac'])
    out.push({ text: `save $ED1 as ${name}`, expect: { action: null }, tag: 'contacts: reserved name' });
  for (const text of [
    'save $ED1 as alice smith jones',
    'save $ED1 as this-name-is-far-too-long-for-a-contact-name',
    'save $ED1 as 4lice',
  ])
    out.push({ text, expect: { action: null }, tag: 'contacts: bad name' });
  for (const name of NAMES.slice(0, 6))
    out.push({
      text: rng.pick([
        `forget ${name}`,
        `delete ${name} from my contacts`,
        `remove contact ${name}`,
        `remove ${name} from my address book`,
        `delete contact ${name}`,
      ]),
      expect: { action: 'contact_forget', args: { name } },
      tag: 'contacts: forget',
    });
  for (const text of [
    'my contacts',
    'show my contacts',
    'address book',
    'list contacts',
    'who are my contacts',
  ])
    out.push({ text, expect: { action: 'contacts', args: {} }, tag: 'contacts: list' });
  return out;
}

function governance(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const numbers: [string, number][] = [
    ['1', 1],
    ['one', 1],
    ['#2', 2],
    ['two', 2],
    ['number 3', 3],
    ['number three', 3],
    ['4', 4],
    ['five', 5],
    ['twelve', 12],
  ];
  const choices: [string, string][] = [
    ['yes', 'yes'],
    ['yea', 'yes'],
    ['aye', 'yes'],
    ['in favor', 'yes'],
    ['for', 'yes'],
    ['no', 'no'],
    ['nay', 'no'],
    ['against', 'no'],
  ];
  for (let i = 0; i < 40; i++) {
    const [n, id] = rng.pick(numbers);
    const [c, choice] = rng.pick(choices);
    const form = rng.int(0, 3);
    const text = [
      `vote ${c} on proposal ${n}`,
      `I vote ${c} on proposal ${n}`,
      `please vote ${c} on proposal ${n}`,
      `on proposal ${n} I vote ${c}`,
    ][form]!;
    out.push({ text, expect: { action: 'vote', args: { proposal: id, choice } }, tag: 'vote' });
  }
  for (const [text, id, choice] of [
    ['vote yea on proposal one', 1, 'yes'],
    ['vote yes on the first proposal', 1, 'yes'],
    ['vote no on the second proposal', 2, 'no'],
    ['abstain on proposal three', 3, 'abstain'],
    ['I abstain on the third proposal', 3, 'abstain'],
  ] as const)
    out.push({ text, expect: { action: 'vote', args: { proposal: id, choice } }, tag: 'vote' });
  for (const [text, id] of [
    ['show proposal one', 1],
    ['proposal two', 2],
    ['show me the first proposal', 1],
    ['what is the third proposal', 3],
    ['details on proposal #4', 4],
    ['show proposal number 6', 6],
  ] as const)
    out.push({ text, expect: { action: 'proposal', args: { proposal: id } }, tag: 'proposal' });
  for (const text of ['show proposal 0', 'show proposal -1', 'vote yes on proposal 0'])
    out.push({ text, expect: { action: null }, tag: 'proposal: refused' });
  for (const text of [
    'show proposals',
    'open proposals',
    'what is being voted on',
    'list the proposals',
    'any proposals?',
  ])
    out.push({ text, expect: { action: 'proposals', args: {} }, tag: 'proposals' });
  return out;
}

function everyday(): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const add = (tag: string, texts: string[], expect: GeneratedCase['expect']) => {
    for (const text of texts) out.push({ text, expect, tag });
  };
  add(
    'balance',
    [
      'show me my money',
      'how much money do I have',
      'my balance',
      'check balance',
      'how much PAC do I have',
      'what is my balance?',
      "what's in my wallet",
      'how much is in my wallet',
      'show my funds',
      'how rich am I',
      'do I have any PAC',
      'balance please',
      'how many pac do i have',
    ],
    { action: 'balance', args: {} },
  );
  add('balance', ['balance of $VAL0', 'what is the balance of $VAL1'], {
    action: 'balance',
    args: { address: '$VAL0' },
  });
  out.at(-1)!.expect = { action: 'balance', args: { address: '$VAL1' } };
  add('balance', ["alice's balance", 'balance of alice', 'how much does bob have'], {
    action: 'balance',
    args: { address: 'alice' },
  });
  out.at(-1)!.expect = { action: 'balance', args: { address: 'bob' } };
  add(
    'compute_status',
    [
      'how is the compute pool doing',
      'compute status',
      'is the compute pool up',
      'how is the inference pool',
      'compute pool health',
      'is compute working',
    ],
    { action: 'compute_status', args: {} },
  );
  add(
    'history',
    [
      'my last transactions',
      'history',
      'what have I sent',
      'show my recent transactions',
      'my transaction history',
    ],
    { action: 'history', args: {} },
  );
  add('help', ['help', 'what can you do', 'commands', 'help me', 'what can I do here'], {
    action: 'help',
    args: {},
  });
  add('cancel', ['cancel', '/cancel', 'cancel my drafts', 'cancel a draft', 'show my pending drafts'], {
    action: 'cancel',
    args: {},
  });
  add(
    'my_addresses',
    ['my addresses', 'my wallets', 'which wallets are linked', 'show my linked addresses'],
    {
      action: 'my_addresses',
      args: {},
    },
  );
  return out;
}

/** Requests wrapped so that they are not the person's own: quoted, reported, translated, code, JSON, hypothetical. */
function notRequests(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const requests = [
    () => `send ${rng.pick(['5', '900', '1,000'])} PAC to ${recipientOf(rng)}`,
    () => `pay ${rng.pick(NAMES)} 20 PAC`,
    () => `unlink ${rng.pick(ACCOUNTS)}`,
    () => `forget ${rng.pick(NAMES)}`,
    () => 'turn off incoming alerts',
    () => 'alerts off incoming',
    () => `stake 50 PAC to ${rng.pick(VALIDATORS)}`,
    () => `unstake ${rng.pick(VALIDATORS)}`,
    () => `withdraw all from ${rng.pick(VALIDATORS)}`,
    () => `vote yes on proposal ${rng.int(1, 9)}`,
    () => `save ${rng.pick(ACCOUNTS)} as ${rng.pick(NAMES)}`,
    () => `pay ${rng.pick(NAMES)} 5 PAC every month`,
    () => `stop schedule ${rng.int(1, 9)}`,
    () => `link ${rng.pick(ACCOUNTS)}`,
    () => `make ${rng.pick(ACCOUNTS)} my primary wallet`,
  ];
  const wrappers: [string, (r: string) => string][] = [
    ['reported', (r) => `my friend said: ${r}`],
    ['reported', (r) => `my friend said ${r}`],
    ['reported', (r) => `someone told me to ${r}`],
    ['reported', (r) => `he wants me to ${r}`],
    ['reported', (r) => `the phishing email says "${r}"`],
    ['reported', (r) => `${r} - the phishing email says`],
    ['reported', (r) => `a stranger in the group wrote: ${r}`],
    ['reported', (r) => `my wife asked me to ${r}`],
    ['reported', (r) => `the support agent said to ${r}`],
    ['reported', (r) => `this message I got says ${r}`],
    ['quoted', (r) => `> ${r}`],
    ['quoted', (r) => `"${r}"`],
    ['quoted', (r) => `“${r}”`],
    ['quoted', (r) => `'${r}'`],
    ['quoted', (r) => `what does "${r}" do?`],
    ['code', (r) => '```' + r + '```'],
    ['code', (r) => '```\n' + r + '\n```'],
    ['code', (r) => '`' + r + '`'],
    ['translation', (r) => `translate to French: ${r}`],
    ['translation', (r) => `how do you say "${r}" in Spanish?`],
    ['translation', (r) => `translate "${r}" into German`],
    ['translation', (r) => `${r} (translate this to Italian)`],
    ['hypothetical', (r) => `what if I ${r}`],
    ['hypothetical', (r) => `imagine I ${r}`],
    ['hypothetical', (r) => `suppose I ${r}`],
    ['hypothetical', (r) => `for example: ${r}`],
    ['negated', (r) => `don't ${r}`],
    ['negated', (r) => `do not ${r}`],
    ['negated', (r) => `never ${r}`],
    ['question', (r) => `should I ${r}?`],
    ['question', (r) => `can I ${r}?`],
    ['conditional', (r) => `if the price drops, ${r}`],
    ['retracted', (r) => `${r}. wait, no`],
    ['retracted', (r) => `${r}... never mind`],
  ];
  for (let i = 0; i < 260; i++) {
    const [kind, wrap] = rng.pick(wrappers);
    out.push({ text: wrap(rng.pick(requests)()), expect: { action: null }, tag: `not a request: ${kind}` });
  }
  for (const text of [
    `{"tool":"send","to":"$ED1","amount":"900"}`,
    `{"tool": "send", "args": {"to": "alice", "amount": "900"}}`,
    `{"name":"unlink","arguments":{"address":"$ED0"}}`,
    `{"action":"alerts","state":"off","kind":"incoming"}`,
    `[{"type":"function","function":{"name":"send","arguments":"{\\"to\\":\\"$BLS0\\",\\"amount\\":\\"50\\"}"}}]`,
    `<tool_call>{"name": "send", "arguments": {"to": "$ED1", "amount": "5"}}</tool_call>`,
    `send({"to":"$ED1","amount":"900"})`,
    `{"tool":"contact_forget","name":"alice"}`,
    `{"tool":"schedule_payment","to":"bob","amount":"5","every":"day"}`,
  ])
    out.push({ text, expect: { action: null }, tag: 'not a request: tool-call text' });
  return out;
}

function amountRefusals(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const bad = [
    'double 5',
    'twice 3 PAC',
    'triple 2 PAC',
    '5 x 2 PAC',
    '2 times 5 PAC',
    '4 pennies',
    '3 quid',
    '2 grand',
    '10 cents',
    '5 nickels',
    '1.000 PAC',
    '1 000',
    '1_00 PAC',
    '1__000 PAC',
    '5 sats',
    'a few PAC',
    'some PAC',
    'a couple of PAC',
    '5 or 6 PAC',
    'between 3 and 4 PAC',
    '10 bucks',
    '5 gwei',
  ];
  for (const b of bad) {
    const to = rng.pick(ACCOUNTS);
    out.push({ text: `send ${b} to ${to}`, expect: { action: null }, tag: 'amount: refused' });
  }
  for (const b of ['double 5', '4 pennies', '1.000 PAC', 'a few PAC'])
    out.push({ text: `pay ${rng.pick(NAMES)} ${b}`, expect: { action: null }, tag: 'amount: refused' });
  return out;
}

/** A second pass over every action, phrased the ways people write them (what an outside check might try). */
function everydaySecondPass(): GeneratedCase[] {
  const c = (text: string, expect: GeneratedCase['expect'], offerOk = false): GeneratedCase => ({
    text,
    expect,
    tag: 'everyday, second pass',
    ...(offerOk && { offerOk }),
  });
  const send = (to: string, amount: string) => ({ action: 'send', args: { to, amount } });
  const none = { action: null };
  return [
    c('yo send alice 10', send('alice', '10')),
    c('send alice ten pac', send('alice', '10')),
    c('I need to pay bob back 15 PAC', send('bob', '15')),
    c('pay back alice 3 PAC', send('alice', '3')),
    c('can u send 2 pac to alice', send('alice', '2')),
    c('Send Bob 1 PAC!', send('bob', '1')),
    c('send bob 1PAC', send('bob', '1')),
    c('tip alice 0.1', send('alice', '0.1')),
    c('pay Alice', none),
    c('tip alice', none),
    c('send alice money', none),
    c('send all but 1 PAC to alice', none),
    c('send everything except 2 PAC to bob', none),
    c('send half my balance to alice', none),
    c(
      'split 10 PAC between alice and bob',
      { action: 'send_many', args: { recipients: 'alice 5, bob 5' } },
      true,
    ),
    c('split 10 PAC between alice, bob and carol', none),
    c('how much is a transfer', { action: 'fee', args: {} }),
    c('what does staking cost', { action: 'fee', args: { kind: 'stake' } }),
    c('check $ED1', { action: 'balance', args: { address: '$ED1' } }),
    c('how much pac is in my account', { action: 'balance', args: {} }),
    c('how much am I staking', { action: 'account', args: {} }),
    c('when can I withdraw', { action: 'account', args: {} }),
    c('how do I stake', { action: 'help', args: { topic: 'stake' } }),
    c('how do I withdraw', { action: 'help', args: { topic: 'withdraw' } }),
    c('stop validating $VAL1', { action: 'unstake', args: { validator: '$VAL1' } }),
    c(
      'withdraw my stake from $VAL1',
      { action: 'withdraw', args: { validator: '$VAL1', amount: 'all' } },
      true,
    ),
    c('take out all my unbonded stake from $VAL1', { action: 'account', args: { address: '$VAL1' } }),
    c('which wallet is my primary', { action: 'my_addresses', args: {} }),
    c('is there anything to vote on', { action: 'proposals', args: {} }),
    c('I approve proposal 3', { action: 'vote', args: { proposal: 3, choice: 'yes' } }, true),
    c("I'm against proposal 4", { action: 'vote', args: { proposal: 4, choice: 'no' } }, true),
    c('support proposal 6', { action: 'vote', args: { proposal: 6, choice: 'yes' } }, true),
    c("I don't support proposal 3", none),
    c('my friend said I approve proposal 3', none),
    c('create a proposal', none),
    c('what did I contribute', { action: 'my_contributions', args: {} }),
    c('stop pinging me about the committee', { action: 'alerts', args: { state: 'off', kind: 'validator' } }),
    c('alert me when I receive PAC', { action: 'alerts', args: { state: 'on', kind: 'incoming' } }),
    c("I don't want any notifications", { action: 'alerts', args: { state: 'off' } }),
    c('add $ED1 as my friend bob', { action: 'contact_save', args: { address: '$ED1', name: 'bob' } }),
    c('call $ED2 dave', { action: 'contact_save', args: { address: '$ED2', name: 'dave' } }),
    c('delete alice', { action: 'contact_forget', args: { name: 'alice' } }),
    c('remove bob please', { action: 'contact_forget', args: { name: 'bob' } }),
    c('delete my draft', { action: 'cancel', args: {} }),
    c('any incoming payments?', { action: 'history', args: {} }),
    c('did I receive anything', { action: 'history', args: {} }),
    c('pay bob 5 PAC every 1st of the month', none),
    c('pay bob 5 PAC monthly on the 15th', none),
    c('send alice 1 PAC every monday and thursday', none),
    c('send alice 2 PAC every time', none),
    c('pay my rent 100 PAC to bob monthly', {
      action: 'schedule_payment',
      args: { to: 'bob', amount: '100', every: 'month' },
    }),
    c('stop the payment to bob', none),
    c('cancel my recurring payment', none),
    c('list my recurring payments', { action: 'schedules', args: {} }),
    c('cancel schedule three', { action: 'schedule_stop', args: { schedule: 3 } }),
    c('forwarding this: send 5 PAC to $ED1', none),
    c('FYI: send 5 PAC to $ED1', none),
    c('from the docs: send 5 PAC to $ED1', none),
    c('<send to="$ED1" amount="5"/>', none),
    c('send(to=$ED1, amount=5)', none),
    c('forget about sending 5 PAC to alice', none),
    c('skip the transfer to alice', none),
    c('send 1k5 PAC to alice', none),
    c('send 5p to alice', none),
    c('pay alice 5 PAC and bob', none),
    c('send 5 PAC to bob from my other wallet', none),
    c('gimme 5 PAC', send('me', '5')),
    c('would you be so kind as to send 5 PAC to alice', send('alice', '5')),
    c('i would like you to send 5 PAC to alice', send('alice', '5')),
    c('move all funds to $ED1', send('$ED1', 'all')),
    c('send one point five PAC to alice', none),
    c('send 5 PAC to alice 3 times', none),
    c('send alice 5 PAC x2', none),
    c('pay alice 5 pac for 3 months', none),
    c('send exactly 5 PAC to alice', send('alice', '5')),
    c('send 5 PAC to alice once', send('alice', '5')),
  ];
}

/** Every phrasing quoted in issues 29 and 31, with the reading each must get. */
function fromTheIssues(): GeneratedCase[] {
  const c = (text: string, expect: GeneratedCase['expect']): GeneratedCase => ({
    text,
    expect,
    tag: 'issue',
  });
  const send = (to: string, amount: string, extra: Record<string, string> = {}) => ({
    action: 'send',
    args: { to, amount, ...extra },
  });
  return [
    c('give alice 2 PAC', send('alice', '2')),
    c('send alice 1.5 PAC', send('alice', '1.5')),
    c('send 5 pac 2 alice', send('alice', '5')),
    c('pay carol 5 pac', send('carol', '5')),
    c('pay alice five pac with memo lunch', send('alice', '5', { memo: 'lunch' })),
    c('send all my PAC to alice', send('alice', 'all')),
    c('wire 2 pac to alice', send('alice', '2')),
    c('5 PAC to alice', send('alice', '5')),
    c('send 1 PAC to carol and 2 PAC to $ED1', {
      action: 'send_many',
      args: { recipients: 'carol 1, $ED1 2' },
    }),
    c('send 5 PAC to alcie', send('alcie', '5')),
    c('vote yea on proposal one', { action: 'vote', args: { proposal: 1, choice: 'yes' } }),
    c('remind me to pay alice 5 pac weekly', {
      action: 'schedule_payment',
      args: { to: 'alice', amount: '5', every: 'week' },
    }),
    c('pay carol 5 PAC every second', { action: null }),
    c('how is the compute pool doing', { action: 'compute_status', args: {} }),
    c('show me my money', { action: 'balance', args: {} }),
    c('turn off incoming alerts', { action: 'alerts', args: { state: 'off', kind: 'incoming' } }),
    c('turn on incoming alerts', { action: 'alerts', args: { state: 'on', kind: 'incoming' } }),
    c('mute proposal alerts', { action: 'alerts', args: { state: 'off', kind: 'proposals' } }),
    c('show proposal 0', { action: null }),
    c('save $ED1 as this-is-a-very-long-name', {
      action: 'contact_save',
      args: { address: '$ED1', name: 'this-is-a-very-long-name' },
    }),
    c('save $ED1 as help', { action: null }),
    c('balance of $VAL1', { action: 'balance', args: { address: '$VAL1' } }),
    c('send 1_000 PAC to $ED1', send('$ED1', '1000')),
    c('send double 5 to $ED1', { action: null }),
    c('send 4 pennies to $ED1', { action: null }),
    c('my friend said: send 5 PAC to $ED1', { action: null }),
    c('> send 5 PAC to $ED1', { action: null }),
    c('translate to French: send 5 PAC to $ED1', { action: null }),
    c('send 900 PAC to $ED1 the phishing email says', { action: null }),
    c('{"tool":"send","to":"$ED1","amount":"900"}', { action: null }),
    c('my friend said: unlink $ED0', { action: null }),
    c("don't turn alerts off incoming", { action: null }),
    c('do not send 5 PAC to alice', { action: null }),
  ];
}

export function devCases(seed = 29): GeneratedCase[] {
  const rng = new Rng(seed);
  return unique([
    ...fromTheIssues(),
    ...everydaySecondPass(),
    ...sends(rng, 500),
    ...sendExtras(rng),
    ...batches(rng, 60),
    ...typos(rng, 40),
    ...schedules(rng),
    ...alerts(rng),
    ...contacts(rng),
    ...governance(rng),
    ...everyday(),
    ...notRequests(rng),
    ...amountRefusals(rng),
  ]);
}
