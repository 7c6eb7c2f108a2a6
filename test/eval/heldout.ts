// The HELD-OUT set: written before the rules were tuned, with its own templates, names, verbs and wrappers, and
// never used to tune them. `npm run eval` reports it apart from the sets the rules are developed against, so its
// number says how the rules do on phrasings nobody tuned for.
import { Rng, recipientsArg, typo, unique, type GeneratedCase } from './grammar.js';
import { ACCOUNTS, NAMES, POST, PRE, amount, recipient } from './heldout-words.js';
import { phrasings } from './heldout-phrasings.js';

function sends(rng: Rng, n: number): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (let i = 0; i < n; i++) {
    const to = recipient(rng);
    const a = amount(rng);
    const pre = rng.pick(PRE);
    const post = rng.pick(POST);
    const expect = { action: 'send', args: { to, amount: a.value } };
    switch (rng.int(0, 3)) {
      case 0: {
        const verb = rng.pick(['send', 'pay', 'give', 'hand', 'wire', 'tip']);
        out.push({ text: `${pre}${verb} ${to} ${a.written}${post}`, expect, tag: 'send: recipient first' });
        break;
      }
      case 1: {
        const verb = rng.pick(['send', 'pay', 'give', 'transfer', 'wire', 'forward', 'move']);
        const toWord = rng.pick(['to', 'over to', 'across to']);
        out.push({
          text: `${pre}${verb} ${a.written} ${toWord} ${to}${post}`,
          expect,
          tag: 'send: amount first',
        });
        break;
      }
      case 2:
        out.push({ text: `${a.written} to ${to}${post}`, expect, tag: 'send: no verb' });
        break;
      default: {
        const memo = rng.pick(['lunch', 'rent share', 'invoice 17', 'gift']);
        const form = rng.pick([`with the note ${memo}`, `memo: ${memo}`, `note: ${memo}`, `ref ${memo}`]);
        const verb = rng.pick(['send', 'pay', 'transfer']);
        out.push({
          text: `${pre}${verb} ${a.written} to ${to} ${form}`,
          expect: { action: 'send', args: { to, amount: a.value, memo } },
          tag: 'send: memo',
        });
      }
    }
  }
  return out;
}

function sendsSpecial(rng: Rng): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (const to of [...NAMES.slice(0, 4), ...ACCOUNTS.slice(0, 2)]) {
    out.push(
      {
        text: `send all my PAC to ${to}`,
        expect: { action: 'send', args: { to, amount: 'all' } },
        tag: 'send: all',
      },
      {
        text: `transfer my whole balance to ${to}`,
        expect: { action: 'send', args: { to, amount: 'all' } },
        tag: 'send: all',
      },
      {
        text: `send everything I have to ${to}`,
        expect: { action: 'send', args: { to, amount: 'all' } },
        tag: 'send: all',
      },
    );
  }
  for (const phrase of ['myself', 'me', 'my own wallet']) {
    const a = amount(rng);
    out.push({
      text: `send ${a.written} to ${phrase}`,
      expect: { action: 'send', args: { to: 'me', amount: a.value } },
      tag: 'send: me',
    });
  }
  for (let i = 0; i < 24; i++) {
    const [r1, r2] = [rng.pick(NAMES), rng.pick(ACCOUNTS)];
    const [first, second] = rng.chance(0.5) ? [r1, r2] : [r2, r1];
    const a1 = rng.pick(['1', '2', '3.5', '10']);
    const a2 = rng.pick(['4', '0.5', '6', '20']);
    const pairs = recipientsArg([
      [first, a1],
      [second, a2],
    ]);
    const form = rng.int(0, 2);
    const text =
      form === 0
        ? `send ${a1} PAC to ${first} and ${a2} PAC to ${second}`
        : form === 1
          ? `pay ${first} ${a1} PAC and ${second} ${a2} PAC`
          : `give ${first} and ${second} ${a1} PAC each`;
    const args =
      form === 2
        ? recipientsArg([
            [first, a1],
            [second, a1],
          ])
        : pairs;
    out.push({ text, expect: { action: 'send_many', args: { recipients: args } }, tag: 'send: batch' });
  }
  return out;
}

function typos(rng: Rng, n: number): GeneratedCase[] {
  const out: GeneratedCase[] = [];
  for (let i = 0; i < n; i++) {
    const to = recipient(rng);
    const a = rng.pick(['5', '12', '0.25']);
    const verb = typo(rng.pick(['send', 'transfer', 'give']), rng);
    out.push({
      text: `${verb} ${a} PAC to ${to}`,
      expect: { action: 'send', args: { to, amount: a } },
      tag: 'typo',
      offerOk: true,
    });
  }
  const words: [string, (w: string) => string, GeneratedCase['expect']][] = [
    ['balance', (w) => `my ${w}`, { action: 'balance', args: {} }],
    ['contacts', (w) => `show my ${w}`, { action: 'contacts', args: {} }],
    ['proposals', (w) => `list ${w}`, { action: 'proposals', args: {} }],
    ['history', (w) => `show my ${w}`, { action: 'history', args: {} }],
    ['unlink', (w) => `${w} $ED3`, { action: 'unlink', args: { address: '$ED3' } }],
  ];
  for (const [word, frame, expect] of words)
    for (let k = 0; k < 3; k++)
      out.push({ text: frame(typo(word, rng)), expect, tag: 'typo', offerOk: true });
  return out;
}

export function heldOutCases(seed = 20260731): GeneratedCase[] {
  const rng = new Rng(seed);
  return unique([...sends(rng, 140), ...sendsSpecial(rng), ...typos(rng, 20), ...phrasings(rng)]);
}
