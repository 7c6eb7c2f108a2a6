// The fourth held-out set: every other action in the registry, each in several registers. Actions reached only
// by typed commands with fields (propose, anchor, stake_delegated) or by buttons (schedule_pay,
// contact_save_confirmed) are left out: nobody types them as a sentence.
import type { GeneratedCase } from './grammar.js';
import { Rng } from './grammar.js';
import { ADDRESSES, NAMES, VALIDATORS, family, plain, slip, styled } from './heldout4-words.js';
import { governance, limitsAndUndo } from './heldout4-governance.js';

function lookups(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  out.push(
    ...plain(rng, 'h4/balance', 'balance', {}, [
      'how much PAC do I have',
      'bal?',
      'show me my money',
      "what's in my wallet",
      'check my balance pls',
      'how many coins have i got left',
      'could you tell me my balance?',
      'balance',
      'how rich am i 😂',
      'my funds?',
    ]),
  );
  const bal = family('h4/balance-of');
  for (let i = 0; i < 6; i++) {
    const a = rng.pick(ADDRESSES);
    bal.add(
      rng.pick([`balance of ${a}`, `how much is in ${a}?`, `check balance ${a}`, `what does ${a} hold`]),
      'balance',
      {
        address: a,
      },
    );
  }
  out.push(...bal.cases);
  out.push(
    ...plain(rng, 'h4/account', 'account', {}, [
      "what's my stake",
      'how much have I staked?',
      'show my staking',
      'my validator status',
      'how is my stake doing',
    ]),
  );
  const acct = family('h4/account-of');
  for (let i = 0; i < 6; i++) {
    const v = rng.pick(VALIDATORS);
    acct.add(
      rng.pick([
        `account ${v}`,
        `validator info for ${v}`,
        `what's the stake of ${v}?`,
        `show validator ${v}`,
      ]),
      'account',
      {
        address: v,
      },
    );
  }
  out.push(...acct.cases);
  out.push(
    ...plain(rng, 'h4/history', 'history', {}, [
      'history',
      'show my recent transactions',
      'what did I send lately?',
      'my tx history pls',
      'list my past payments',
      'transaction log',
    ]),
  );
  const tx = family('h4/tx_status');
  for (const text of [
    'status of $TXID',
    'did $TXID go through?',
    'check tx $TXID',
    'is $TXID confirmed yet',
    'where is my transaction $TXID',
  ])
    tx.add(text, 'tx_status', { id: '$TXID' });
  out.push(...tx.cases);
  out.push(
    ...plain(rng, 'h4/help', 'help', {}, [
      'help',
      'what can you do?',
      'help me pls',
      'what are your commands',
      'how does this bot work',
      'halp',
    ]),
  );
  return out;
}

function wallets(rng: Rng): GeneratedCase[] {
  const link = family('h4/link');
  const unlink = family('h4/unlink');
  const primary = family('h4/primary');
  for (let i = 0; i < 5; i++) {
    const a = rng.pick(ADDRESSES);
    link.add(
      rng.pick([
        `link ${a}`,
        `link my wallet ${a}`,
        `connect my address ${a}`,
        `please link ${a} to my account`,
      ]),
      'link',
      { address: a },
    );
    unlink.add(
      rng.pick([
        `unlink ${a}`,
        `disconnect ${a}`,
        `please unlink my wallet ${a}`,
        `remove my linked wallet ${a}`,
      ]),
      'unlink',
      {
        address: a,
      },
    );
    primary.add(
      rng.pick([
        `make ${a} my primary wallet`,
        `set ${a} as my main wallet`,
        `use ${a} as my default address`,
      ]),
      'primary',
      {
        address: a,
      },
    );
  }
  const mine = plain(rng, 'h4/my_addresses', 'my_addresses', {}, [
    'my addresses',
    'which wallets have I linked?',
    'list my linked wallets',
    'what addresses are connected',
  ]);
  return [...link.cases, ...unlink.cases, ...primary.cases, ...mine];
}

function contacts(rng: Rng): GeneratedCase[] {
  const save = family('h4/contact_save');
  const forget = family('h4/contact_forget');
  for (let i = 0; i < 12; i++) {
    const a = rng.pick(ADDRESSES);
    const n = rng.pick(NAMES);
    save.add(
      rng.pick([
        `save ${a} as ${n}`,
        `add ${n} to my contacts: ${a}`,
        `remember ${a} as ${n}`,
        `${a} is ${n}, save it please`,
        `new contact ${n} ${a}`,
        `store ${a} under the name ${n}`,
      ]),
      'contact_save',
      { address: a, name: n },
    );
    forget.add(
      rng.pick([
        `forget ${n}`,
        `delete contact ${n}`,
        `remove ${n} from my contacts`,
        `please forget ${n} from my address book`,
        `drop ${n} from contacts`,
      ]),
      'contact_forget',
      { name: n },
    );
  }
  const list = plain(rng, 'h4/contacts', 'contacts', {}, [
    'my contacts',
    'show my address book',
    'who is in my contacts?',
    'list saved contacts',
    'contacts pls',
  ]);
  return [...save.cases, ...forget.cases, ...list];
}

