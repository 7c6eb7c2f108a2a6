// The development set's grammar for everything but payments: schedules, alerts, contacts and governance, each in
// the word orders and forms people use.
import type { GeneratedCase, Rng } from './grammar.js';
import { ACCOUNTS, NAMES, amountOf, recipientOf } from './dev-words.js';

export function schedules(rng: Rng): GeneratedCase[] {
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

export function alerts(rng: Rng): GeneratedCase[] {
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

export function contacts(rng: Rng): GeneratedCase[] {
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

export function governance(rng: Rng): GeneratedCase[] {
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
