// Third held-out set: requests that move money (transfers, batches, staking, recurring payments) and fee questions.
import type { GeneratedCase } from './grammar.js';
import { Rng } from './grammar.js';
import {
  CLEAR_AMOUNTS,
  FRIENDS,
  UNCLEAR_AMOUNTS,
  VALIDATORS,
  dress,
  line,
  recipient,
  slip,
  times,
} from './heldout3-words.js';

/** Shapes of a plain transfer, recipient R and amount A. */
const SEND_SHAPES = [
  'send A to R',
  'send R A',
  'pay R A',
  'transfer A to R',
  'can you send A to R',
  'could u pay R A',
  'I need to send A to R',
  'i want send A to R',
  'please do transfer of A to R',
  'A to R',
  'A -> R',
  'tip R A',
  'give R A',
  'send over A to R',
  'shoot R A',
  'send R A real quick',
  'need A sent to R',
  'send A over to R',
  'kindly send A to R',
  'pay A to R',
];

const MEMOS = ['rent', 'pizza night', 'invoice 2291', 'thanks for the help', 'tickets', 'gift'];
const MEMO_SHAPES = [
  'send A to R memo M',
  'pay R A with memo M',
  'send A to R, note: M',
  'send A to R memo "M"',
];

const DROPPED = 'dropped';

const fill = (shape: string, r: string, a: string, m = '') =>
  shape.replace('R', r).replace('A', a).replace('M', m);

function sends(rng: Rng): GeneratedCase[] {
  const plain = times(95, () => {
    const r = recipient(rng);
    const a = rng.pick(CLEAR_AMOUNTS);
    // "pay me 7 PAC" asks for money; only "... to me" names the person's own other wallet.
    const shapes = r.to === 'me' ? SEND_SHAPES.filter((s) => /to R|-> R/.test(s)) : SEND_SHAPES;
    return line(
      dress(rng, fill(rng.pick(shapes), r.text, a.text)),
      'send',
      { to: r.to, amount: a.pac },
      'send',
    );
  });
  const memo = times(20, () => {
    const name = rng.pick(FRIENDS);
    const a = rng.pick(CLEAR_AMOUNTS);
    const m = rng.pick(MEMOS);
    const shape = rng.pick(MEMO_SHAPES);
    // An unquoted memo runs to the end of the message: a "thx" after it would be part of it (fixed after the
    // first run, see heldout3-first-run.md). A quoted memo ends at its quote, so it keeps its sign-off.
    return line(
      dress(rng, fill(shape, name, a.text, m), { shout: false, close: shape.includes('"') }),
      'send',
      { to: name, amount: a.pac, memo: m },
      'send-memo',
    );
  });
  const all = times(14, () => {
    const r = recipient(rng);
    const shape = rng.pick([
      'send all my PAC to R',
      'move everything to R',
      'send my whole balance to R',
      'empty this wallet into R',
      'transfer all of it to R',
    ]);
    return line(dress(rng, fill(shape, r.text, '')), 'send', { to: r.to, amount: 'all' }, 'send-all');
  });
  // A slip in the verb: asking "did you mean send ...?" with the right draft as a button is as good as drafting.
  const slips = times(24, () => {
    const name = rng.pick(FRIENDS);
    const a = rng.pick(CLEAR_AMOUNTS);
    const verb = rng.pick(['send', 'transfer', 'send']);
    return line(
      dress(rng, `${slip(rng, verb)} ${a.text} to ${name}`, { shout: false }),
      'send',
      { to: name, amount: a.pac },
      'send-typo',
      true,
    );
  });
  // Autocorrect turns "pac" into "pack"/"pace" and names into words: offered, never drafted.
  const autocorrect = times(10, () => {
    const name = rng.pick(FRIENDS);
    const n = rng.int(2, 60);
    const unit = rng.pick(['pack', 'pace', 'packs']);
    return line(
      dress(rng, `send ${n} ${unit} to ${name}`),
      'send',
      { to: name, amount: String(n) },
      'send-autocorrect',
      true,
    );
  });
  // The amount cannot be read exactly: the bot asks, it never guesses a number.
  const unclear = times(24, () => {
    const name = rng.pick(FRIENDS);
    const a = rng.pick(UNCLEAR_AMOUNTS);
    return line(
      dress(rng, rng.pick([`send ${a} to ${name}`, `pay ${name} ${a}`])),
      null,
      undefined,
      'send-unclear-amount',
    );
  });
  // Something a draft needs is missing or open: asked about.
  const open = times(24, () => {
    const name = rng.pick(FRIENDS);
    const other = rng.pick(FRIENDS.filter((f) => f !== name));
    const a = rng.pick(CLEAR_AMOUNTS).text;
    return line(
      dress(
        rng,
        rng.pick([
          `send ${a}`,
          `send ${name} some PAC`,
          `pay ${name}`,
          `send ${a} to ${name} or ${other}`,
          `send it to ${name}`,
          `send the same to ${name}`,
          `send ${name} what I owe her`,
          `send ${a} to ${name} tomorrow morning`,
          `send ${a} to ${name} on payday`,
          `send ${a} to ${name} from my savings`,
        ]),
      ),
      null,
      undefined,
      'send-open',
    );
  });
  return [...plain, ...memo, ...all, ...slips, ...autocorrect, ...unclear, ...open];
}

