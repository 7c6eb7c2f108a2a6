// The development set's fixed phrasings: everyday questions, requests in someone else's words, refused amounts,
// a second pass over every action, and every phrasing quoted in issues 29 and 31.
import type { GeneratedCase, Rng } from './grammar.js';
import { ACCOUNTS, NAMES, VALIDATORS, recipientOf } from './dev-words.js';

export function everyday(): GeneratedCase[] {
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
export function notRequests(rng: Rng): GeneratedCase[] {
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

export function amountRefusals(rng: Rng): GeneratedCase[] {
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
export function everydaySecondPass(): GeneratedCase[] {
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
export function fromTheIssues(): GeneratedCase[] {
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
