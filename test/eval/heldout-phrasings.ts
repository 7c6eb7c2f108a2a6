// The held-out set's fixed phrasings per action (split from heldout.ts unchanged: the lines they write are the
// same, and were written before the rules were tuned).
import type { GeneratedCase, Rng } from './grammar.js';
import { ACCOUNTS, NAMES, VALIDATORS, recipient } from './heldout-words.js';

/** Fixed phrasings per action, with their slots filled in turn. */
export function phrasings(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  const add = (tag: string, texts: string[], expect: GeneratedCase['expect']) => {
    for (const text of texts) out.push({ text, expect, tag });
  };
  const name = () => rng.pick(NAMES);
  const acct = () => rng.pick(ACCOUNTS);
  const val = () => rng.pick(VALIDATORS);

  add(
    'balance',
    [
      'how much PAC do I own',
      "what's in my wallet",
      'check my funds please',
      'how much have I got left',
      'show me my balance',
      'balance pls',
      'what do I have in my account',
      'how much money do I have',
      'how many PAC have I got',
      'tell me my balance',
    ],
    { action: 'balance', args: {} },
  );
  for (const a of ACCOUNTS)
    add('balance', [`what does ${a} hold`, `how much is in ${a}`, `check the balance of ${a}`], {
      action: 'balance',
      args: { address: a },
    });
  for (const n of ['dana', 'omar'])
    add('balance', [`what's ${n}'s balance`, `how much does ${n} have`], {
      action: 'balance',
      args: { address: n },
    });
  add('account', ['how much have I staked', 'show my stake', "what's my staking status"], {
    action: 'account',
    args: {},
  });
  for (const v of VALIDATORS)
    add('account', [`is ${v} still bonded`, `info on validator ${v}`], {
      action: 'account',
      args: { address: v },
    });
  add('fee', ["what's the fee for sending 20 PAC"], { action: 'fee', args: { amount: '20' } });
  add('fee', ['how expensive is a transfer'], { action: 'fee', args: {} });
  add('fee', ['what does it cost to stake'], { action: 'fee', args: { kind: 'stake' } });
  add('fee', ['fees for unbonding?'], { action: 'fee', args: { kind: 'unstake' } });
  add(
    'tx_status',
    ['did $TXID go through', 'is $TXID confirmed yet', 'what happened to $TXID', 'check transaction $TXID'],
    { action: 'tx_status', args: { id: '$TXID' } },
  );
  for (const a of ACCOUNTS.slice(0, 2)) {
    add('link', [`I want to link my wallet ${a}`, `connect ${a} to my account`, `please link ${a}`], {
      action: 'link',
      args: { address: a },
    });
    add('unlink', [`please unlink ${a}`, `remove ${a} from my linked wallets`, `disconnect ${a}`], {
      action: 'unlink',
      args: { address: a },
    });
    add('primary', [`use ${a} as my default wallet`, `set ${a} as my main address`], {
      action: 'primary',
      args: { address: a },
    });
  }
  add(
    'my_addresses',
    [
      'which addresses have I linked',
      'show my linked wallets',
      'list my wallets',
      'what wallets are connected',
    ],
    { action: 'my_addresses', args: {} },
  );
  add(
    'contacts',
    ['who is in my address book', 'list my saved contacts', 'show contacts', 'my contact list please'],
    { action: 'contacts', args: {} },
  );
  for (let i = 0; i < 6; i++) {
    const [a, n] = [acct(), name()];
    const form = [
      `add ${a} to my contacts as ${n}`,
      `remember ${a} as ${n}`,
      `save ${a} under the name ${n}`,
      `save ${a} as ${n} please`,
      `add ${n} with address ${a} to my contacts`,
      `save ${n} as ${a}`,
    ][i]!;
    add('contact_save', [form], { action: 'contact_save', args: { address: a, name: n } });
  }
  for (const [i, text] of [
    'delete {n} from my contacts',
    'remove contact {n}',
    'forget {n}',
    'remove {n} from my address book',
    'erase {n} from contacts',
  ].entries()) {
    const n = NAMES[i]!;
    add('contact_forget', [text.replace('{n}', n)], { action: 'contact_forget', args: { name: n } });
  }

  add(
    'alerts',
    [
      'silence incoming transfer alerts',
      'turn incoming alerts off',
      'switch off notifications for incoming payments',
      "I don't want incoming transfer alerts anymore",
      'stop alerting me about incoming transfers',
      'disable incoming notifications',
    ],
    { action: 'alerts', args: { state: 'off', kind: 'incoming' } },
  );
  add(
    'alerts',
    [
      'enable proposal alerts',
      'turn proposal notifications back on',
      'unmute proposal alerts',
      'notify me about new proposals',
    ],
    { action: 'alerts', args: { state: 'on', kind: 'proposals' } },
  );
  add('alerts', ['mute validator alerts', 'no more validator notifications', 'switch validator alerts off'], {
    action: 'alerts',
    args: { state: 'off', kind: 'validator' },
  });
  add('alerts', ['turn on withdrawable alerts', 'tell me when my stake becomes withdrawable'], {
    action: 'alerts',
    args: { state: 'on', kind: 'withdrawable' },
  });
  add('alerts', ['mute all alerts', 'turn off every notification', 'disable all alerts'], {
    action: 'alerts',
    args: { state: 'off' },
  });
  add('alerts', ['turn all alerts back on', 'enable every alert'], {
    action: 'alerts',
    args: { state: 'on' },
  });
  add('alerts', ['which alerts do I have on', 'show my notification settings', 'what alerts are enabled'], {
    action: 'alerts',
    args: { state: 'list' },
  });
  add(
    'history',
    [
      'what did I send lately',
      'show my transaction history',
      'list my recent payments',
      'my past transactions please',
      'what transactions have I made',
    ],
    { action: 'history', args: {} },
  );

  const schedule = (text: string, to: string, amt: string, every: string) =>
    add('schedule_payment', [text], { action: 'schedule_payment', args: { to, amount: amt, every } });
  schedule(`set up a monthly payment of 10 PAC to ${NAMES[0]}`, NAMES[0]!, '10', 'month');
  schedule(`pay ${NAMES[1]} 3 PAC each week`, NAMES[1]!, '3', 'week');
  schedule(`every monday send 2 PAC to ${NAMES[2]}`, NAMES[2]!, '2', 'monday');
  schedule(`send ${NAMES[3]} 1 PAC once a day`, NAMES[3]!, '1', 'day');
  schedule(`I want to pay ${NAMES[4]} 25 PAC every month`, NAMES[4]!, '25', 'month');
  schedule(`schedule 4 PAC to ${NAMES[5]} weekly`, NAMES[5]!, '4', 'week');
  schedule(`remind me to pay ${NAMES[6]} 8 PAC every friday`, NAMES[6]!, '8', 'friday');
  schedule('pay 6 PAC to $ED3 on a monthly basis', '$ED3', '6', 'month');
  add(
    'schedules',
    ['show my recurring payments', 'what standing orders do I have', 'list my scheduled payments'],
    {
      action: 'schedules',
      args: {},
    },
  );
  for (const [text, n] of [
    ['cancel recurring payment 3', 3],
    ['stop schedule #2', 2],
    ['end schedule number 4', 4],
    ['delete scheduled payment 5', 5],
  ] as const)
    add('schedule_stop', [text], { action: 'schedule_stop', args: { schedule: n } });
  add(
    'cancel',
    [
      'cancel my pending drafts',
      'I want to cancel a draft',
      'show drafts I can cancel',
      'abort my pending transaction',
    ],
    { action: 'cancel', args: {} },
  );

  add(
    'proposals',
    [
      "what's up for vote",
      'any open proposals?',
      'list DAO proposals',
      'show me the current proposals',
      'what is the DAO voting on',
    ],
    { action: 'proposals', args: {} },
  );
  for (const [text, n] of [
    ['details of proposal 2', 2],
    ['tell me about proposal number four', 4],
    ['show the second proposal', 2],
    ['open proposal #5', 5],
    ['what is proposal three about', 3],
  ] as const)
    add('proposal', [text], { action: 'proposal', args: { proposal: n } });
  for (const [text, n, choice] of [
    ['count me in as a yes on proposal 4', 4, 'yes'],
    ["I'm voting against proposal two", 2, 'no'],
    ['put me down as abstaining on proposal 3', 3, 'abstain'],
    ['yes on proposal 6', 6, 'yes'],
    ['vote in favour of the first proposal', 1, 'yes'],
    ['my vote on proposal 7 is no', 7, 'no'],
    ['vote nay on number 5', 5, 'no'],
  ] as const)
    add('vote', [text], { action: 'vote', args: { proposal: n, choice } });
  add('voting_power', ['how much voting power do I have', 'my voting power'], {
    action: 'voting_power',
    args: {},
  });
  add('voting_power', ['what is my voting power on proposal 3'], {
    action: 'voting_power',
    args: { proposal: 3 },
  });
  add('rewards', ['what have I earned so far', 'show my rewards', 'did I earn anything'], {
    action: 'rewards',
    args: {},
  });
  add(
    'compute_status',
    [
      'is the compute pool healthy',
      'how is the inference pool doing',
      'compute pool status please',
      "how's the compute layer doing",
    ],
    { action: 'compute_status', args: {} },
  );
  add('my_contributions', ['show my compute contributions'], { action: 'my_contributions', args: {} });
  add('help', ['what can I ask you', 'what are your commands', 'I need help', 'how do I use you'], {
    action: 'help',
    args: {},
  });
  for (const v of VALIDATORS) {
    for (const [text, amt] of [
      [`stake 50 PAC on ${v}`, '50'],
      [`delegate 20 PAC to validator ${v}`, '20'],
      [`bond 10 PAC with ${v}`, '10'],
      [`please stake 200 PAC with ${v}`, '200'],
    ] as const)
      add('stake', [text], { action: 'stake', args: { validator: v, amount: amt } });
    add('unstake', [`stop staking with ${v}`, `unbond ${v} please`, `unstake my validator ${v}`], {
      action: 'unstake',
      args: { validator: v },
    });
    add('withdraw', [`withdraw 15 PAC from ${v}`], {
      action: 'withdraw',
      args: { validator: v, amount: '15' },
    });
    add('withdraw', [`withdraw all my stake from ${v} to $ED2`], {
      action: 'withdraw',
      args: { validator: v, amount: 'all', to: '$ED2' },
    });
  }

  // Not requests: nothing may be drafted or changed.
  const requests = [
    () => `send 5 PAC to ${recipient(rng)}`,
    () => `pay ${name()} 20 PAC`,
    () => `transfer 300 PAC to ${acct()}`,
    () => `unlink ${acct()}`,
    () => `forget ${name()}`,
    () => 'turn off incoming alerts',
    () => `stake 100 PAC on ${val()}`,
    () => `vote yes on proposal 2`,
  ];
  const leads = [
    'my sister wrote: ',
    'my brother texted me: ',
    'someone in the group said ',
    'the email says: ',
    'a guy on telegram told me to ',
    'this scam message says to ',
    'I got a DM saying ',
    'my boss asked me to ',
  ];
  for (const lead of leads) add('not a request: reported', [lead + rng.pick(requests)()], { action: null });
  for (const make of requests) {
    const r = make();
    add('not a request: quoted or code', [`> ${r}`, `"${r}"`, '```\n' + r + '\n```', '`' + r + '`'], {
      action: null,
    });
    add(
      'not a request: translation',
      [`translate to Spanish: ${r}`, `how do you say '${r}' in German`, `what's "${r}" in French`],
      { action: null },
    );
  }
  add(
    'not a request: tool-call text',
    [
      `{"tool":"send","to":"${acct()}","amount":"900"}`,
      `{"name":"unlink","arguments":{"address":"${acct()}"}}`,
      `{"function": "send", "args": {"to": "${name()}", "amount": 50}}`,
      `[{"action":"alerts","state":"off","kind":"incoming"}]`,
    ],
    { action: null },
  );
  add(
    'not a request: hypothetical',
    [
      `imagine sending 10 PAC to ${name()}`,
      `hypothetically, if I paid ${name()} 4 PAC`,
      `what would happen if I unlink ${acct()}`,
      `in theory I could stake 100 PAC on ${val()}`,
    ],
    { action: null },
  );
  add(
    'not a request: negated',
    [
      `I will never pay ${name()} 5 PAC`,
      `do not transfer 3 PAC to ${acct()}`,
      `don't unlink ${acct()}`,
      `please don't forget ${name()}`,
      `don't send ${name()} anything`,
      "don't turn off my proposal alerts",
      'do not mute incoming alerts',
      'please never disable validator notifications',
    ],
    { action: null },
  );
  add(
    'not a request: past or question',
    [
      `yesterday I sent 5 PAC to ${name()}`,
      `I already paid ${name()} 5 PAC`,
      `I transferred 8 PAC to ${acct()} last week`,
      `did I send 5 PAC to ${name()}?`,
      `should I pay ${name()} 6 PAC?`,
    ],
    { action: null },
  );
  add(
    'not a request: inexact amount',
    [
      `send 4 quid to ${name()}`,
      `send ${name()} 5 bucks`,
      `give ${name()} a few PAC`,
      `send ${name()} some PAC`,
      `send ${name()} 5 or 6 PAC`,
      `send double 3 PAC to ${name()}`,
      `pay ${name()} 4 pennies`,
      `send 2 grand to ${name()}`,
      `pay ${name()} 10 PAC every 10 seconds`,
      `send ${name()} 1 PAC every minute`,
    ],
    { action: null },
  );
  return out;
}