function batches(rng: Rng): GeneratedCase[] {
  return times(30, () => {
    const [p, q] = [rng.pick(FRIENDS), rng.pick(['$ED2', '$ED3', 'kofi', 'mei'])];
    // The same person twice has no one right reading (a batch of two, or a slip): such draws are dropped.
    if (p === q) return line(`send 1 PAC to ${p} and 1 PAC to ${q}`, null, undefined, DROPPED);
    // No thousands comma here: the batch argument is itself comma-separated.
    const plain = CLEAR_AMOUNTS.filter((x) => !x.text.includes(','));
    const a = rng.pick(plain);
    const b = rng.pick(plain);
    const each = rng.chance(0.35);
    const text = each
      ? rng.pick([`give ${p} and ${q} ${a.text} each`, `send ${a.text} each to ${p} and ${q}`])
      : rng.pick([
          `send ${a.text} to ${p} and ${b.text} to ${q}`,
          `pay ${p} ${a.text} and ${q} ${b.text}`,
          `${a.text} to ${p}, ${b.text} to ${q}`,
        ]);
    return line(
      dress(rng, text),
      'send_many',
      { recipients: `${p} ${a.pac}, ${q} ${each ? a.pac : b.pac}` },
      'batch',
    );
  });
}

function staking(rng: Rng): GeneratedCase[] {
  const STAKE_AMOUNTS = CLEAR_AMOUNTS.filter((a) => Number(a.pac) >= 1 && Number(a.pac) <= 1000);
  const stake = times(40, () => {
    const v = rng.pick(VALIDATORS);
    const a = rng.pick(STAKE_AMOUNTS);
    const shape = rng.pick([
      'stake A with V',
      'stake A on V',
      'bond A to V',
      'put A into staking on V',
      'i want to stake A to validator V',
      'add A to my stake on V',
      'stake A @ V',
    ]);
    return line(
      dress(rng, shape.replace('A', a.text).replace('V', v)),
      'stake',
      { validator: v, amount: a.pac },
      'stake',
    );
  });
  const unstake = times(16, () => {
    const v = rng.pick(VALIDATORS);
    const shape = rng.pick([
      'unstake V',
      'unbond V',
      'stop staking on V',
      'unbond my stake from V',
      'pull my stake out of V',
    ]);
    return line(dress(rng, shape.replace('V', v)), 'unstake', { validator: v }, 'unstake');
  });
  const withdraw = times(16, () => {
    const v = rng.pick(VALIDATORS);
    const a = rng.pick(CLEAR_AMOUNTS);
    return rng.chance(0.5)
      ? line(
          dress(
            rng,
            rng.pick([
              `withdraw everything from ${v}`,
              `withdraw all from ${v}`,
              `claim my unbonded PAC from ${v}`,
            ]),
          ),
          'withdraw',
          { validator: v, amount: 'all' },
          'withdraw',
        )
      : line(
          dress(rng, `withdraw ${a.text} from ${v}`),
          'withdraw',
          { validator: v, amount: a.pac },
          'withdraw',
        );
  });
  const earning = times(10, () =>
    line(
      dress(
        rng,
        rng.pick([
          'how much am I earning staking',
          'how much do i have staked',
          "what's my stake looking like",
          'how much is bonded',
          'my staking status?',
        ]),
      ),
      'account',
      {},
      'staking-status',
    ),
  );
  return [...stake, ...unstake, ...withdraw, ...earning];
}

