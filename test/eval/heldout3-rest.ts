// Third held-out set: everything that is not a payment: balances, limits, undo, alerts, contacts, history,
// linking, compute, contracts, follow-ups in a thread (governance and delegation are in heldout3-governance.ts).
import type { GeneratedCase } from './grammar.js';
import { Rng } from './grammar.js';
import { ADDRESSES, FRIENDS, VALIDATORS, dress, line, said, slip, times } from './heldout3-words.js';
import { governanceCases } from './heldout3-governance.js';

function looking(rng: Rng): GeneratedCase[] {
  const addr = rng.pick(ADDRESSES);
  return [
    ...said(
      rng,
      'balance',
      'balance',
      {},
      [
        'how much PAC do I have',
        'bal?',
        'wallet balance pls',
        "what's in my wallet",
        'how rich am i',
        'check my balance',
        'balance',
        'how much pac have i got left',
      ],
      12,
    ),
    ...times(8, () => {
      const a = rng.pick(ADDRESSES);
      return line(
        dress(rng, rng.pick([`how much is in ${a}`, `balance of ${a}?`, `check ${a} balance`])),
        'balance',
        { address: a },
        'balance-of',
      );
    }),
    ...said(rng, 'account', 'account', {}, ['how much have I staked', 'my stake?', 'show my staking'], 5),
    ...times(6, () => {
      const v = rng.pick(VALIDATORS);
      return line(
        dress(rng, rng.pick([`is ${v} still active?`, `stake info for ${v}`, `validator ${v} status`])),
        'account',
        { address: v },
        'account-of',
      );
    }),
    ...said(
      rng,
      'history',
      'history',
      {},
      [
        'my last txs',
        'show my transaction history',
        'recent activity',
        'what have i sent lately',
        'list my transactions',
        'tx history pls',
      ],
      10,
    ),
    ...said(
      rng,
      'tx-status',
      'tx_status',
      { id: '$TXID' },
      ['did $TXID go through?', 'status $TXID', 'check tx $TXID'],
      5,
    ),
    ...said(
      rng,
      'link',
      'link',
      { address: addr },
      [`link ${addr}`, `connect my wallet ${addr}`, `add my wallet ${addr}`],
      4,
    ),
    ...said(
      rng,
      'unlink',
      'unlink',
      { address: addr },
      [`unlink ${addr}`, `disconnect ${addr} from my account`],
      3,
    ),
    ...said(
      rng,
      'primary',
      'primary',
      { address: addr },
      [`use ${addr} as my main wallet`, `make ${addr} the default wallet`],
      3,
    ),
    ...said(
      rng,
      'my-addresses',
      'my_addresses',
      {},
      ['which wallets have I linked', 'my linked addresses', 'show my wallets'],
      5,
    ),
    ...said(rng, 'help', 'help', {}, ['what can you do', 'help', 'commands?', 'how does this bot work'], 6),
    ...said(
      rng,
      'rewards',
      'rewards',
      {},
      ['my rewards', 'how much have i earned from the bot', 'did I get any rewards'],
      4,
    ),
    ...said(
      rng,
      'deployment',
      'deployment',
      {},
      ['who runs this bot', 'which deployment is this one', 'show the bot manifest'],
      4,
    ),
  ];
}

function guards(rng: Rng): GeneratedCase[] {
  const daily = times(12, () => {
    const v = rng.pick([20, 50, 100, 250]);
    return line(
      dress(
        rng,
        rng.pick([
          `cap my spending at ${v} PAC a day`,
          `daily limit ${v} pac`,
          `don't let me spend more than ${v} PAC per day`,
          `set a ${v} PAC daily limit`,
        ]),
      ),
      'limit_set',
      { setting: 'daily_limit', value: String(v) },
      'limit-daily',
    );
  });
  const perTx = times(8, () => {
    const v = rng.pick([5, 10, 30]);
    return line(
      dress(
        rng,
        rng.pick([
          `no more than ${v} PAC per tx`,
          `limit each payment to ${v} PAC`,
          `max ${v} pac per transfer`,
        ]),
      ),
      'limit_set',
      { setting: 'tx_limit', value: String(v) },
      'limit-tx',
    );
  });
  return [
    ...daily,
    ...perTx,
    ...said(
      rng,
      'limit-allowlist',
      'limit_set',
      { setting: 'allowlist', value: 'on' },
      [
        'only let me pay people in my contacts',
        'only allow payments to my contacts',
        'block payments to addresses that are not in my contacts',
      ],
      5,
    ),
    ...said(
      rng,
      'limit-off',
      'limit_set',
      { setting: 'daily_limit', value: 'off' },
      ['remove my daily limit', 'no daily limit anymore'],
      3,
    ),
    ...said(
      rng,
      'limit-undo',
      'limit_set',
      { setting: 'undo', value: '60' },
      ['give me 60 seconds to undo', 'set my undo window to 60 seconds', 'undo window 1 minute'],
      4,
    ),
    ...said(
      rng,
      'limit-cooling',
      'limit_set',
      { setting: 'cooling_off', value: '2 days' },
      ['wait 2 days before paying new addresses', 'cooling off 2 days for new people'],
      3,
    ),
    ...said(rng, 'limits', 'limits', {}, ['what are my limits', 'show my spending limits', 'my limits?'], 5),
    ...said(
      rng,
      'limits-cancel',
      'limits_cancel',
      {},
      [
        'cancel my pending limit changes',
        'never mind the limit change',
        'undo the limit change I just asked for',
      ],
      4,
    ),
    ...said(
      rng,
      'undo',
      'undo',
      {},
      ['undo', 'stop that transaction!', 'undo my last payment', 'wait undo that', 'undo the last one'],
      8,
    ),
    ...said(
      rng,
      'cancel',
      'cancel',
      {},
      ['cancel that', 'cancel the last one', 'scrap that draft', 'show my pending drafts', '/cancel'],
      8,
    ),
    ...said(
      rng,
      'cancel-all',
      'cancel',
      { draft: 'all' },
      ['cancel all my drafts', '/cancel all', 'throw away every draft'],
      4,
    ),
  ];
}

