// The fourth held-out set: requests that move money (transfers, batches, staking, withdrawals, schedules, fees)
// in many registers, and amounts that must be refused or asked about rather than guessed.
import type { GeneratedCase } from './grammar.js';
import { Rng, recipientsArg } from './grammar.js';
import {
  ADDRESSES,
  AMOUNTS,
  NAMES,
  REQUEST_WRAPPERS,
  VALIDATORS,
  VERBS_AMOUNT_FIRST,
  VERBS_PERSON_FIRST,
  amountWithUnit,
  cap,
  family,
  shout,
  slip,
  voice,
} from './heldout4-words.js';

const who = (rng: Rng) => (rng.chance(0.6) ? rng.pick(NAMES) : rng.pick(ADDRESSES));
const nameOf = (rng: Rng) => rng.pick(NAMES);

/** Single transfers in every word order and register. */
function transfers(rng: Rng): GeneratedCase[] {
  const terse = family('h4/send/terse');
  for (let i = 0; i < 40; i++) {
    const to = who(rng);
    const a = amountWithUnit(rng);
    const shape = rng.int(0, 4);
    const text =
      shape === 0
        ? `${rng.pick(VERBS_AMOUNT_FIRST)} ${a.text} to ${to}`
        : shape === 1
          ? `${rng.pick(VERBS_PERSON_FIRST)} ${to} ${a.text}`
          : shape === 2
            ? `${a.text} to ${to}`
            : shape === 3
              ? `send to ${to} ${a.text}`
              : `${rng.pick(VERBS_AMOUNT_FIRST)} ${to} ${a.text} now`;
    terse.add(text, 'send', { to, amount: a.pac });
  }

  const polite = family('h4/send/polite-question');
  for (let i = 0; i < 30; i++) {
    const to = who(rng);
    const a = amountWithUnit(rng);
    const core = rng.chance(0.5) ? `send ${a.text} to ${to}` : `${rng.pick(['pay', 'send'])} ${to} ${a.text}`;
    polite.add(rng.pick(REQUEST_WRAPPERS)(core), 'send', { to, amount: a.pac });
  }

  const chatty = family('h4/send/chatty');
  const CHATTY = [
    (to: string, a: string) =>
      `hi bot! hope you're well. I need to pay ${to} back, so send ${a} to ${to} please`,
    (to: string, a: string) => `Morning :) quick one - transfer ${a} to ${to}. Thanks so much!`,
    (to: string, a: string) => `ok here's the thing, ${to} covered my lunch. send ${to} ${a} pls`,
    (to: string, a: string) => `So. I promised ${to} some coins yesterday. Send ${a} to ${to}.`,
    (to: string, a: string) => `Hello there, I would like to send ${a} to ${to}, thank you in advance`,
    (to: string, a: string) => `need to settle up with ${to}: ${a} to ${to} please`,
  ];
  for (let i = 0; i < 18; i++) {
    const to = nameOf(rng);
    const a = amountWithUnit(rng);
    chatty.add(rng.pick(CHATTY)(to, a.text), 'send', { to, amount: a.pac });
  }

  const nonNative = family('h4/send/non-native');
  const NON_NATIVE = [
    (to: string, a: string) => `please you send ${a} to ${to}`,
    (to: string, a: string) => `i want make transfer ${a} to ${to}`,
    (to: string, a: string) => `kindly do the needful and send ${a} to ${to}`,
    (to: string, a: string) => `send to ${to} the ${a} please sir`,
    (to: string, a: string) => `me need send ${a} to ${to}`,
    (to: string, a: string) => `is possible to send ${a} to ${to}?`,
    (to: string, a: string) => `i am wanting to transfer ${a} to my friend ${to}`,
  ];
  for (let i = 0; i < 18; i++) {
    const to = nameOf(rng);
    const a = amountWithUnit(rng);
    nonNative.add(rng.pick(NON_NATIVE)(to, a.text), 'send', { to, amount: a.pac });
  }

  const voiced = family('h4/send/voice-typed');
  const VOICED = [
    (to: string, a: string) => `okay send ${a} to ${to} please`,
    (to: string, a: string) => `hey bot send ${to} ${a} thank you`,
    (to: string, a: string) => `transfer ${a} to ${to} full stop`,
    (to: string, a: string) => `um can you send ${a} to ${to}`,
    (to: string, a: string) => `send ${a} over to ${to}`,
  ];
  for (let i = 0; i < 16; i++) {
    const to = nameOf(rng);
    const words = AMOUNTS.filter((x) => /^[a-z ]+$/.test(x.text));
    const a = rng.chance(0.6) ? rng.pick(words) : rng.pick(AMOUNTS);
    voiced.add(voice(rng.pick(VOICED)(to, `${a.text} pac`)), 'send', { to, amount: a.pac });
  }

  const loud = family('h4/send/caps-emoji');
  for (let i = 0; i < 16; i++) {
    const to = who(rng);
    const a = amountWithUnit(rng);
    const roll = rng.int(0, 3);
    const text =
      roll === 0
        ? shout(`send ${a.text} to ${to} now please`)
        : roll === 1
          ? `💸 ${a.text} → ${to}`
          : roll === 2
            ? `send ${to} ${a.text} 🎉🎉`
            : shout(`pay ${to} ${a.text}!!`);
    loud.add(text, 'send', { to, amount: a.pac });
  }

  const typos = family('h4/send/typo');
  for (let i = 0; i < 16; i++) {
    const to = nameOf(rng);
    const a = amountWithUnit(rng);
    const verb = rng.pick(['transfer', 'please send', 'please transfer', 'kindly send']);
    const typed = `${verb} ${a.text} to ${to}`;
    const text = slip(typed, rng, [...NAMES, 'pactus', 'coins']);
    if (text !== typed) typos.add(text, 'send', { to, amount: a.pac }, true);
  }

  const memo = family('h4/send/memo');
  const MEMOS = ['pizza', 'rent march', 'thanks', 'gift', 'loan back', 'invoice 17'];
  for (let i = 0; i < 14; i++) {
    const to = who(rng);
    const a = amountWithUnit(rng);
    const m = rng.pick(MEMOS);
    const text = rng.pick([
      `send ${a.text} to ${to} memo ${m}`,
      `send ${a.text} to ${to} with memo "${m}"`,
      `pay ${to} ${a.text} memo: ${m}`,
      `transfer ${a.text} to ${to} (memo: ${m})`,
    ]);
    memo.add(text, 'send', { to, amount: a.pac, memo: m });
  }

  const special = family('h4/send/me-all-from');
  for (let i = 0; i < 16; i++) {
    const roll = rng.int(0, 4);
    const a = amountWithUnit(rng);
    const to = who(rng);
    if (roll === 0) special.add(`send ${a.text} to me`, 'send', { to: 'me', amount: a.pac });
    else if (roll === 1)
      special.add(
        rng.pick([
          `send everything to ${to}`,
          `send all my PAC to ${to}`,
          `transfer my whole balance to ${to}`,
        ]),
        'send',
        {
          to,
          amount: 'all',
        },
      );
    else if (roll === 2) {
      const from = rng.pick(['$ED1', '$BLS0']);
      special.add(`send ${a.text} from ${from} to ${to}`, 'send', { to, amount: a.pac, from });
    } else if (roll === 3) special.add(`move ${a.text} to myself`, 'send', { to: 'me', amount: a.pac });
    else special.add(`${to} ${a.text} please, send it now`, 'send', { to, amount: a.pac });
  }

  const fixes = family('h4/send/correction');
  for (let i = 0; i < 16; i++) {
    const to = nameOf(rng);
    const other = rng.pick(NAMES.filter((n) => n !== to));
    const roll = rng.int(0, 3);
    if (roll === 0) fixes.add(`send 5 PAC to ${to}, sorry I meant 6 PAC`, 'send', { to, amount: '6' });
    else if (roll === 1)
      fixes.add(`send 4 pac to ${to}... no wait, to ${other}`, 'send', { to: other, amount: '4' });
    else if (roll === 2)
      fixes.add(`send 8 PAC to ${to}, actually make it 9 PAC`, 'send', { to, amount: '9' });
    else fixes.add(`pay ${to} 3 PAC. correction: 2 PAC`, 'send', { to, amount: '2' });
  }
  return [
    ...terse.cases,
    ...polite.cases,
    ...chatty.cases,
    ...nonNative.cases,
    ...voiced.cases,
    ...loud.cases,
    ...typos.cases,
    ...memo.cases,
    ...special.cases,
    ...fixes.cases,
  ];
}