function alertsAndSchedules(rng: Rng): GeneratedCase[] {
  const alerts = family('h4/alerts');
  const KINDS: [string, string][] = [
    ['incoming', 'incoming'],
    ['incoming payment', 'incoming'],
    ['proposal', 'proposals'],
    ['governance proposal', 'proposals'],
    ['validator', 'validator'],
    ['withdrawable', 'withdrawable'],
  ];
  for (let i = 0; i < 16; i++) {
    const [word, kind] = rng.pick(KINDS);
    const on = rng.chance(0.5);
    const state = on ? 'on' : 'off';
    alerts.add(
      styled(
        rng,
        rng.pick(
          on
            ? [
                `turn on ${word} alerts`,
                `enable ${word} notifications`,
                `unmute ${word} alerts`,
                `switch ${word} alerts back on`,
              ]
            : [
                `turn off ${word} alerts`,
                `mute ${word} alerts`,
                `disable ${word} notifications`,
                `stop the ${word} alerts please`,
              ],
        ),
      ),
      'alerts',
      { state, kind },
    );
  }
  alerts.add('turn off all alerts', 'alerts', { state: 'off' });
  alerts.add('mute everything', 'alerts', { state: 'off' });
  for (const text of ['my alerts', 'which alerts are on?', 'show notification settings'])
    alerts.add(text, 'alerts', { state: 'list' });

  const list = plain(rng, 'h4/schedules', 'schedules', {}, [
    'my schedules',
    'what recurring payments do I have',
    'list my scheduled payments',
    'show standing orders',
    'which payments repeat?',
  ]);
  const stop = family('h4/schedule_stop');
  for (let i = 0; i < 10; i++) {
    const n = rng.int(1, 9);
    stop.add(
      styled(
        rng,
        rng.pick([
          `stop schedule ${n}`,
          `cancel schedule #${n}`,
          `delete recurring payment ${n}`,
          `end schedule number ${n}`,
          `stop paying schedule ${n} please`,
        ]),
      ),
      'schedule_stop',
      { schedule: n },
    );
  }
  return [...alerts.cases, ...list, ...stop.cases];
}

function computeContractsDeployment(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  out.push(
    ...plain(rng, 'h4/compute', 'compute_status', {}, [
      'compute status',
      'how is the compute pool doing?',
      'is the inference pool healthy',
      'pool stats',
    ]),
  );
  out.push(
    ...plain(rng, 'h4/compute', 'my_contributions', {}, [
      'my contributions',
      'what has my node contributed?',
      'show my compute contributions',
    ]),
  );
  const c = family('h4/compute');
  c.add('my proofs', 'compute_proofs', {});
  c.add('my compute proofs for epoch 4', 'compute_proofs', { epoch: 4 });
  c.add('compute anchor 7', 'compute_anchor', { epoch: 7 });
  c.add('compute payout 7', 'compute_payout', { epoch: 7 });
  out.push(...c.cases);
  out.push(
    ...plain(rng, 'h4/rewards', 'rewards', {}, [
      'my rewards',
      'how much have I earned?',
      'did I earn anything from chatting',
      'rewards?',
    ]),
  );
  const r = family('h4/rewards');
  r.add('rewards report', 'rewards_report', {});
  r.add('rewards payout', 'rewards_payout', {});
  out.push(...r.cases);
  const k = family('h4/contracts');
  k.add('check this contract (module (func (export "run")))', 'contract_check', {
    code: '(module (func (export "run")))',
  });
  k.add('can you check this contract: (module)', 'contract_check', { code: '(module)' });
  k.add('simulate increment() on it', 'contract_simulate', { calls: 'increment()' });
  k.add('run get() on the contract in the sandbox', 'contract_simulate', { calls: 'get()' });
  for (const t of ['what would deploying it cost', 'how much to deploy this contract?'])
    k.add(t, 'contract_cost', {});
  for (const t of ['deploy it', 'deploy the contract please']) k.add(t, 'contract_deploy', {});
  for (const t of ['upload a contract', 'give me a link to upload my wasm']) k.add(t, 'contract_upload', {});
  out.push(...k.cases);
  const d = family('h4/deployment');
  for (const t of ['which deployment is this', 'who runs this bot?', 'show the deployment manifest'])
    d.add(t, 'deployment', {});
  d.add('anchor deployment', 'deployment_anchor', {});
  out.push(...d.cases);
  return out;
}

/** Typos of command words: "did you mean ...?" offering the reading counts. */
function typos(rng: Rng): GeneratedCase[] {
  const f = family('h4/typo');
  const LINES: [string, string, Record<string, unknown>][] = [
    ['show my balance', 'balance', {}],
    ['show my history', 'history', {}],
    ['forget contact tomasz', 'contact_forget', { name: 'tomasz' }],
    ['unstake $VAL2', 'unstake', { validator: '$VAL2' }],
    ['show proposals', 'proposals', {}],
    ['withdraw everything from $VAL1', 'withdraw', { validator: '$VAL1', amount: 'all' }],
  ];
  for (const [text, action, args] of LINES) f.add(slip(text, rng, NAMES), action, args, true);
  return f.cases;
}

export function restCases(rng: Rng): GeneratedCase[] {
  return [
    ...lookups(rng),
    ...wallets(rng),
    ...contacts(rng),
    ...alertsAndSchedules(rng),
    ...governance(rng),
    ...limitsAndUndo(rng),
    ...computeContractsDeployment(rng),
    ...typos(rng),
  ];
}