function alerts(rng: Rng): GeneratedCase[] {
  return [
    ...said(
      rng,
      'alerts-off',
      'alerts',
      { state: 'off', kind: 'proposals' },
      ['stop pinging me about proposals', 'no more proposal notifications', 'disable proposal alerts'],
      5,
    ),
    ...said(
      rng,
      'alerts-on',
      'alerts',
      { state: 'on', kind: 'incoming' },
      ['notify me when I receive PAC', 'ping me when money comes in', 'enable incoming alerts'],
      5,
    ),
    ...said(
      rng,
      'alerts-on',
      'alerts',
      { state: 'on', kind: 'withdrawable' },
      ['let me know when my stake can be withdrawn', 'alert me when unbonding is done'],
      3,
    ),
    ...said(
      rng,
      'alerts-on',
      'alerts',
      { state: 'on', kind: 'validator' },
      ['alert me if my validator goes down', 'turn on validator alerts'],
      3,
    ),
    ...said(
      rng,
      'alerts-off',
      'alerts',
      { state: 'off' },
      ['disable all notifications', 'turn every alert off', 'mute all alerts'],
      4,
    ),
    ...said(
      rng,
      'alerts-list',
      'alerts',
      { state: 'list' },
      ['what alerts do I have on', 'my notifications settings', 'which alerts are on'],
      4,
    ),
  ];
}

function contacts(rng: Rng): GeneratedCase[] {
  const save = times(16, () => {
    const name = rng.pick(FRIENDS);
    const a = rng.pick(ADDRESSES.slice(0, 3));
    return line(
      dress(
        rng,
        rng.pick([
          `save ${a} as ${name}`,
          `add ${a} to contacts as ${name}`,
          `${name} is ${a}, save it`,
          `store ${a} under ${name}`,
        ]),
        { shout: false },
      ),
      'contact_save',
      { address: a, name },
      'contact-save',
    );
  });
  const forget = times(10, () => {
    const name = rng.pick(FRIENDS);
    return line(
      dress(rng, rng.pick([`delete ${name} from my contacts`, `remove contact ${name}`, `forget ${name}`])),
      'contact_forget',
      { name },
      'contact-forget',
    );
  });
  const typoed = times(6, () => {
    const name = rng.pick(FRIENDS);
    return line(
      `${slip(rng, 'remove')} contact ${name}`,
      'contact_forget',
      { name },
      'contact-forget-typo',
      true,
    );
  });
  return [
    ...save,
    ...forget,
    ...typoed,
    ...said(
      rng,
      'contacts',
      'contacts',
      {},
      ["who's in my address book", 'list contacts', 'show saved addresses', 'my contacts pls'],
      7,
    ),
  ];
}

function compute(rng: Rng): GeneratedCase[] {
  const e = rng.int(2, 40);
  return [
    ...said(
      rng,
      'compute-status',
      'compute_status',
      {},
      ['pool health?', 'compute epoch status', 'is the compute pool ok'],
      5,
    ),
    ...said(
      rng,
      'compute-mine',
      'my_contributions',
      {},
      ['what did my node contribute', 'my compute contributions', 'how much compute have i done this epoch'],
      4,
    ),
    ...said(
      rng,
      'compute-proofs',
      'compute_proofs',
      { epoch: e },
      [`proofs for epoch ${e}`, `my compute proofs for epoch ${e}`],
      3,
    ),
  ];
}

function contracts(rng: Rng): GeneratedCase[] {
  return [
    ...said(
      rng,
      'contract-cost',
      'contract_cost',
      {},
      ['what would it cost to deploy this contract', 'deployment cost of my contract?'],
      3,
    ),
    ...said(
      rng,
      'contract-upload',
      'contract_upload',
      {},
      ['give me a link to upload my wasm', 'i want to upload a contract'],
      3,
    ),
    ...said(
      rng,
      'contract-simulate',
      'contract_simulate',
      { calls: 'get()' },
      ['simulate get() on my contract', 'run get() on it in the sandbox'],
      3,
    ),
    ...said(rng, 'contract-deploy', 'contract_deploy', {}, ['deploy my contract', 'ship my contract'], 2),
  ];
}

export function restCases(rng: Rng): GeneratedCase[] {
  return [
    ...looking(rng),
    ...governanceCases(rng),
    ...guards(rng),
    ...alerts(rng),
    ...contacts(rng),
    ...compute(rng),
    ...contracts(rng),
  ];
}