const PERIODS: [string, string][] = [
  ['every month', 'month'],
  ['monthly', 'month'],
  ['each week', 'week'],
  ['weekly', 'week'],
  ['every day', 'day'],
  ['daily', 'day'],
  ['every monday', 'monday'],
  ['on fridays', 'friday'],
  ['every sunday', 'sunday'],
];

function schedules(rng: Rng): GeneratedCase[] {
  const make = times(34, () => {
    const name = rng.pick(FRIENDS);
    const a = rng.pick(CLEAR_AMOUNTS);
    const [when, every] = rng.pick(PERIODS);
    const text = rng.pick([
      `pay ${name} ${a.text} ${when}`,
      `send ${a.text} to ${name} ${when}`,
      `set up a recurring payment of ${a.text} to ${name} ${when}`,
      `remind me to pay ${name} ${a.text} ${when}`,
      `${when} send ${name} ${a.text}`,
    ]);
    return line(dress(rng, text), 'schedule_payment', { to: name, amount: a.pac, every }, 'schedule');
  });
  const odd = times(12, () => {
    const name = rng.pick(FRIENDS);
    const when = rng.pick([
      'every 2 weeks',
      'every other day',
      'every minute',
      'twice a month',
      'every hour',
      'quarterly',
    ]);
    return line(dress(rng, `pay ${name} 5 PAC ${when}`), null, undefined, 'schedule-unsupported');
  });
  const list = times(10, () =>
    line(
      dress(
        rng,
        rng.pick([
          'what recurring payments do I have',
          'list my standing orders',
          'my schedules',
          'show scheduled payments',
          'which payments repeat?',
        ]),
      ),
      'schedules',
      {},
      'schedules',
    ),
  );
  const stop = times(12, () => {
    const n = rng.int(1, 9);
    return line(
      dress(
        rng,
        rng.pick([
          `stop schedule ${n}`,
          `cancel recurring payment #${n}`,
          `delete schedule ${n}`,
          `end standing order ${n}`,
        ]),
      ),
      'schedule_stop',
      { schedule: n },
      'schedule-stop',
    );
  });
  return [...make, ...odd, ...list, ...stop];
}

function fees(rng: Rng): GeneratedCase[] {
  return times(14, () => {
    const a = rng.pick(CLEAR_AMOUNTS);
    return rng.chance(0.6)
      ? line(
          dress(
            rng,
            rng.pick([
              `what's the fee to send ${a.text}`,
              `how much fee for sending ${a.text}?`,
              `fee for ${a.text}?`,
            ]),
          ),
          'fee',
          { amount: a.pac },
          'fee',
        )
      : line(
          dress(rng, rng.pick(['how much are fees', 'what are the tx fees rn', 'fees?'])),
          'fee',
          {},
          'fee',
        );
  });
}

export function moneyCases(rng: Rng): GeneratedCase[] {
  return [...sends(rng), ...batches(rng), ...staking(rng), ...schedules(rng), ...fees(rng)].filter(
    (c) => c.tag !== `h3/${DROPPED}`,
  );
}
