// The second held-out set's other requests: what people ask to see, the setup they change (wallets, contacts,
// alerts, limits, the undo window), governance, rewards, compute, contracts, the deployment and help, each in
// the registers of heldout2-words.ts.
import { typo, type GeneratedCase, type Rng } from './grammar.js';
import { ACCOUNTS, NAMES, REGISTERS, VALIDATORS, inRegister, voiceTyped } from './heldout2-words.js';

type Expect = GeneratedCase['expect'];

export function everyAction(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  /** Each phrasing once, in a register picked for it; `offerOk` lines may be asked back as "did you mean ...?". */
  const add = (tag: string, texts: string[], expect: Expect, offerOk = false) => {
    for (const text of texts)
      out.push({
        text: inRegister(rng, text, rng.pick(REGISTERS)),
        expect,
        tag,
        ...(offerOk && { offerOk }),
      });
  };
  const acct = () => rng.pick(ACCOUNTS);
  const val = () => rng.pick(VALIDATORS);
  const name = () => rng.pick(NAMES);

  add(
    'balance',
    [
      'how much pac is in my wallet rn',
      'bal?',
      'balance check',
      'wallet balance pls',
      "what's my PAC balance",
      'how much do i hold',
      'my funds?',
      'show balance',
      'how many pacs i have',
      'balance of my wallet please',
    ],
    { action: 'balance', args: {} },
  );
  for (let i = 0; i < 3; i++) {
    const a = acct();
    add(
      'balance',
      [rng.pick([`bal ${a}`, `what's the balance on ${a}`, `${a} balance?`, `how much PAC does ${a} have`])],
      {
        action: 'balance',
        args: { address: a },
      },
    );
  }
  const n = name();
  add('balance', [`${n}'s balance`, `how much does ${n} have in their wallet`], {
    action: 'balance',
    args: { address: n },
  });
  add(
    'account',
    ['how much is staked', 'my stake?', 'staking info', 'is my validator active', 'stake status'],
    { action: 'account', args: {} },
  );
  for (let i = 0; i < 3; i++) {
    const v = val();
    add('account', [rng.pick([`show validator ${v}`, `what's ${v}'s stake`, `is ${v} in the committee`])], {
      action: 'account',
      args: { address: v },
    });
  }
  add('fee', ['how much is the network fee', 'what do transactions cost', 'tx fee?'], {
    action: 'fee',
    args: {},
  });
  add('fee', ['fee for a 30 PAC transfer'], { action: 'fee', args: { amount: '30' } });
  add('fee', ["what's the fee to bond"], { action: 'fee', args: { kind: 'stake' } });
  add('fee', ['cost to withdraw?'], { action: 'fee', args: { kind: 'withdraw' } });
  add(
    'tx_status',
    ['status $TXID', 'has $TXID confirmed', 'where is my transaction $TXID', 'tx $TXID?', 'lookup $TXID'],
    { action: 'tx_status', args: { id: '$TXID' } },
  );
  add(
    'history',
    [
      'my transactions',
      'recent activity',
      'what did I send lately',
      'show my past payments',
      'transaction history pls',
      'list my last transactions',
    ],
    { action: 'history', args: {} },
  );
  add(
    'my_addresses',
    ['what wallets have I linked', 'show linked wallets', 'which addresses are mine', 'my linked accounts'],
    { action: 'my_addresses', args: {} },
  );
  for (const a of ACCOUNTS) {
    add(
      'link',
      [rng.pick([`link wallet ${a}`, `connect ${a}`, `I want to link ${a}`, `add my wallet ${a}`])],
      {
        action: 'link',
        args: { address: a },
      },
    );
    add('unlink', [rng.pick([`unlink wallet ${a}`, `remove my wallet ${a}`, `disconnect my address ${a}`])], {
      action: 'unlink',
      args: { address: a },
    });
    add(
      'primary',
      [
        rng.pick([
          `use ${a} as my main wallet`,
          `set my default wallet to ${a}`,
          `make ${a} primary`,
          `switch my primary to ${a}`,
        ]),
      ],
      { action: 'primary', args: { address: a } },
    );
  }
  add(
    'contacts',
    ['show my address book', 'list my saved addresses', "who's in my contacts", 'contacts?', 'saved names'],
    { action: 'contacts', args: {} },
  );
  for (let i = 0; i < 10; i++) {
    const a = acct();
    const who = name();
    const [text, offerOk] = rng.pick([
      [`save ${a} as ${who}`, false],
      [`add ${who}: ${a}`, true],
      [`remember ${who}'s address is ${a}`, false],
      [`new contact ${who} ${a}`, false],
      [`label ${a} as ${who}`, false],
      [`${who} = ${a}`, true],
      [`save ${a} as ${who.charAt(0).toUpperCase()}${who.slice(1)}`, false],
    ] as const);
    add('contact_save', [text], { action: 'contact_save', args: { address: a, name: who } }, offerOk);
  }
  for (let i = 0; i < 6; i++) {
    const who = name();
    const [text, offerOk] = rng.pick([
      [`forget ${who}`, false],
      [`remove ${who} from my contacts`, false],
      [`delete the contact ${who}`, false],
      [`drop ${who} from my address book`, false],
      [`erase ${who}`, true],
    ] as const);
    add('contact_forget', [text], { action: 'contact_forget', args: { name: who } }, offerOk);
  }
  // There is no rename: reading one as a save or a forget would change the book in a way nobody asked for.
  add('contacts: rename (no such action)', [`rename ${name()} to kojo`, `change ${name()}'s name to kojo`], {
    action: null,
  });

  const alert = (state: string, kind?: string): Expect => ({
    action: 'alerts',
    args: kind ? { state, kind } : { state },
  });
  add(
    'alerts',
    ['mute incoming payment alerts', 'turn notifications off for incoming transfers'],
    alert('off', 'incoming'),
  );
  add('alerts', ["don't ping me about proposals anymore"], alert('off', 'proposals'));
  add('alerts', ['no more validator pings pls'], alert('off', 'validator'));
  add(
    'alerts',
    ['enable withdrawal notifications', 'tell me when my unbonded stake can be withdrawn'],
    alert('on', 'withdrawable'),
  );
  add(
    'alerts',
    ['switch proposal alerts back on', 'tell me when new proposals come up'],
    alert('on', 'proposals'),
  );
  add('alerts', ['ping me when someone sends me pac'], alert('on', 'incoming'));
  add('alerts', ['stop all notifications', 'shut off every alert'], alert('off'));
  add('alerts', ['what alerts do I have on', 'alert status', 'notification settings'], alert('list'));

  add('cancel', ['cancel my drafts', 'show pending drafts', 'which drafts are still open'], {
    action: 'cancel',
    args: {},
  });
  add('cancel', ['cancel a57ae2db', 'scrap draft a57ae2db'], {
    action: 'cancel',
    args: { draft: 'a57ae2db' },
  });
  add('cancel', ['cancel all pending drafts', 'drop all my drafts'], {
    action: 'cancel',
    args: { draft: 'all' },
  });
  add(
    'undo',
    ['undo', 'undo it', 'undo the last transaction', 'stop that transaction!!', 'undo my last send'],
    {
      action: 'undo',
      args: {},
    },
  );

  add('limits', ['show limits', 'what are my spending limits', 'limit settings'], {
    action: 'limits',
    args: {},
  });
  const limit = (setting: string, value: string): Expect => ({
    action: 'limit_set',
    args: { setting, value },
  });
  add(
    'limit_set',
    ['cap my daily spending at 50 PAC', 'daily limit: 50 pac', 'limit me to 50 PAC per day'],
    limit('daily_limit', '50'),
  );
  add('limit_set', ["don't let me spend more than 120 PAC a day"], limit('daily_limit', '120'));
  add(
    'limit_set',
    ['max 30 PAC per tx', 'each transaction max 30 PAC', 'per-transaction limit 30 pac'],
    limit('tx_limit', '30'),
  );
  add('limit_set', ['only let me send to my contacts', 'allowlist on'], limit('allowlist', 'on'));
  add('limit_set', ['turn the allowlist off'], limit('allowlist', 'off'));
  add(
    'limit_set',
    ['cooling off period 12 hours', 'set cooldown to 12 hours'],
    limit('cooling_off', '12 hours'),
  );
  add('limit_set', ['undo window 20 seconds', 'give me 20 seconds to undo'], limit('undo', '20'));
  add('limit_set', ['turn off the undo window'], limit('undo', 'off'));
  add('limits_cancel', ['cancel pending limit changes', 'keep my old limits'], {
    action: 'limits_cancel',
    args: {},
  });
  // "undo" here is the limit change, not a signed transaction in its undo window.
  add('limits_cancel', ['undo my limit change'], { action: 'limits_cancel', args: {} }, true);

  add(
    'proposals',
    [
      "what's up for vote",
      'open votes?',
      'list active dao proposals',
      'anything to vote on?',
      'current governance proposals',
    ],
    {
      action: 'proposals',
      args: {},
    },
  );
  add(
    'proposal',
    ['show me proposal 7', 'prop 7 details', "what's proposal seven about", 'open proposal #7'],
    {
      action: 'proposal',
      args: { proposal: 7 },
    },
  );
  add('proposal', ['tell me about the 2nd proposal'], { action: 'proposal', args: { proposal: 2 } });
  const vote = (choice: string, proposal = 7): Expect => ({ action: 'vote', args: { proposal, choice } });
  add('vote', ['yes on proposal 7', 'vote aye for proposal 7'], vote('yes'));
  add('vote', ["I'm voting no on prop 7", 'nay on proposal 7'], vote('no'));
  add('vote', ['count me in favour of proposal 7'], vote('yes'));
  add('vote', ['abstain on prop seven', 'i abstain on #7'], vote('abstain'));
  add('vote', ['thumbs up on proposal 7', '+1 on proposal 7', 'approve proposal 7'], vote('yes'), true);
  add('vote', ['reject proposal 7', '👎 on proposal 7'], vote('no'), true);
  add('vote', ['vote yes on proposal 7 using $VAL0'], {
    action: 'vote',
    args: { proposal: 7, choice: 'yes', addresses: '$VAL0' },
  });
  add('vote: not exact', ['vote yes on all proposals', 'vote yes', 'vote maybe on proposal 7'], {
    action: null,
  });
  add('voting_power', ['how much voting power do I have', 'my vote weight', 'how strong is my vote'], {
    action: 'voting_power',
    args: {},
  });
  add('voting_power', ['voting power for proposal 7'], { action: 'voting_power', args: { proposal: 7 } });
  add('voting_power', ['how many votes does $VAL0 have'], {
    action: 'voting_power',
    args: { address: '$VAL0' },
  });
  out.push(
    {
      text: 'veto proposal 7: it drains the treasury',
      expect: { action: 'veto', args: { proposal: 7, reason: 'it drains the treasury' } },
      tag: 'veto',
    },
    {
      text: 'veto #7 since it breaks staking',
      expect: { action: 'veto', args: { proposal: 7, reason: 'it breaks staking' } },
      tag: 'veto',
    },
  );
  add('propose (a form)', ['I want to propose cheaper fees', 'new proposal: fund a grants program'], {
    action: null,
  });

  add('rewards', ['what are my rewards', 'how much have I earned so far', 'rewards balance', 'my earnings'], {
    action: 'rewards',
    args: {},
  });
  add('rewards_report', ['show the rewards report'], { action: 'rewards_report', args: {} });
  add('rewards_payout', ['pay out the rewards'], { action: 'rewards_payout', args: {} }, true);

  add('compute_status', ['is the compute pool ok', 'compute pool status?', 'pool health'], {
    action: 'compute_status',
    args: {},
  });
  add(
    'my_contributions',
    ['what have I contributed to compute', 'my compute contributions', 'my receipts this epoch'],
    {
      action: 'my_contributions',
      args: {},
    },
  );
  add('compute_proofs', ['my compute proofs for epoch 4', 'proofs epoch 4'], {
    action: 'compute_proofs',
    args: { epoch: 4 },
  });
  add('compute_anchor', ['anchor compute epoch 9'], { action: 'compute_anchor', args: { epoch: 9 } });
  add('compute_payout', ['compute payout for epoch 9'], { action: 'compute_payout', args: { epoch: 9 } });

  const wat = '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))';
  out.push(
    {
      text: `check this contract: ${wat}`,
      expect: { action: 'contract_check', args: { code: wat } },
      tag: 'contract_check',
    },
    {
      text: 'validate this wasm 0061736d01000000',
      expect: { action: 'contract_check', args: { code: '0061736d01000000' } },
      tag: 'contract_check',
    },
  );
  add('contract_simulate', ['simulate add(2, 3) on it'], {
    action: 'contract_simulate',
    args: { calls: 'add(2, 3)' },
  });
  add(
    'contract_simulate',
    ['run get() on my contract in the sandbox'],
    {
      action: 'contract_simulate',
      args: { calls: 'get()' },
    },
    true,
  );
  add('contract_cost', ['how much would it cost to deploy my contract', 'deployment cost for the contract'], {
    action: 'contract_cost',
    args: {},
  });
  add('contract_deploy', ['deploy my contract'], { action: 'contract_deploy', args: {} });
  add('contract_upload', ['I want to upload a wasm file', 'give me an upload link for my contract'], {
    action: 'contract_upload',
    args: {},
  });
  add(
    'deployment',
    [
      'who runs this bot',
      'which deployment am I talking to',
      'show the manifest',
      'who is the operator of this bot',
    ],
    {
      action: 'deployment',
      args: {},
    },
  );
  add('deployment_anchor', ['anchor the deployment manifest'], { action: 'deployment_anchor', args: {} });
  add(
    'help',
    ['what can this bot do', 'help pls', 'how do I use this', 'list commands', "I'm lost", 'what do you do?'],
    {
      action: 'help',
      args: {},
    },
  );
  add('help', ['how do I stake?'], { action: 'help', args: { topic: 'stake' } });

  // Slips of the fingers in the words that carry the request, and the same requests voice-typed.
  const slips: [string, (w: string) => string, Expect][] = [
    ['balance', (w) => `whats my ${w}`, { action: 'balance', args: {} }],
    ['proposals', (w) => `show ${w}`, { action: 'proposals', args: {} }],
    ['unstake', (w) => `${w} $VAL3`, { action: 'unstake', args: { validator: '$VAL3' } }],
    ['transfer', (w) => `${w} 8 PAC to kwame`, { action: 'send', args: { to: 'kwame', amount: '8' } }],
    ['contacts', (w) => `list my ${w}`, { action: 'contacts', args: {} }],
    [
      'withdraw',
      (w) => `${w} 10 pac from $VAL1`,
      { action: 'withdraw', args: { validator: '$VAL1', amount: '10' } },
    ],
    ['schedules', (w) => `my ${w}`, { action: 'schedules', args: {} }],
  ];
  for (const [word, frame, expect] of slips)
    for (let k = 0; k < 2; k++)
      out.push({ text: frame(typo(word, rng)), expect, tag: 'typo', offerOk: true });
  for (const [text, expect] of [
    ['whats my balance', { action: 'balance', args: {} }],
    ['show me my stake please', { action: 'account', args: {} }],
    ['turn off proposal notifications', alert('off', 'proposals')],
    ['vote yes on proposal seven', vote('yes')],
    ['what are my limits', { action: 'limits', args: {} }],
  ] as const)
    out.push({
      text: voiceTyped(`${text.charAt(0).toUpperCase()}${text.slice(1)}.`),
      expect,
      tag: 'voice-typed',
    });
  return out;
}