/** Batches of 2-3 recipients, by name and address. */
function batches(rng: Rng): GeneratedCase[] {
  const f = family('h4/send_many');
  for (let i = 0; i < 26; i++) {
    const [x, y, z] = [who(rng), who(rng), who(rng)];
    if (x === y || y === z || x === z) continue;
    const a = rng.pick(AMOUNTS.filter((v) => /^\d+(\.\d+)?$/.test(v.text)));
    const b = rng.pick(AMOUNTS.filter((v) => /^\d+(\.\d+)?$/.test(v.text)));
    const roll = rng.int(0, 5);
    if (roll === 0)
      f.add(`send ${a.text} PAC to ${x} and ${b.text} PAC to ${y}`, 'send_many', {
        recipients: recipientsArg([
          [x, a.pac],
          [y, b.pac],
        ]),
      });
    else if (roll === 1)
      f.add(`give ${x}, ${y} and ${z} ${a.text} PAC each`, 'send_many', {
        recipients: recipientsArg([
          [x, a.pac],
          [y, a.pac],
          [z, a.pac],
        ]),
      });
    else if (roll === 2)
      f.add(`pay ${x} ${a.text} PAC and ${y} ${b.text} PAC`, 'send_many', {
        recipients: recipientsArg([
          [x, a.pac],
          [y, b.pac],
        ]),
      });
    else if (roll === 3)
      f.add(`send ${a.text} pac each to ${x} and ${y}`, 'send_many', {
        recipients: recipientsArg([
          [x, a.pac],
          [y, a.pac],
        ]),
      });
    else if (roll === 4)
      f.add(`send:\n- ${a.text} PAC to ${x}\n- ${b.text} PAC to ${y}`, 'send_many', {
        recipients: recipientsArg([
          [x, a.pac],
          [y, b.pac],
        ]),
      });
    else
      f.add(`could you send ${a.text} PAC to ${x} and also ${b.text} PAC to ${y}?`, 'send_many', {
        recipients: recipientsArg([
          [x, a.pac],
          [y, b.pac],
        ]),
      });
  }
  return f.cases;
}

