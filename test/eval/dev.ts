// The DEVELOPMENT set: phrasings generated from a grammar (verbs x word orders x recipient forms x amount forms x
// politeness x typos x wrappers), each line with the expected action and arguments. The rules are tuned against
// this set (and the hand-written lines); the held-out set (heldout.ts) uses other templates and words.
import { Rng, recipientsArg, sentenceCase, typo, unique, type GeneratedCase } from './grammar.js';
import {
  ACCOUNTS,
  DOUBLE_OBJECT_VERBS,
  POLITE_AFTER,
  POLITE_BEFORE,
  SEND_VERBS,
  amountOf,
  recipientOf,
} from './dev-words.js';
import { alerts, contacts, governance, schedules } from './dev-actions.js';
import { amountRefusals, everyday, everydaySecondPass, fromTheIssues, notRequests } from './dev-phrasings.js';

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