/** Staking, unstaking and withdrawing in everyday words. */
function staking(rng: Rng): GeneratedCase[] {
  const stake = family('h4/stake');
  for (let i = 0; i < 26; i++) {
    const v = rng.pick(VALIDATORS);
    const a = rng.pick(AMOUNTS.filter((x) => Number(x.pac) >= 1));
    const text = rng.pick([
      `stake ${a.text} PAC to ${v}`,
      `bond ${a.text} pac with ${v}`,
      `could u stake ${a.text} PAC on ${v}?`,
      `put ${a.text} PAC into staking on ${v}`,
      `i want to stake ${a.text} pac with validator ${v}`,
      `STAKE ${a.text.toUpperCase()} PAC TO ${v}`,
      `add ${a.text} PAC to my stake on ${v}`,
      `please bond ${a.text} PAC to ${v} thx`,
    ]);
    stake.add(text, 'stake', { validator: v, amount: a.pac });
  }
  stake.add('stake 1000 PAC to $NEWVAL with public key $NEWKEY', 'stake', {
    validator: '$NEWVAL',
    amount: '1000',
    public_key: '$NEWKEY',
  });
  stake.add('bond 500 pac to $NEWVAL, its public key is $NEWKEY', 'stake', {
    validator: '$NEWVAL',
    amount: '500',
    public_key: '$NEWKEY',
  });

  const unstake = family('h4/unstake');
  for (let i = 0; i < 16; i++) {
    const v = rng.pick(VALIDATORS);
    const text = rng.pick([
      `unstake ${v}`,
      `unbond ${v} please`,
      `can you unstake from ${v}?`,
      `i want to unbond my validator ${v}`,
      `pls unstake ${v} 🙏`,
      `UNBOND ${v}`,
      `stop staking on ${v}`,
    ]);
    unstake.add(text, 'unstake', { validator: v });
  }

  const withdraw = family('h4/withdraw');
  for (let i = 0; i < 16; i++) {
    const v = rng.pick(VALIDATORS);
    const a = rng.pick(AMOUNTS.filter((x) => /^\d/.test(x.text) && Number(x.pac) >= 1));
    const to = rng.pick(ADDRESSES);
    const roll = rng.int(0, 4);
    if (roll === 0)
      withdraw.add(`withdraw ${a.text} PAC from ${v}`, 'withdraw', { validator: v, amount: a.pac });
    else if (roll === 1)
      withdraw.add(`withdraw everything from ${v} to ${to}`, 'withdraw', { validator: v, amount: 'all', to });
    else if (roll === 2)
      withdraw.add(`could you withdraw ${a.text} pac from ${v} to ${to}?`, 'withdraw', {
        validator: v,
        amount: a.pac,
        to,
      });
    else if (roll === 3)
      withdraw.add(`withdraw all my unbonded stake from ${v}`, 'withdraw', { validator: v, amount: 'all' });
    else
      withdraw.add(`take ${a.text} PAC out of ${v} (withdraw)`, 'withdraw', { validator: v, amount: a.pac });
  }
  return [...stake.cases, ...unstake.cases, ...withdraw.cases];
}

const EVERY_WORDS: [string, string][] = [
  ['every week', 'week'],
  ['weekly', 'week'],
  ['each month', 'month'],
  ['monthly', 'month'],
  ['every day', 'day'],
  ['daily', 'day'],
  ['every monday', 'monday'],
  ['on fridays', 'friday'],
  ['every sunday', 'sunday'],
  ['once a month', 'month'],
];

/** Recurring payments. */
function schedules(rng: Rng): GeneratedCase[] {
  const f = family('h4/schedule_payment');
  for (let i = 0; i < 28; i++) {
    const to = who(rng);
    const a = rng.pick(AMOUNTS.filter((x) => !x.text.startsWith('0.0')));
    const [when, every] = rng.pick(EVERY_WORDS);
    const text = rng.pick([
      `pay ${to} ${a.text} PAC ${when}`,
      `send ${a.text} pac to ${to} ${when}`,
      `${cap(when)}, send ${a.text} PAC to ${to}`,
      `remind me to pay ${to} ${a.text} PAC ${when}`,
      `set up a payment of ${a.text} PAC to ${to} ${when}`,
      `can you send ${to} ${a.text} PAC ${when}?`,
    ]);
    f.add(text, 'schedule_payment', { to, amount: a.pac, every });
  }
  return f.cases;
}

/** Fee questions. */
function fees(rng: Rng): GeneratedCase[] {
  const f = family('h4/fee');
  for (let i = 0; i < 12; i++) {
    const a = rng.pick(AMOUNTS.filter((x) => /^\d/.test(x.text)));
    const roll = rng.int(0, 4);
    if (roll === 0) f.add(`what's the fee to send ${a.text} PAC?`, 'fee', { amount: a.pac });
    else if (roll === 1) f.add(`how much is the fee for sending ${a.text} pac`, 'fee', { amount: a.pac });
    else if (roll === 2) f.add(`fee to stake ${a.text} PAC?`, 'fee', { amount: a.pac, kind: 'stake' });
    else if (roll === 3) f.add('what are the transaction fees', 'fee', {});
    else f.add(`tx fee for ${a.text} PAC transfer?`, 'fee', { amount: a.pac });
  }
  return f.cases;
}

/**
 * Money requests that cannot be drafted as typed: other currencies, vague or ranged amounts, two recipients with
 * "or", a later time or a condition. Each is refused or asked about (no action), never drafted.
 */
function openMoney(rng: Rng): GeneratedCase[] {
  const f = family('h4/money/refuse-or-ask');
  const SHAPES = [
    (to: string) => `send $5 to ${to}`,
    (to: string) => `send 5 bucks to ${to}`,
    (to: string) => `send 20 euros worth of pac to ${to}`,
    (to: string) => `send around 10 PAC to ${to}`,
    (to: string) => `send 5-10 PAC to ${to}`,
    (to: string) => `send 10% of my balance to ${to}`,
    (to: string) => `send some pac to ${to}`,
    (to: string) => `send a few PAC to ${to}`,
    (to: string) => `send 5 PAC to ${to} or ${rng.pick(NAMES)}`,
    (to: string) => `send 5 PAC to ${to} tomorrow morning`,
    (to: string) => `send 5 PAC to ${to} next tuesday`,
    (to: string) => `send 5 PAC to ${to} at 6pm`,
    (to: string) => `send 5 PAC to ${to} in 3 hours`,
    (to: string) => `send 5 PAC to ${to} once my salary lands`,
    (to: string) => `send 5 PAC to ${to} if the price goes up`,
    (to: string) => `send 5 PAC to ${to} every 3 days`,
    (to: string) => `pay ${to} 2 PAC every minute`,
    (_to: string) => `send 5 PAC`,
    (to: string) => `send PAC to ${to}`,
    (to: string) => `send 2.0000000001 PAC to ${to}`,
    (to: string) => `send 5 PAC to ${to} maybe`,
    (to: string) => `send 5 PAC to ${to}. wait, no, don't`,
    (to: string) => `send 1 000 to ${to}`,
    (_to: string) => `stake 100 PAC to ${rng.pick(VALIDATORS)} next week`,
    (to: string) => `send 5 usdt to ${to}`,
    (to: string) => `send ${to} 5 sats`,
  ];
  for (const shape of SHAPES) f.add(shape(nameOf(rng)), null);
  for (let i = 0; i < 10; i++) f.add(rng.pick(SHAPES)(nameOf(rng)), null);
  return f.cases;
}

export function moneyCases(rng: Rng): GeneratedCase[] {
  return [
    ...transfers(rng),
    ...batches(rng),
    ...staking(rng),
    ...schedules(rng),
    ...fees(rng),
    ...openMoney(rng),
  ];
}
